import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/main.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/sla/${name}`, import.meta.url));

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) });
  return { code, stdout, stderr };
}

// The basic archive (property preset, Asia/Shanghai, 08:30–17:30), read at Sat 2026-10-10 09:00 Shanghai
// (01:00 UTC), a worked Saturday (调休):
// - 2026-0001 phone, general, received Fri 10-09 16:00: reply same day → 10-09 17:30, overdue;
//   first response 16:00 + 24 h → 10-10 16:00; due soon from 18 h (10-10 10:00), so ok.
// - 2026-0002 letter, non-urgent, received Thu 10-08 10:00: reply 2 working days → Fri 10-09 (1),
//   Sat 10-10 (2) 17:30; window 55.5 h, due soon from 41.625 h (10-10 03:37:30) → due_soon.
//   First response 3 working days → Mon 10-12 17:30; due soon from 10-11 15:37:30 → ok.
// - 2026-0003 online, replied Fri 10-09 16:00: ack (4 h → 13:00) met at 10:00, first response
//   (→ 10-10 09:00) met at 15:00, reply (→ 10-09 17:30) met at 16:00; visit 3 working days after the
//   reply → Sat 10-10 (1), Mon 10-12 (2), Tue 10-13 (3) 17:30, ok.
// - 2026-0004 withdrawn: no clocks.
const NOW = '2026-10-10T01:00:00Z';

describe('complaints sla', () => {
  it('prints every running clock of the open complaints as JSON, sorted by due time', async () => {
    const result = await run(['sla', '--root', fixture('basic'), '--now', NOW, '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      now: '2026-10-10T09:00:00+08:00',
      clocks: [
        { id: '2026-0001', clock: 'reply', due: '2026-10-09T17:30:00+08:00', state: 'overdue' },
        { id: '2026-0001', clock: 'first_response', due: '2026-10-10T16:00:00+08:00', state: 'ok' },
        { id: '2026-0002', clock: 'reply', due: '2026-10-10T17:30:00+08:00', state: 'due_soon' },
        { id: '2026-0002', clock: 'first_response', due: '2026-10-12T17:30:00+08:00', state: 'ok' },
        { id: '2026-0003', clock: 'visit', due: '2026-10-13T17:30:00+08:00', state: 'ok' },
      ],
    });
  });

  it('adds the stopped clocks with --all, with the time each stopped', async () => {
    const result = await run(['sla', '--root', fixture('basic'), '--now', NOW, '--json', '--all']);
    const clocks = JSON.parse(result.stdout).clocks as unknown[];
    expect(clocks).toEqual([
      { id: '2026-0003', clock: 'ack', due: '2026-10-09T13:00:00+08:00', state: 'met', stoppedAt: '2026-10-09T10:00:00+08:00' },
      { id: '2026-0001', clock: 'reply', due: '2026-10-09T17:30:00+08:00', state: 'overdue' },
      { id: '2026-0003', clock: 'reply', due: '2026-10-09T17:30:00+08:00', state: 'met', stoppedAt: '2026-10-09T16:00:00+08:00' },
      { id: '2026-0003', clock: 'first_response', due: '2026-10-10T09:00:00+08:00', state: 'met', stoppedAt: '2026-10-09T15:00:00+08:00' },
      { id: '2026-0001', clock: 'first_response', due: '2026-10-10T16:00:00+08:00', state: 'ok' },
      { id: '2026-0002', clock: 'reply', due: '2026-10-10T17:30:00+08:00', state: 'due_soon' },
      { id: '2026-0002', clock: 'first_response', due: '2026-10-12T17:30:00+08:00', state: 'ok' },
      { id: '2026-0003', clock: 'visit', due: '2026-10-13T17:30:00+08:00', state: 'ok' },
    ]);
  });

  it('filters by state; asking for met clocks includes the stopped ones', async () => {
    const overdue = await run(['sla', '--root', fixture('basic'), '--now', NOW, '--json', '--state', 'overdue']);
    expect(JSON.parse(overdue.stdout).clocks).toEqual([{ id: '2026-0001', clock: 'reply', due: '2026-10-09T17:30:00+08:00', state: 'overdue' }]);
    const met = await run(['sla', '--root', fixture('basic'), '--now', NOW, '--json', '--state', 'met']);
    expect(JSON.parse(met.stdout).clocks.map((clock: { clock: string }) => clock.clock)).toEqual(['ack', 'reply', 'first_response']);
  });

  it('prints a table with zh-CN clock names in Shanghai time for people', async () => {
    const result = await run(['sla', '--root', fixture('basic'), '--now', NOW]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatchInlineSnapshot(`
      "编号 id    时限 clock  期限 due (Asia/Shanghai)  状态 state         完成 stopped
      ---------  ----------  ------------------------  -----------------  ------------
      2026-0001  答复投诉人  2026-10-09 17:30          已超时 overdue
      2026-0001  首次响应    2026-10-10 16:00          正常 ok
      2026-0002  答复投诉人  2026-10-10 17:30          即将到期 due_soon
      2026-0002  首次响应    2026-10-12 17:30          正常 ok
      2026-0003  回访        2026-10-13 17:30          正常 ok
      5 clocks, 1 overdue（共 5 项时限，1 项已超时）
      "
    `);
  });

  it('warns on stderr when a due time rests on a year without official holiday data', async () => {
    // Letter received Wed 2026-12-30: Thu 12-31 (1); 2027-01-01 off by override; Sat 01-02 and Sun 01-03
    // guessed off; Mon 01-04 (2). First response + 24 h → 12-31 10:00, due soon from 04:00.
    const result = await run(['sla', '--root', fixture('year-end'), '--now', '2026-12-31T09:00:00+08:00', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).clocks).toEqual([
      { id: '2026-0001', clock: 'first_response', due: '2026-12-31T10:00:00+08:00', state: 'due_soon' },
      { id: '2026-0001', clock: 'reply', due: '2027-01-04T17:30:00+08:00', state: 'ok' },
    ]);
    expect(result.stderr).toContain('warning: 2027 年的法定节假日安排尚未收录（chinese-days），自 2027-01-02 起');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 1 with the problems validate reports when the archive is invalid', async () => {
    const json = await run(['sla', '--root', fixture('invalid'), '--now', NOW, '--json']);
    expect(json.code).toBe(1);
    const output = JSON.parse(json.stdout);
    expect(output.ok).toBe(false);
    expect(output.problems).toEqual([expect.objectContaining({ file: 'content/complaints/2026/10/2026-0001.md', line: 4 })]);
    expect(output.problems[0].message).toContain('found "fax"');
    const human = await run(['sla', '--root', fixture('invalid'), '--now', NOW]);
    expect([human.code, human.stdout]).toEqual([1, '']);
    expect(human.stderr).toContain('content/complaints/2026/10/2026-0001.md:4: channel:');
  });

  it('rejects an unknown state with exit code 2', async () => {
    const result = await run(['sla', '--root', fixture('basic'), '--state', 'late']);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatchInlineSnapshot(`"--state must be one of ok, due_soon, overdue, met, missed, found "late"（用法错误）"`);
  });
});
