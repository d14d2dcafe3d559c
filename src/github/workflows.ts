/**
 * Workflow files one workflow starts in another. Pushes made with GITHUB_TOKEN start no workflows
 * (issue 5 item 10), so a workflow that commits dispatches the ones that must follow its commit.
 */

/** Builds and deploys the notice board to GitHub Pages; dispatched after intake commits. */
export const PAGES_WORKFLOW_FILE = 'pages.yml';

/** Turns complaint issues into complaint files. */
export const INTAKE_WORKFLOW_FILE = 'intake.yml';

/** The workflows intake dispatches after it has archived at least one complaint. */
export const WORKFLOWS_AFTER_INTAKE: readonly string[] = [PAGES_WORKFLOW_FILE];
