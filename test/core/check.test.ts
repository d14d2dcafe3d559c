import { describe, expect, it } from 'vitest';
import {
  checkArchive,
  checkReferences,
  checkSalvaged,
  findPersonalDataInFile,
  salvageComplaint,
  type ArchiveEntry,
} from '../../src/core/complaint/check.ts';
import { complaintSchema, type ComplaintData, type ComplaintInput } from '../../src/core/complaint/schema.ts';
import { orgSchema, type Org } from '../../src/core/org/schema.ts';
import { problemsFromZod } from '../../src/core/problems.ts';

const ORG: Org = orgSchema.parse({
  name: '测试物业服务中心',
  preset: 'property',
  projects: [{ key: 'cuiyuan', name: '翠苑小区', type: 'residential', households: 1200 }],
  departments: [{ key: 'engineering', name: '工程部', categories: ['equipment'] }],
});

/** The raw front matter of a plain complaint received at 09:30 Shanghai time on 12 October 2026. */
function raw(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '2026-0001',
    title: '电梯停运',
    channel: 'phone',
    received_at: '2026-10-12T09:30:00+08:00',
    received_by: 'bob',
    project: 'cuiyuan',
    category: 'equipment',
    events: [{ at: '2026-10-12T09:30:00+08:00', type: 'received', by: 'bob' }],
    ...fields,
  };
}

function complaint(fields: Partial<ComplaintInput> = {}): ComplaintData {
  return complaintSchema.parse(raw(fields));
}

const messages = (problems: readonly { message: string }[]) => problems.map((problem) => problem.message);

