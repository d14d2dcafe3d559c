/**
 * Completes package-lock.json with the platform packages the registry this project installs from does
 * not serve.
 *
 * Native packages (Astro's compiler, for one) list a binary package per platform as optional
 * dependencies. When the registry lacks some of them, `npm install` leaves them out of the lock file
 * and `npm ci` then refuses the lock as out of sync ("Missing: …-darwin-arm64@ from lock file"). An
 * entry naming the platform's `os` and `cpu` lets `npm ci` see the lock as complete and skip the
 * package on every other platform. Run after `npm install` changes the lock: `npm run lock:complete`.
 */
import { readFile, writeFile } from 'node:fs/promises';

interface LockEntry {
  version?: string;
  optional?: boolean;
  optionalDependencies?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  license?: string;
}

interface Lockfile {
  packages: Record<string, LockEntry>;
}

const OPERATING_SYSTEMS = ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'sunos', 'win32', 'aix', 'netbsd'];
const CPUS = ['arm64', 'x64', 'ia32', 'arm', 'wasm32', 'riscv64', 'ppc64', 's390x', 'loong64', 'mips64el'];

/** `os` and `cpu` from a platform package's name such as `@scope/binding-darwin-arm64`. */
export function platformOf(name: string): { os?: string[]; cpu?: string[] } | undefined {
  const parts = name.split('/').at(-1)!.split('-');
  const named = parts.find((part) => OPERATING_SYSTEMS.includes(part) || part === 'windows');
  // Some packages say "windows" where npm's `os` field says "win32".
  const os = named === 'windows' ? 'win32' : named;
  const cpu = parts.find((part) => CPUS.includes(part));
  if (!cpu) return undefined;
  return { ...(os ? { os: [os] } : {}), cpu: [cpu] };
}

/** The lock file with an entry for every optional platform dependency that has none. */
export function completeLockfile(lock: Lockfile): { lock: Lockfile; added: string[] } {
  const added: string[] = [];
  for (const entry of Object.values(lock.packages)) {
    for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
      const path = `node_modules/${name}`;
      const platform = platformOf(name);
      if (lock.packages[path] || !platform) continue;
      lock.packages[path] = { version: version.replace(/^[\^~]/, ''), optional: true, ...platform };
      added.push(`${name}@${version}`);
    }
  }
  return { lock, added };
}

if (import.meta.main) {
  const path = new URL('../package-lock.json', import.meta.url);
  const { lock, added } = completeLockfile(JSON.parse(await readFile(path, 'utf8')) as Lockfile);
  await writeFile(path, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(added.length === 0 ? 'package-lock.json is complete' : `added ${added.length} platform entries: ${added.join(', ')}`);
}
