/**
 * What git says when a push lost a race: the remote moved on (`[rejected] … (fetch first)`,
 * `non-fast-forward`), or another push updated the ref at the same moment (`failed to update ref`,
 * `cannot lock ref`). Only these are worth a fetch and another try; anything else (no network, no
 * permission, a protected branch) would fail the same way again.
 */
const LOST_RACE = [
  /\[rejected\]/,
  /non-fast-forward/,
  /fetch first/,
  /failed to update ref/,
  /cannot lock ref/,
  /failed to lock/,
  /stale info/,
  /incorrect old value/,
];

/**
 * Whether a failed push lost a race with another writer. Lines the remote's hooks print
 * (`remote: …`) are not git's verdict and are ignored, whatever words they contain.
 */
export function isLostRace(gitMessage: string): boolean {
  const verdict = gitMessage
    .split(/\r?\n/)
    .filter((line) => !line.startsWith('remote:'))
    .join('\n');
  return LOST_RACE.some((pattern) => pattern.test(verdict));
}
