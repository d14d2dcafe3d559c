import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import matter from 'gray-matter';
import { runComplaints } from './run-cli.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const BROKEN = fixture('broken');

/** What 2026-0014.md's ---js payload would leave behind if anything ran it. */
const JS_MARKER_FILE = join(tmpdir(), 'complaints-js-front-matter-ran');
const JS_MARKER_GLOBAL = 'complaintsJsFrontMatterRan';

describe('complaints validate', () => {
  it('passes a valid archive with exit 0', async () => {
    const result = await runComplaints(['validate', '--root', fixture('valid')]);
    expect(result).toEqual({ code: 0, stdout: 'ok: 7 complaints, no problems（7 件投诉，校验通过）\n', stderr: '' });
    const json = await runComplaints(['validate', '--root', fixture('valid'), '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ ok: true, problems: [] });
  });

  it('reports every problem of every file of the broken archive, with file, line and message', async () => {
    const result = await runComplaints(['validate', '--root', BROKEN, '--json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as { ok: boolean; problems: { file: string; line?: number; message: string }[] };
    // Exactly { ok, problems: [{ file, line?, message }] } (SPEC §9).
    expect(Object.keys(report)).toEqual(['ok', 'problems']);
    for (const problem of report.problems) expect(Object.keys(problem).filter((key) => !['file', 'line', 'message'].includes(key))).toEqual([]);
    expect(report).toMatchInlineSnapshot(`
      {
        "ok": false,
        "problems": [
          {
            "file": "content/complaints/2026/10/2026-0003.md",
            "line": 10,
            "message": "priority: unknown field "priority"（未知字段）",
          },
          {
            "file": "content/complaints/2026/10/2026-0003.md",
            "line": 13,
            "message": "events.1.colour: unknown field "colour"（处理记录第2条：未知字段）",
          },
          {
            "file": "content/complaints/2026/10/2026-0003.md",
            "line": 13,
            "message": "events.1.type: illegal transition: "assigned" cannot follow state "received"（处理记录第2条·类型）",
          },
          {
            "file": "content/complaints/2026/10/2026-0004.md",
            "line": 4,
            "message": "channel: expected one of "online", "phone", "visit", "letter", "email", "suggestion_box", "principal_mailbox", "forwarded", "media", "other", found "wechat"（投诉渠道）",
          },
          {
            "file": "content/complaints/2026/10/2026-0004.md",
            "line": 5,
            "message": "received_at: expected an ISO 8601 time with offset such as "2026-10-12T09:30:00+08:00", found "2026-10-16 09:00"（受理时间）",
          },
          {
            "file": "content/complaints/2026/10/2026-0004.md",
            "line": 8,
            "message": "complainants: expected a number, found "three"（投诉人数）",
          },
          {
            "file": "content/complaints/2026/10/2026-0004.md",
            "line": 9,
            "message": "anonymous: expected true or false, found "yes"（匿名）",
          },
          {
            "file": "content/complaints/2026/10/2026-0004.md",
            "line": 11,
            "message": "urgency: expected one of "urgent", "general", "non_urgent", found 2（紧急程度）",
          },
          {
            "file": "content/complaints/2026/10/2026-0004.md",
            "line": 12,
            "message": "assignees: expected a list, found "bob"（处理人）",
          },
          {
            "file": "content/complaints/2026/10/2026-0005.md",
            "line": 7,
            "message": "project: unknown project "lanting" (org.yaml has "cuiyuan")（管理项目）",
          },
          {
            "file": "content/complaints/2026/10/2026-0005.md",
            "line": 8,
            "message": "category: unknown category "swimming_pool" (org.yaml has "housing", "equipment", "security", "environment", "general_service", "neighbour_dispute", "developer", "other")（投诉分类）",
          },
          {
            "file": "content/complaints/2026/10/2026-0005.md",
            "line": 9,
            "message": "department: unknown department "clubhouse" (org.yaml has "engineering", "customer_service")（责任部门）",
          },
          {
            "file": "content/complaints/2026/10/2026-0005.md",
            "line": 13,
            "message": "events.2.department: unknown department "pool_team" (org.yaml has "engineering", "customer_service")（处理记录第3条·责任部门）",
          },
          {
            "file": "content/complaints/2026/10/2026-0006.md",
            "line": 20,
            "message": "closure.basis: closing as "satisfied" needs a visit in which the complainant was satisfied (001 §4.2.2⑦)（关闭·关闭依据）",
          },
          {
            "file": "content/complaints/2026/10/2026-0006.md",
            "line": 21,
            "message": "corrective_action: closing needs the corrective action（纠正措施）",
          },
          {
            "file": "content/complaints/2026/10/2026-0006.md",
            "line": 21,
            "message": "lessons: closing needs the lessons learned（经验教训）",
          },
          {
            "file": "content/complaints/2026/10/2026-0007.md",
            "line": 11,
            "message": "events.1.at: events out of order: 2026-10-19T09:00:00+08:00 is before the previous event (2026-10-19T10:00:00+08:00)（处理记录第2条·时间）",
          },
          {
            "file": "content/complaints/2026/10/2026-0008.md",
            "line": 2,
            "message": "id: duplicate id "2026-0008", also used by content/complaints/2026/10/2026-0009.md（投诉编号）",
          },
          {
            "file": "content/complaints/2026/10/2026-0009.md",
            "line": 2,
            "message": "id: duplicate id "2026-0008", also used by content/complaints/2026/10/2026-0008.md（投诉编号）",
          },
          {
            "file": "content/complaints/2026/10/2026-0009.md",
            "line": 2,
            "message": "id: the file's path does not match its id and month of receipt (Asia/Shanghai): expected content/complaints/2026/10/2026-0008.md（投诉编号）",
          },
          {
            "file": "content/complaints/2026/10/2026-0010.md",
            "line": 2,
            "message": "id: the file's path does not match its id and month of receipt (Asia/Shanghai): expected content/complaints/2026/11/2026-0010.md（投诉编号）",
          },
          {
            "file": "content/complaints/2026/10/2026-0011.md",
            "line": 3,
            "message": "title: plaintext mobile number 138********00: remove it, or move it into the encrypted contact（标题：明文手机号码）",
          },
          {
            "file": "content/complaints/2026/10/2026-0011.md",
            "line": 8,
            "message": "location: plaintext mobile number 150******78: remove it, or move it into the encrypted contact (written with YAML escapes or folding)（位置：明文手机号码）",
          },
          {
            "file": "content/complaints/2026/10/2026-0011.md",
            "line": 11,
            "message": "plaintext mobile number +86************78 in a YAML comment: remove it（文件头注释：明文手机号码）",
          },
          {
            "file": "content/complaints/2026/10/2026-0011.md",
            "line": 16,
            "message": "complaint text: plaintext resident ID number 110*************2X: remove it, or move it into the encrypted contact（投诉内容：明文身份证号码）",
          },
          {
            "file": "content/complaints/2026/10/2026-0012.md",
            "line": 3,
            "message": "malformed YAML: a quoted value starts on this line and is never closed（引号未闭合）",
          },
          {
            "file": "content/complaints/2026/10/2026-0013.md",
            "line": 4,
            "message": "YAML aliases expand too far (a "billion laughs" file?); complaint files need no anchors or aliases（YAML 别名展开过多，已拒绝读取）",
          },
          {
            "file": "content/complaints/2026/10/2026-0014.md",
            "line": 1,
            "message": "front matter in "js" is not allowed and was not run; complaint files use YAML between "---" lines only（文件头只能使用 YAML）",
          },
          {
            "file": "content/complaints/2026/10/2026-0015.md",
            "line": 1,
            "message": "the file must start with a "---" front matter block（文件缺少文件头）",
          },
          {
            "file": "content/complaints/2026/10/2026-0016.md",
            "line": 1,
            "message": "the file is empty; a complaint file starts with a "---" front matter block（空文件）",
          },
          {
            "file": "content/complaints/2026/10/2026-0017.md",
            "line": 3,
            "message": "the file is not UTF-8 text (byte 0xB2 cannot start or continue a character; saved as GBK?); save it as UTF-8（文件编码不是 UTF-8）",
          },
          {
            "file": "content/complaints/2026/10/2026-0018.md",
            "line": 3,
            "message": "the file is binary (it contains NUL bytes), not UTF-8 Markdown text（不是文本文件）",
          },
          {
            "file": "content/complaints/2026/10/2026-0019.md",
            "line": 1,
            "message": "the file starts with a byte order mark (BOM); save it as UTF-8 without BOM（文件带有 BOM 标记）",
          },
          {
            "file": "content/complaints/2026/10/2026-0020.md",
            "line": 9,
            "message": "__proto__: unknown field "__proto__"（未知字段）",
          },
          {
            "file": "content/complaints/2026/10/2026-0020.md",
            "line": 10,
            "message": "constructor: unknown field "constructor"（未知字段）",
          },
          {
            "file": "content/complaints/2026/10/2026-0021.md",
            "line": 9,
            "message": "related.1: links to complaint "2026-0999", which does not exist（相关投诉第2项）",
          },
          {
            "file": "content/complaints/2026/10/2026-0021.md",
            "line": 10,
            "message": "duplicate_of: links to complaint "2026-0998", which does not exist（重复投诉（原投诉编号））",
          },
          {
            "file": "content/complaints/2026/10/2026-0022.md",
            "line": 14,
            "message": "events.3.reason: a pause must say who the clocks wait for (complainant or outside_party)（处理记录第4条·原因）",
          },
          {
            "file": "content/complaints/2026/10/2026-0022.md",
            "line": 14,
            "message": "events.3.note: a pause needs a note saying what is awaited（处理记录第4条·内部备注）",
          },
          {
            "file": "content/complaints/2026/10/2026-0022.md",
            "line": 16,
            "message": "events.5.due: an extension must give the new due time（处理记录第6条·新的期限）",
          },
          {
            "file": "content/complaints/2026/10/2026-0022.md",
            "line": 16,
            "message": "events.5.note: an extension needs the reason（处理记录第6条·内部备注）",
          },
          {
            "file": "content/complaints/2026/10/2026-0022.md",
            "line": 16,
            "message": "events.5.told_complainant: an extension requires that the complainant was told (003 §三1(4))（处理记录第6条·已告知投诉人）",
          },
          {
            "file": "content/complaints/2026/10/2026-0022.md",
            "line": 17,
            "message": "events.6.type: illegal transition: "rejected" cannot follow state "assigned"（处理记录第7条·类型）",
          },
          {
            "file": "content/complaints/2026/10/2026-0022.md",
            "line": 17,
            "message": "events.6.note: a rejection must say why and where the complainant can go instead（处理记录第7条·内部备注）",
          },
          {
            "file": "content/complaints/2026/10/2026-0023.md",
            "line": 13,
            "message": "closure: a written-off complaint needs closure.basis "written_off" and the special analysis in closure.note (001 §4.4.3.7)（关闭）",
          },
          {
            "file": "content/complaints/2026/10/2026-0024.md",
            "line": 12,
            "message": "closure: a closure is recorded but the complaint is in state "accepted"（关闭）",
          },
          {
            "file": "content/complaints/2026/10/2026-0025.md",
            "line": 20,
            "message": "closure.at: closing without a visit needs 7 days without a repeat after the reply of 2026-10-02T15:00:00+08:00 (001 §4.2.2⑦)（关闭·时间）",
          },
          {
            "file": "content/complaints/2026/10/2026-0025.md",
            "line": 20,
            "message": "closure.basis: closed as "no_repeat_7d" but 2026-0026 repeated it 2 days after the reply (001 §4.2.2⑦)（关闭·关闭依据）",
          },
          {
            "file": "content/complaints/2026/10/2026-0027.md",
            "line": 8,
            "message": "catgory: unknown field "catgory"; did you mean "category"?（未知字段）",
          },
          {
            "file": "content/complaints/2026/10/2026-0027.md",
            "line": 11,
            "message": "category: required field is missing（投诉分类：必填）",
          },
          {
            "file": "content/complaints/2026/10/2026-0028.md",
            "line": 11,
            "message": "events.1.type: expected one of "received", "accepted", "rejected", "assigned", "transferred", "investigated", "plan", "replied", "verified", "visited", "escalated", "reopened", "closed", "written_off", "withdrawn", "paused", "resumed", "extended", "erased", found "acepted"（处理记录第2条·类型）",
          },
          {
            "file": "content/complaints/2026/10/2026-0028.md",
            "line": 12,
            "message": "events.2.department: unknown department "plumbing" (org.yaml has "engineering", "customer_service")（处理记录第3条·责任部门）",
          },
          {
            "file": "content/complaints/2026/10/2026-0029.md",
            "line": 4,
            "message": "malformed YAML: the field "title" appears twice（字段重复）",
          },
          {
            "file": "content/complaints/2026/10/2026-0029.md",
            "line": 6,
            "message": "malformed YAML: the field "channel" appears twice（字段重复）",
          },
          {
            "file": "content/complaints/2026/10/2026-0030.md",
            "line": 1,
            "message": "the front matter block is not closed with a "---" line（文件头没有结束行）",
          },
          {
            "file": "content/complaints/2026/10/2026-0031.md",
            "line": 8,
            "message": "contact: expected an age-encrypted envelope (ASCII armor); personal data is never stored in plaintext（联系方式（加密））",
          },
          {
            "file": "content/complaints/2026/10/2026-0031.md",
            "line": 8,
            "message": "contact: plaintext mobile number 137******11: remove it, or move it into the encrypted contact（联系方式（加密）：明文手机号码）",
          },
          {
            "file": "content/complaints/2026/10/2026-0032.md",
            "line": 3,
            "message": "unsupported YAML tag "!!binary"; complaint files use plain values（不支持的 YAML 标签）",
          },
          {
            "file": "content/complaints/2026/10/2026-0033.md",
            "line": 2,
            "message": "expected a mapping of fields, found a list（文件头应为字段列表）",
          },
          {
            "file": "content/complaints/2026/10/notes.txt",
            "message": "not a complaint file: complaint files are content/complaints/YYYY/MM/<id>.md（不是投诉文件）",
          },
        ],
      }
    `);
  });

  it('prints file:line: message per problem and a count', async () => {
    const result = await runComplaints(['validate', '--root', BROKEN]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 3)).toMatchInlineSnapshot(`
      [
        "content/complaints/2026/10/2026-0003.md:10: priority: unknown field "priority"（未知字段）",
        "content/complaints/2026/10/2026-0003.md:13: events.1.colour: unknown field "colour"（处理记录第2条：未知字段）",
        "content/complaints/2026/10/2026-0003.md:13: events.1.type: illegal transition: "assigned" cannot follow state "received"（处理记录第2条·类型）",
      ]
    `);
    expect(lines.at(-1)).toMatchInlineSnapshot(`"60 problems in 31 files（31 个文件中发现 60 个问题）"`);
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^content\/[^:]+(:\d+)?: .+/);
  });

  it('never runs a ---js front matter: its payload leaves no file and no global behind', async () => {
    await rm(JS_MARKER_FILE, { force: true });
    await runComplaints(['validate', '--root', BROKEN, '--json']);
    expect(existsSync(JS_MARKER_FILE)).toBe(false);
    expect(JS_MARKER_GLOBAL in globalThis).toBe(false);

    // The payload is live: a front matter parser with a JavaScript engine (gray-matter's default) runs it.
    const text = await readFile(join(BROKEN, 'content/complaints/2026/10/2026-0014.md'), 'utf8');
    try {
      expect(matter(text).data).toMatchObject({ title: 'pwned' });
      expect(existsSync(JS_MARKER_FILE)).toBe(true);
      expect(JS_MARKER_GLOBAL in globalThis).toBe(true);
    } finally {
      await rm(JS_MARKER_FILE, { force: true });
      Reflect.deleteProperty(globalThis, JS_MARKER_GLOBAL);
    }
  });

  it('does not let a __proto__ field pollute Object.prototype', async () => {
    await runComplaints(['validate', '--root', BROKEN, '--json']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports org.yaml problems with lines, still checks what does not need org.yaml, and exits 1', async () => {
    const result = await runComplaints(['validate', '--root', fixture('broken-org'), '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchInlineSnapshot(`
      {
        "ok": false,
        "problems": [
          {
            "file": "content/org.yaml",
            "line": 4,
            "message": "timezone: expected an IANA time zone such as "Asia/Shanghai", found "Asia/Shanghia"（时区）",
          },
          {
            "file": "content/org.yaml",
            "line": 7,
            "message": "projects.1.key: duplicate key "cuiyuan"（管理项目第2项·代码）",
          },
          {
            "file": "content/org.yaml",
            "line": 9,
            "message": "departments.0.categories.1: unknown category "lifts"（部门第1项·投诉分类第2项）",
          },
          {
            "file": "content/org.yaml",
            "line": 10,
            "message": "recipients.0: expected an age recipient (age1…), found "not-a-recipient"（加密接收人第1项）",
          },
          {
            "file": "content/org.yaml",
            "line": 11,
            "message": "holidays: unknown field "holidays"（未知字段）",
          },
          {
            "file": "content/complaints/2026/10/2026-0001.md",
            "line": 11,
            "message": "events.1.type: illegal transition: "closed" cannot follow state "received"（处理记录第2条·类型）",
          },
        ],
      }
    `);
    const human = await runComplaints(['validate', '--root', fixture('broken-org')]);
    expect(human.stdout).toContain('content/org.yaml:4: timezone: expected an IANA time zone');
  });

  it('reports a missing org.yaml as a problem, not a crash', async () => {
    const result = await runComplaints(['validate', '--root', fixture('broken-org/content/complaints'), '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      ok: false,
      problems: [{ file: 'content/org.yaml', message: 'cannot read content/org.yaml; run "complaints init" first（找不到组织配置文件）' }],
    });
  });
});
