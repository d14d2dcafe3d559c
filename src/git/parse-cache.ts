import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { simpleGit } from 'simple-git';
import { runGit } from './run-git.ts';

/**
 * A cache of what reading a complaint file gave (front matter, schema and personal-data problems,
 * the parsed complaint), keyed by the Git blob id of the file's bytes: content-addressed, so a
 * changed file can never be served an old result. For a file Git reports unchanged, the id comes
 * from the index without reading the file (`git ls-files -s`), which is what makes a run over an
 * unchanged archive fast; for any other file it is computed from the bytes read.
 *
 * The index ids are trusted only where the working copy holds the very bytes of the blob: not for
 * files Git sees as modified (`git diff-files`), in a merge conflict, or converted on checkout
 * (`core.autocrlf`, `text`/`eol`/`filter`/`ident`/`working-tree-encoding` attributes).
 *
 * The cache lives in the repository's Git folder (`.git/complaints-cache/`), never in the working
 * tree or its history, and is tied to the code that produced it: a change to any file under
 * src/core or src/archive, or another V8, starts a new one. Outside a Git repository there is none.
 * `COMPLAINTS_PARSE_CACHE=0` turns it off.
 */

/** Bumped when the shape of what is cached changes. */
const FORMAT = 'complaints-parse-cache/1';
const CACHE_FILE = 'parsed-files.v8';
const CONVERTING_ATTRIBUTES = new Set(['text', 'eol', 'filter', 'ident', 'working-tree-encoding']);

export interface ParseCache<T> {
  /** The blob id of an archive file Git vouches for without reading it, if any. */
  indexedId(path: string): string | undefined;
  /** The blob id of bytes read from disk. */
  idOfBytes(bytes: Uint8Array): string;
  get(id: string): T | undefined;
  set(id: string, value: T): void;
  /** Writes the entries used in this run (and only those), when anything changed. */
  save(): Promise<void>;
}

interface StoredCache<T> {
  format: string;
  fingerprint: string;
  entries: Map<string, T>;
}

let codeFingerprint: Promise<string | undefined> | undefined;

/** A hash of the code whose output is cached; undefined when the sources cannot be found (a bundle). */
function fingerprintOfCode(): Promise<string | undefined> {
  codeFingerprint ??= (async () => {
    const source = fileURLToPath(new URL('..', import.meta.url));
    const hash = createHash('sha256').update(`${FORMAT}\0${process.versions.v8}\0`);
    try {
      for (const folder of ['core', 'archive']) {
        const names = (await readdir(join(source, folder), { recursive: true })).filter((name) => name.endsWith('.ts')).sort();
        if (names.length === 0) return undefined;
        for (const name of names) hash.update(`${folder}/${name}\0`).update(await readFile(join(source, folder, name)));
      }
    } catch {
      return undefined;
    }
    return hash.digest('hex');
  })();
  return codeFingerprint;
}

function splitZ(output: string): string[] {
  return output.split('\0').filter((item) => item !== '');
}

/**
 * Opens the cache of the Git repository `root` lies in, for files under `folder` (relative to root).
 * Undefined when there is no repository, the code cannot be fingerprinted, or the cache is turned off.
 */
export async function openParseCache<T>(root: string, folder: string, env: NodeJS.ProcessEnv = process.env): Promise<ParseCache<T> | undefined> {
  if (env.COMPLAINTS_PARSE_CACHE === '0') return undefined;
  const fingerprint = await fingerprintOfCode();
  if (!fingerprint) return undefined;
  const git = simpleGit({ baseDir: root });
  let cachePath: string;
  let objectFormat: string;
  try {
    const [gitPath, format] = (await git.raw(['rev-parse', '--git-path', 'complaints-cache', '--show-object-format'])).trim().split('\n');
    if (!gitPath || !format) return undefined;
    cachePath = join(isAbsolute(gitPath) ? gitPath : join(root, gitPath), CACHE_FILE);
    objectFormat = format;
  } catch {
    return undefined; // not a Git repository
  }

  const [staged, modified, attributes, autocrlf, stored] = await Promise.all([
    git.raw(['ls-files', '--stage', '-z', '--', folder]),
    git.raw(['diff-files', '--name-only', '--relative', '-z', '--', folder]),
    // Paths on stdin: a hundred thousand of them would not fit on a command line.
    git.raw(['ls-files', '-z', '--', folder]).then((files) => (files === '' ? '' : runGit(root, ['check-attr', '--stdin', '-z', ...CONVERTING_ATTRIBUTES], { input: files }).then((result) => (result.code === 0 ? result.stdout.toString('utf8') : undefined), () => undefined))),
    git.raw(['config', '--get', 'core.autocrlf']).then((value) => value.trim(), () => ''),
    readStored<T>(cachePath, fingerprint),
  ]);

  const indexed = new Map<string, string>();
  if (attributes !== undefined && autocrlf !== 'true' && autocrlf !== 'input') {
    const unsafe = new Set(splitZ(modified));
    const fields = splitZ(attributes);
    for (let index = 0; index + 2 < fields.length; index += 3) {
      if (CONVERTING_ATTRIBUTES.has(fields[index + 1]!) && fields[index + 2] !== 'unspecified' && fields[index + 2] !== 'unset') unsafe.add(fields[index]!);
    }
    const conflicted = new Set<string>();
    for (const line of splitZ(staged)) {
      // "<mode> <id> <stage>\t<path>"
      const tab = line.indexOf('\t');
      const [mode, id, stage] = line.slice(0, tab).split(' ');
      const path = line.slice(tab + 1);
      if (stage !== '0') conflicted.add(path);
      else if (mode === '100644' || mode === '100755') indexed.set(path, id!);
    }
    for (const path of [...unsafe, ...conflicted]) indexed.delete(path);
  }

  const previous = stored ?? new Map<string, T>();
  const used = new Map<string, T>();
  let changed = stored === undefined;
  return {
    indexedId: (path) => indexed.get(path),
    idOfBytes: (bytes) => createHash(objectFormat).update(`blob ${bytes.length}\0`).update(bytes).digest('hex'),
    get(id) {
      const value = used.get(id) ?? previous.get(id);
      if (value !== undefined) used.set(id, value);
      return value;
    },
    set(id, value) {
      used.set(id, value);
      changed = true;
    },
    async save() {
      if (!changed && used.size === previous.size) return;
      const data: StoredCache<T> = { format: FORMAT, fingerprint, entries: used };
      const temporary = `${cachePath}.${process.pid}.${Date.now()}.tmp`;
      try {
        await mkdir(dirname(cachePath), { recursive: true });
        await writeFile(temporary, serialize(data));
        await rename(temporary, cachePath);
      } catch {
        // A cache that cannot be written only costs time next run.
        await rm(temporary, { force: true });
      }
    },
  };
}

async function readStored<T>(path: string, fingerprint: string): Promise<Map<string, T> | undefined> {
  try {
    const data = deserialize(await readFile(path)) as Partial<StoredCache<T>>;
    if (data.format !== FORMAT || data.fingerprint !== fingerprint || !(data.entries instanceof Map)) return undefined;
    return data.entries;
  } catch {
    return undefined; // none yet, or unreadable: start afresh
  }
}
