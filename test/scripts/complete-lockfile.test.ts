import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { completeLockfile, platformOf } from '../../scripts/complete-lockfile.ts';

describe('completing the lock file with platform packages the registry lacks', () => {
  it('reads os and cpu from platform package names', () => {
    expect(platformOf('@astrojs/compiler-binding-darwin-arm64')).toEqual({ os: ['darwin'], cpu: ['arm64'] });
    expect(platformOf('@astrojs/compiler-binding-win32-x64-msvc')).toEqual({ os: ['win32'], cpu: ['x64'] });
    expect(platformOf('@astrojs/compiler-binding-wasm32-wasi')).toEqual({ cpu: ['wasm32'] });
    expect(platformOf('@pagefind/windows-x64')).toEqual({ os: ['win32'], cpu: ['x64'] });
    expect(platformOf('fsevents')).toBeUndefined();
  });

  it('adds an optional entry for each missing platform dependency and leaves present ones alone', () => {
    const { lock, added } = completeLockfile({
      packages: {
        'node_modules/binding': { version: '1.0.0', optionalDependencies: { 'binding-linux-x64-gnu': '1.0.0', 'binding-darwin-arm64': '1.0.0' } },
        'node_modules/binding-linux-x64-gnu': { version: '1.0.0', optional: true, os: ['linux'], cpu: ['x64'] },
      },
    });
    expect(added).toEqual(['binding-darwin-arm64@1.0.0']);
    expect(lock.packages['node_modules/binding-darwin-arm64']).toEqual({ version: '1.0.0', optional: true, os: ['darwin'], cpu: ['arm64'] });
  });

  it('finds the committed package-lock.json complete, so a plain npm ci accepts it', async () => {
    const lock = JSON.parse(await readFile(new URL('../../package-lock.json', import.meta.url), 'utf8'));
    expect(completeLockfile(lock).added).toEqual([]);
  });
});
