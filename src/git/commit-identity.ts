import type { SimpleGit } from 'simple-git';

/** Who commits a registration when the repository names nobody: a neutral, non-personal identity. */
export const FALLBACK_COMMITTER = { name: 'complaints', email: 'complaints@localhost' } as const;

/**
 * `-c` settings that give git an identity for this command only, when the repository (or the
 * environment) does not name one. The configured user is always preferred: the commit says who
 * recorded the complaint (SPEC §1, auditor).
 */
export async function fallbackIdentityConfig(git: SimpleGit, env: NodeJS.ProcessEnv): Promise<string[]> {
  const configured = async (key: string) => (await git.raw(['config', '--get', key])).trim() !== '';
  const config: string[] = [];
  const hasName = (await configured('user.name')) || (Boolean(env.GIT_AUTHOR_NAME) && Boolean(env.GIT_COMMITTER_NAME));
  const hasEmail = (await configured('user.email')) || (Boolean(env.GIT_AUTHOR_EMAIL) && Boolean(env.GIT_COMMITTER_EMAIL));
  if (!hasName) config.push(`user.name=${FALLBACK_COMMITTER.name}`);
  if (!hasEmail) config.push(`user.email=${FALLBACK_COMMITTER.email}`);
  return config;
}
