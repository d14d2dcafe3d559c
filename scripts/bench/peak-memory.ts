/**
 * Preloaded into every measured Node process (`node --import …/peak-memory.ts`): on exit it writes the
 * process's peak resident set size to the file named by BENCH_PEAK_MEMORY_FILE, so the benchmark can
 * report the peak memory of commands it runs as child processes.
 */
import { appendFileSync } from 'node:fs';

const target = process.env.BENCH_PEAK_MEMORY_FILE;
if (target) {
  process.on('exit', () => {
    // resourceUsage().maxRSS is in kilobytes.
    appendFileSync(target, `${process.resourceUsage().maxRSS * 1024}\n`);
  });
}
