import { describe, expect, it } from 'vitest';
import { EventFileError, readWorkflowEvent } from '../../src/github/webhook-event.ts';
import { webhookExample } from './webhook-examples.ts';

describe('reading the event that started a workflow run', () => {
  it.each(['opened', 'edited', 'labeled', 'reopened', 'unlabeled'])('reads the real issues.%s payload', (action) => {
    const payload = webhookExample('issues', action);
    expect(readWorkflowEvent(JSON.stringify(payload))).toEqual({
      kind: 'issue',
      action,
      issueNumber: payload.issue.number,
      isPullRequest: false,
      ...(payload.label ? { labelName: payload.label.name } : {}),
    });
  });

  it('reads a manual dispatch and a schedule', () => {
    expect(readWorkflowEvent(JSON.stringify(webhookExample('workflow_dispatch')))).toEqual({ kind: 'dispatch' });
    expect(readWorkflowEvent(JSON.stringify({ schedule: '17 * * * *', workflow: '.github/workflows/intake.yml' }))).toEqual({ kind: 'schedule' });
  });

  it('tells a pull request from an issue, and anything else from both', () => {
    const payload = webhookExample('issues', 'opened');
    payload.issue.pull_request = { url: 'x' };
    expect(readWorkflowEvent(JSON.stringify(payload))).toMatchObject({ kind: 'issue', isPullRequest: true });
    expect(readWorkflowEvent(JSON.stringify(webhookExample('push')))).toEqual({ kind: 'other' });
  });

  it('refuses a file that is not JSON', () => {
    expect(() => readWorkflowEvent('{')).toThrowError(EventFileError);
  });
});