describe('checking what the schema rejects (salvage)', () => {
  const deeper = (data: Record<string, unknown>) => {
    const salvaged = salvageComplaint(data);
    if (!salvaged) throw new Error('expected the complaint to be salvaged');
    return messages(checkSalvaged(salvaged, ORG));
  };

  it('still finds an illegal transition in a file with an unknown field', () => {
    const data = raw({ priority: 'high', events: [{ at: '2026-10-12T09:30:00+08:00', type: 'received', by: 'bob' }, { at: '2026-10-12T10:00:00+08:00', type: 'closed', by: 'bob', colour: 'red' }] });
    expect(complaintSchema.safeParse(data).success).toBe(false);
    expect(deeper(data)).toMatchInlineSnapshot(`
      [
        "events.1.type: illegal transition: "closed" cannot follow state "received"（处理记录第2条·类型）",
      ]
    `);
  });

  it('sets a broken field aside without reporting what follows from it', () => {
    // The reply's time is broken, so "needs the reply record" would only repeat the schema's problem.
    const data = raw({
      department: 'engineering',
      events: [
        { at: '2026-10-12T09:30:00+08:00', type: 'received', by: 'bob' },
        { at: '2026-10-12T09:40:00+08:00', type: 'accepted', by: 'bob' },
        { at: '2026-10-12T09:50:00+08:00', type: 'assigned', by: 'bob' },
        { at: '2026-10-12T10:50:00+08:00', type: 'investigated', by: 'alice' },
        { at: '2026-10-12T16:00:00+08:00', type: 'replied', by: 'alice' },
      ],
      reply: { at: 'yesterday', by: 'alice', method: 'phone', summary: '已修复' },
      project: 'nowhere',
      anonymous: 'yes',
      no_visit: { reason: 'anonymous' },
    });
    expect(deeper(data)).toMatchInlineSnapshot(`
      [
        "project: unknown project "nowhere" (org.yaml has "cuiyuan")（管理项目）",
      ]
    `);
  });

  it('replaces an unreadable event and still checks the departments the other events name', () => {
    const data = raw({
      events: [
        { at: '2026-10-12T09:30:00+08:00', type: 'received', by: 'bob' },
        { at: '2026-10-12T09:40:00+08:00', type: 'acepted', by: 'bob' },
        { at: '2026-10-12T09:50:00+08:00', type: 'assigned', by: 'bob', department: 'plumbing' },
      ],
    });
    const salvaged = salvageComplaint(data);
    expect(salvaged?.eventsReadable).toBe(false);
    expect(messages(checkSalvaged(salvaged!, ORG))).toMatchInlineSnapshot(`
      [
        "events.2.department: unknown department "plumbing" (org.yaml has "engineering")（处理记录第3条·责任部门）",
      ]
    `);
  });

  it('uses stand-ins for broken required fields and checks the rest', () => {
    const data = raw({ title: '', channel: 'wechat', category: 42, received_at: 'today', department: 'nowhere' });
    const salvaged = salvageComplaint(data);
    expect(salvaged?.setAside).toEqual([['title'], ['channel'], ['received_at'], ['category']]);
    expect(messages(checkSalvaged(salvaged!, ORG))).toMatchInlineSnapshot(`
      [
        "department: unknown department "nowhere" (org.yaml has "engineering")（责任部门）",
      ]
    `);
  });

  it('gives up on front matter that is not a mapping', () => {
    expect(salvageComplaint(['id', '2026-0001'])).toBeUndefined();
    expect(salvageComplaint('text')).toBeUndefined();
    expect(salvageComplaint(null)).toBeUndefined();
  });

  it('strips a __proto__ key without touching any prototype', () => {
    const data = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const salvaged = salvageComplaint({ ...raw(), ...data });
    expect(salvaged).toBeDefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('schema messages', () => {
  const zodMessages = (data: unknown) => {
    const result = complaintSchema.safeParse(data, { reportInput: true });
    return result.success ? [] : messages(problemsFromZod(result.error, complaintSchema));
  };

  it('suggests the field a typo was meant to be, and says what was expected and found', () => {
    const { category: _category, ...rest } = raw();
    expect(zodMessages({ ...rest, catgory: 'equipment', urgency: 'high', complainants: 0 })).toMatchInlineSnapshot(`
      [
        "complainants: must be at least 1, found 0（投诉人数）",
        "category: required field is missing（投诉分类：必填）",
        "urgency: expected one of "urgent", "general", "non_urgent", found "high"（紧急程度）",
        "catgory: unknown field "catgory"; did you mean "category"?（未知字段）",
      ]
    `);
  });

  it('masks personal data in found values and never echoes a plaintext contact', () => {
    expect(zodMessages(raw({ channel: '13800138000', contact: '王女士 翠苑3幢502' }))).toMatchInlineSnapshot(`
      [
        "channel: expected one of "online", "phone", "visit", "letter", "email", "suggestion_box", "principal_mailbox", "forwarded", "media", "other", found "138******00"（投诉渠道）",
        "contact: expected an age-encrypted envelope (ASCII armor); personal data is never stored in plaintext（联系方式（加密））",
      ]
    `);
  });

  it('does not take "constructor" or "toString" for a field with a label', () => {
    expect(zodMessages(raw({ constructor: 1, toString: 2 }))).toMatchInlineSnapshot(`
      [
        "constructor: unknown field "constructor"（未知字段）",
        "toString: unknown field "toString"（未知字段）",
      ]
    `);
  });
});

describe('plaintext personal data in a file', () => {
  it('reports front matter fields, comments and the body at their real lines, and skips an age envelope', () => {
    const text = [
      '---',
      'title: 请回电 13800138000',
      'location: 3幢 # 业主 13912345678',
      'contact: |',
      '  -----BEGIN AGE ENCRYPTED FILE-----',
      '  YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSAxMzgwMDEzODAwMAo=',
      '  -----END AGE ENCRYPTED FILE-----',
      '---',
      '',
      '正文第一行',
      '身份证 11010519491231002X',
    ].join('\n');
    const bodyOffset = text.indexOf('正文');
    const fieldAt = (offset: number) => {
      const line = text.slice(0, offset).split('\n').length;
      return line === 2 ? ['title'] : line === 3 ? ['location'] : line >= 4 && line <= 7 ? ['contact'] : undefined;
    };
    const contact = ['-----BEGIN AGE ENCRYPTED FILE-----', 'YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSAxMzgwMDEzODAwMAo=', '-----END AGE ENCRYPTED FILE-----'].join('\n');
    expect(findPersonalDataInFile({ text, bodyOffset, fieldAt, data: { title: '请回电 13800138000', location: '3幢', contact }, lineOf: () => 1 })).toMatchInlineSnapshot(`
      [
        {
          "line": 2,
          "message": "title: plaintext mobile number 138******00: remove it, or move it into the encrypted contact（标题：明文手机号码）",
        },
        {
          "line": 3,
          "message": "location: plaintext mobile number 139******78: remove it, or move it into the encrypted contact（位置：明文手机号码）",
        },
        {
          "line": 11,
          "message": "complaint text: plaintext resident ID number 110*************2X: remove it, or move it into the encrypted contact（投诉内容：明文身份证号码）",
        },
      ]
    `);
  });

  it('finds a number hidden by YAML escapes in the parsed values, at its field', () => {
    const text = '---\ntitle: "\\u0031\\u0033800138000"\n---\n';
    expect(findPersonalDataInFile({ text, bodyOffset: text.length, fieldAt: () => ['title'], data: { title: '13800138000' }, lineOf: () => 2 })).toEqual([
      {
        line: 2,
        message: 'title: plaintext mobile number 138******00: remove it, or move it into the encrypted contact (written with YAML escapes or folding)（标题：明文手机号码）',
      },
    ]);
  });

  it('scans a file that cannot be parsed, line by line', () => {
    expect(findPersonalDataInFile({ text: 'no front matter\n电话 13800138000\n' })).toEqual([
      { line: 2, message: 'plaintext mobile number 138******00 in the front matter: remove it, or move it into the encrypted contact（文件头：明文手机号码）' },
    ]);
  });
});

describe('references to org.yaml', () => {
  it('reports an unknown category, project and department with what org.yaml has', () => {
    expect(messages(checkReferences(complaint({ category: 'pool', project: 'lanting', department: 'club' }), ORG))).toMatchInlineSnapshot(`
      [
        "category: unknown category "pool" (org.yaml has "housing", "equipment", "security", "environment", "general_service", "neighbour_dispute", "developer", "other")（投诉分类）",
        "project: unknown project "lanting" (org.yaml has "cuiyuan")（管理项目）",
        "department: unknown department "club" (org.yaml has "engineering")（责任部门）",
      ]
    `);
  });
});

describe('checks across the archive', () => {
  const entry = (path: string, fields: Partial<ComplaintInput> = {}): ArchiveEntry => ({ path, data: complaint(fields) });

  it('files a complaint by its month of receipt in the organisation time zone', () => {
    // 00:10 on 1 November in Shanghai is still 31 October in UTC.
    const november = { id: '2026-0002', received_at: '2026-10-31T16:10:00Z', events: [{ at: '2026-10-31T16:10:00Z', type: 'received' as const, by: 'bob' }] };
    expect(checkArchive([entry('content/complaints/2026/11/2026-0002.md', november)], ORG)).toEqual([]);
    expect(messages(checkArchive([entry('content/complaints/2026/10/2026-0002.md', november)], ORG))).toMatchInlineSnapshot(`
      [
        "id: the file's path does not match its id and month of receipt (Asia/Shanghai): expected content/complaints/2026/11/2026-0002.md（投诉编号）",
      ]
    `);
  });

  it('reports duplicate ids, a wrong id year and links to complaints that do not exist', () => {
    const problems = checkArchive(
      [
        entry('content/complaints/2026/10/2026-0001.md'),
        entry('content/complaints/2026/10/2026-0002.md', { related: ['2026-0404'], repeat_of: '2026-0405' }),
        entry('content/complaints/2025/10/2025-0001.md', { id: '2025-0001' }),
      ].map((item, index) => (index === 1 ? { ...item, data: { ...item.data, id: '2026-0001' } } : item)),
      ORG,
    );
    expect(problems.map((problem) => `${problem.file}: ${problem.message}`)).toMatchInlineSnapshot(`
      [
        "content/complaints/2026/10/2026-0001.md: id: duplicate id "2026-0001", also used by content/complaints/2026/10/2026-0002.md（投诉编号）",
        "content/complaints/2026/10/2026-0002.md: id: duplicate id "2026-0001", also used by content/complaints/2026/10/2026-0001.md（投诉编号）",
        "content/complaints/2026/10/2026-0002.md: id: the file's path does not match its id and month of receipt (Asia/Shanghai): expected content/complaints/2026/10/2026-0001.md（投诉编号）",
        "content/complaints/2026/10/2026-0002.md: repeat_of: links to complaint "2026-0405", which does not exist（二次投诉（原投诉编号））",
        "content/complaints/2026/10/2026-0002.md: related.0: links to complaint "2026-0404", which does not exist（相关投诉第1项）",
        "content/complaints/2025/10/2025-0001.md: id: the file's path does not match its id and month of receipt (Asia/Shanghai): expected content/complaints/2026/10/2025-0001.md（投诉编号）",
        "content/complaints/2025/10/2025-0001.md: id: the id's year 2025 is not the year of receipt (2026-10-12T09:30:00+08:00)（投诉编号）",
      ]
    `);
  });

  it('refuses a 7-day closure that a repeat complaint within the 7 days contradicts (001 §4.2.2⑦)', () => {
    const original = {
      id: '2026-0001',
      anonymous: true,
      department: 'engineering',
      events: [
        { at: '2026-10-12T09:30:00+08:00', type: 'received', by: 'bob' },
        { at: '2026-10-12T09:40:00+08:00', type: 'accepted', by: 'bob' },
        { at: '2026-10-12T09:50:00+08:00', type: 'assigned', by: 'bob' },
        { at: '2026-10-12T10:50:00+08:00', type: 'investigated', by: 'alice' },
        { at: '2026-10-12T16:00:00+08:00', type: 'replied', by: 'alice' },
        { at: '2026-10-20T16:00:00+08:00', type: 'closed', by: 'alice' },
      ],
      reply: { at: '2026-10-12T16:00:00+08:00', by: 'alice', method: 'other', summary: '已修复' },
      no_visit: { reason: 'anonymous' },
      closure: { at: '2026-10-20T16:00:00+08:00', basis: 'no_repeat_7d' },
      corrective_action: '巡检',
      lessons: '复查',
    } satisfies Partial<ComplaintInput>;
    const repeat = (receivedAt: string) =>
      entry('content/complaints/2026/10/2026-0002.md', { id: '2026-0002', repeat_of: '2026-0001', received_at: receivedAt, events: [{ at: receivedAt, type: 'received', by: 'bob' }] });
    const originalEntry = entry('content/complaints/2026/10/2026-0001.md', original);
    expect(messages(checkArchive([originalEntry, repeat('2026-10-15T09:00:00+08:00')], ORG))).toMatchInlineSnapshot(`
      [
        "closure.basis: closed as "no_repeat_7d" but 2026-0002 repeated it 2 days after the reply (001 §4.2.2⑦)（关闭·关闭依据）",
      ]
    `);
    // The week runs from the reply up to, not including, the same time 7 days later.
    expect(checkArchive([originalEntry, repeat('2026-10-19T15:59:59+08:00')], ORG)).toHaveLength(1);
    expect(checkArchive([originalEntry, repeat('2026-10-19T16:00:00+08:00')], ORG)).toEqual([]);
  });

  it('leaves a salvaged file with a broken id out of the id checks', () => {
    const broken: ArchiveEntry = { path: 'content/complaints/2026/10/x.md', data: complaint({ id: '0000-0000' }), setAside: [['id']] };
    expect(checkArchive([broken, entry('content/complaints/2026/10/2026-0001.md')], ORG)).toEqual([]);
  });
});
