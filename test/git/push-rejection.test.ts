import { describe, expect, it } from 'vitest';
import { isLostRace } from '../../src/git/push-rejection.ts';

describe('telling a lost race from other push failures', () => {
  it.each([
    ['the remote moved on', " ! [rejected]        HEAD -> main (fetch first)\nerror: failed to push some refs to '/srv/archive.git'", true],
    ['a non-fast-forward update', " ! [rejected]        HEAD -> main (non-fast-forward)\nerror: failed to push some refs to 'origin'", true],
    ['another push updated the ref at the same moment', ' ! [remote rejected] HEAD -> main (failed to update ref)', true],
    ['the ref was locked by another push', " ! [remote rejected] HEAD -> main (cannot lock ref 'refs/heads/main': is at 1a2b but expected 3c4d)", true],
    ['a protected branch', ' ! [remote rejected] HEAD -> main (protected branch hook declined)', false],
    ['a hook that merely mentions the words', 'remote: non-fast-forward pushes are [rejected] by policy\n ! [remote rejected] HEAD -> main (pre-receive hook declined)', false],
    ['no repository at the remote', "fatal: '/srv/archive.git' does not appear to be a git repository\nfatal: Could not read from remote repository.", false],
    ['no permission', 'ERROR: Permission to org/archive.git denied to clerk.\nfatal: Could not read from remote repository.', false],
  ])('%s → retry: %s', (_description, message, expected) => {
    expect(isLostRace(message)).toBe(expected);
  });
});
