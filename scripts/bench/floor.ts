/**
 * The floors the benchmark compares commands with: read every complaint file (`read`), or read it and
 * parse its front matter YAML with js-yaml (`parse`, the floor issue 7 names), in one Node process
 * with nothing else. Usage: `node scripts/bench/floor.ts read|parse ROOT`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { listComplaintFiles } from '../../src/archive/archive.ts';

const [mode, root] = process.argv.slice(2);
if ((mode !== 'read' && mode !== 'parse') || !root) {
  console.error('usage: node scripts/bench/floor.ts read|parse ROOT');
  process.exit(2);
}
let bytes = 0;
for (const file of await listComplaintFiles(root)) {
  const text = readFileSync(join(root, file), 'utf8');
  bytes += text.length;
  if (mode === 'parse') load(text.slice(4, text.indexOf('\n---', 3) + 1), { schema: CORE_SCHEMA });
}
console.log(bytes);
