import { DateTime } from 'luxon';
import { loadArchive } from '../../archive/archive.ts';
import { STATE_LABELS, STATES } from '../../core/complaint/states.ts';
import { countByState, DEFAULT_DEMO_COUNT, DEFAULT_DEMO_SEED, DemoCountError, generateDemoArchive } from '../../demo/generate.ts';
import { DEMO_TIMEZONE } from '../../demo/organisation.ts';
import { NotDemoArchiveError, writeDemoArchive } from '../../demo/write.ts';
import { EXIT, printJson, stringOption, UsageError, type Command, type OptionValues } from '../command.ts';
import { formatProblem, table } from '../output.ts';

/** Progress on stderr every this many files. */
const PROGRESS_EVERY = 50;
/** The largest count worth generating; beyond this the demo stops looking like one organisation. */
const MAXIMUM_COUNT = 20_000;

function integerOption(values: OptionValues, name: string, fallback: number, minimum: number, maximum: number): number {
  const text = stringOption(values, name);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} must be a whole number, found "${text}"`);
  const value = Number(text);
  if (value < minimum || value > maximum) throw new UsageError(`--${name} must be between ${minimum} and ${maximum}, found ${value}`);
  return value;
}

export const demoCommand: Command = {
  summary: 'regenerate the demo archive in content/（生成演示数据）',
  usage: 'complaints demo [--root DIR] [--seed N] [--count N] [--now ISO-TIME] [--force] [--json]',
  options: {
    seed: { type: 'string' },
    count: { type: 'string' },
    force: { type: 'boolean', default: false },
  },
  async run(context, values) {
    const seed = integerOption(values, 'seed', DEFAULT_DEMO_SEED, 0, 0xffffffff);
    const count = integerOption(values, 'count', DEFAULT_DEMO_COUNT, 1, MAXIMUM_COUNT);
    const now = DateTime.fromJSDate(context.now, { zone: DEMO_TIMEZONE });
    const nowText = now.toISO({ suppressMilliseconds: true });

    let archive;
    try {
      archive = generateDemoArchive({ seed, count, now: context.now });
    } catch (cause) {
      if (cause instanceof DemoCountError) throw new UsageError(cause.message);
      throw cause;
    }
    if (!context.json) context.stderr(`生成演示数据 generating ${count} demo complaints (seed ${seed}, now ${nowText}) in ${context.root}\n`);

    let written;
    try {
      written = await writeDemoArchive(context.root, archive, {
        force: values.force === true,
        onProgress: context.json
          ? undefined
          : (done, total) => {
              if (done % PROGRESS_EVERY === 0 || done === total) context.stderr(`写入 writing ${done}/${total}\n`);
            },
      });
    } catch (cause) {
      if (cause instanceof NotDemoArchiveError) throw new UsageError(cause.message);
      throw cause;
    }

    const states = countByState(archive.complaints);
    const loaded = await loadArchive(context.root);
    const ok = loaded.problems.length === 0;
    if (context.json) {
      printJson(context, { ok, root: context.root, seed, now: nowText, count: archive.complaints.length, removed: written.removed, states, problems: loaded.problems });
    } else {
      context.stdout(`removed ${written.removed} old complaint files, wrote content/org.yaml and ${written.written} complaints（已生成 ${written.written} 件演示投诉）\n\n`);
      const rows = STATES.map((state) => [state, STATE_LABELS[state], String(states[state])]);
      context.stdout(`${table(['state', '状态', 'count'], [...rows, ['total', '合计', String(archive.complaints.length)]])}\n\n`);
      if (ok) context.stdout(`validate: ok, no problems（校验通过）\n`);
      else {
        for (const problem of loaded.problems) context.stdout(`${formatProblem(problem)}\n`);
        context.stdout(`validate: ${loaded.problems.length} problems（发现 ${loaded.problems.length} 个问题）\n`);
      }
    }
    return ok ? EXIT.ok : EXIT.problems;
  },
};
