/**
 * The floors the benchmark compares commands with: read every complaint file (`read`), or read it and
 * parse its front matter YAML (`parse`), in one Node process with nothing else. Usage:
 * `node scripts/bench/floor.ts read|parse ROOT`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { listComplaintFiles } from '../../src/archive/archive.ts';

const [mode, root] = process.argv.slice(2);
if ((mode !== 'read' && mode !== 'parse') || !root) {
  console.error('usage: node scripts/bench/floor.ts read|parse ROOT');
  process.exit(2);
}
let bytes = 0;
for (const file of await listComplaintFiles(root)) {
  const text = await readFile(join(root, file), 'utf8');
  bytes += text.length;
  if (mode === 'parse') {
    const end = text.indexOf('\n---', 3);
    parse(text.slice(4, end), { schema: 'core' });
  }
}
console.log(bytes);
