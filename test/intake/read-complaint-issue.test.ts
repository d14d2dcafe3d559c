import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseOrg } from '../../src/archive/archive.ts';
import type { Org } from '../../src/core/org/schema.ts';
import { formTemplateText } from '../../src/intake/issue-forms.ts';
import { readComplaintIssue, quoteValue, type IssueForIntake } from '../../src/intake/read-complaint-issue.ts';
import { readIssueForm } from '../../src/intake/read-issue-form.ts';
import { cleanText } from '../../src/intake/untrusted-text.ts';
import { formBody, liftComplaint } from './intake-world.ts';

const orgText = (await readFile(new URL('./fixtures/org.yaml', import.meta.url), 'utf8')).replace(
  'recipients: [RECIPIENT]',
  'recipients: [age1akw0hckutl7gk7wmump34hms7gu3fs68hxxmmh4n5veww97ncsqqcs7r85]',
);
const ORG: Org = parseOrg(orgText).org!;
const NOW = new Date('2026-10-05T02:00:00Z');

function issue(body: string, overrides: Partial<IssueForIntake> = {}): IssueForIntake {
  return {
    number: 12,
    title: '[投诉] 电梯停运',
    body,
    author: { login: 'resident', type: 'User' },
    authorAssociation: 'NONE',
    createdAt: '2026-10-05T01:30:00Z',
    htmlUrl: 'https://github.com/octo-org/complaints/issues/12',
    labels: ['投诉'],
    ...overrides,
  };
}

describe('reading a complaint form', () => {
  it('reads every field of the public form into a registration', () => {
    const reading = readComplaintIssue(issue(liftComplaint({ category: '设备管理', urgency: '紧急：火灾隐患、燃气泄漏、漏电、电梯困人、设施故障导致无法正常居住或使用', visit: '不需要' })), ORG, NOW);

    expect(reading).toMatchObject({
      ok: true,
      form: 'complaint',
      category: { key: 'equipment', basis: 'chosen', keywords: [] },
      visitWanted: false,
      personalData: [],
      registration: {
        title: '电梯停运',
        channel: 'online',
        receivedAt: '2026-10-05T01:30:00Z',
        receivedBy: 'issue-intake',
        project: 'cuiyuan',
        location: '3 号楼 2 单元',
        category: 'equipment',
        reportedCategory: 'equipment',
        urgency: 'urgent',
        body: '3 号楼 2 单元电梯从 10 月 3 日起停运，老人上下楼很困难，至今无人维修。\n\n## 投诉人诉求\n\n尽快修好电梯。\n\n## 回访意愿\n\n不需要\n',
      },
    });
  });

  it.each([
    ['电梯', '不确定', { key: 'equipment', basis: 'keywords' }],
    ['楼道垃圾三天没人清扫，臭味很大', '不确定', { key: 'environment', basis: 'keywords' }],
    ['楼上邻居装修噪音扰民', '不确定', { key: 'neighbour_dispute', basis: 'keywords' }],
    ['说不清楚的事情', '不确定', { key: 'other', basis: 'fallback' }],
    ['电梯', '环境管理', { key: 'environment', basis: 'chosen' }],
  ])('decides the category of "%s" (chosen: %s)', (description, category, expected) => {
    const reading = readComplaintIssue(issue(liftComplaint({ description, category }), { title: '[投诉] ' }), ORG, NOW);
    expect(reading.ok && reading.category).toMatchObject(expected);
  });

  it('makes an unsure complaint urgent when its text speaks of fire or gas, and says why', () => {
    const reading = readComplaintIssue(issue(liftComplaint({ description: '地下室有燃气味，还在冒烟' })), ORG, NOW);
    expect(reading).toMatchObject({ ok: true, urgencyKeywords: ['冒烟', '燃气'], registration: { urgency: 'urgent' } });
    expect(reading.ok && reading.receivedNote).toContain('紧急程度由系统根据关键词（冒烟、燃气）定为紧急');
  });

  it('lists every problem at once, each in zh-CN', () => {
    const reading = readComplaintIssue(issue(formBody('complaint', { project: '火星', category: '天气', urgency: '特急', visit: '随便' })), ORG, NOW);
    expect(reading.ok).toBe(false);
    expect(!reading.ok && reading.problems).toEqual([
      '“所在项目”中的“火星”不在可选范围内，可选：翠苑小区、国贸大厦。',
      '“投诉类别”中的“天气”不在可选范围内，可选：房屋管理、设备管理、安全管理、环境管理、综合服务、业户纠纷、地产相关、其它、不确定。',
      '“紧急程度”中的“特急”不在可选范围内，可选：紧急：火灾隐患、燃气泄漏、漏电、电梯困人、设施故障导致无法正常居住或使用、一般：服务态度、噪音、卫生等需要尽快处理的问题、非紧急：意见建议、轻微不便、不确定。',
      '请填写“发生了什么”：发生了什么、在哪里、从什么时候开始。',
      '“是否需要回访”中的“随便”不在可选范围内，可选：需要：处理完成后请回访我、不需要。',
    ]);
  });

  it('replaces personal data in every field and keeps the raw text for the envelope', () => {
    const raw = liftComplaint({ location: '3 号楼 13812345678', description: '身份证 11010519491231002X，电话 139 1234 5678' });
    const reading = readComplaintIssue(issue(raw, { title: '[投诉] 13700001111 的电梯' }), ORG, NOW);
    expect(reading).toMatchObject({
      ok: true,
      personalData: ['mobile', 'id_card', 'mobile', 'mobile'],
      original: `[投诉] 13700001111 的电梯\n\n${raw}`,
      registration: { title: '〔已隐去手机号码〕 的电梯', location: '3 号楼 〔已隐去手机号码〕' },
    });
    expect(reading.ok && reading.registration.body).toContain('身份证 〔已隐去身份证号码〕，电话 〔已隐去手机号码〕');
  });

  it('asks for personal data to be removed when org.yaml has no recipient to encrypt it to', () => {
    const noKeys = parseOrg(orgText.replace(/^recipients: .*$/m, 'recipients: []')).org!;
    const reading = readComplaintIssue(issue(liftComplaint({ description: '电话 13812345678' })), noKeys, NOW);
    expect(!reading.ok && reading.problems).toEqual(['内容中有手机号码，请删除后保存：本页面公开可见，个人信息请通过电话、来访等渠道提供。']);
  });

  it('reads the staff form only from staff: named in org.yaml or with a role in the repository', () => {
    const body = formBody('staff', { channel: '来访', received_at: '2026-10-04 09:00', complainants: '2', project: '翠苑小区', category: '设备管理', description: '两位业主来访。' });
    const labels = ['投诉', '线下登记'];
    expect(readComplaintIssue(issue(body, { labels, author: { login: 'cs-zheng', type: 'User' } }), ORG, NOW)).toMatchObject({
      ok: true,
      form: 'staff',
      registration: { channel: 'visit', receivedAt: '2026-10-04T09:00:00+08:00', receivedBy: 'cs-zheng', complainants: 2, anonymous: false },
    });
    expect(readComplaintIssue(issue(body, { labels, authorAssociation: 'MEMBER' }), ORG, NOW).ok).toBe(true);
    expect(readComplaintIssue(issue(body, { labels }), ORG, NOW)).toMatchObject({ ok: false, problems: [expect.stringContaining('仅供工作人员使用')] });
  });

  it('refuses a staff receipt time in the future', () => {
    const body = formBody('staff', { channel: '来电', received_at: '2026-10-06 09:00', project: '翠苑小区', description: '来电。' });
    const reading = readComplaintIssue(issue(body, { labels: ['投诉', '线下登记'], authorAssociation: 'OWNER' }), ORG, NOW);
    expect(!reading.ok && reading.problems).toEqual(['“受理时间”“2026-10-06 09:00”晚于现在，请核对。']);
  });
});

describe('quoting what a complainant typed', () => {
  it.each([
    ['@everyone', '“@\u200Beveryone”'],
    ['[链接](javascript:alert(1))', '“\\[链接\\]\\(javascript:alert\\(1\\)\\)”'],
    ['`code`', '“\\`code\\`”'],
    ['电话 13812345678', '“电话 〔已隐去手机号码〕”'],
    ['长'.repeat(60), `“${'长'.repeat(39)}…”`],
  ])('quotes %j as %j', (text, quoted) => expect(quoteValue(text)).toBe(quoted));
});

describe('reading a form body with @github/issue-parser', () => {
  const template = formTemplateText(ORG, 'complaint');

  it('gives back any text typed into the description exactly as cleaned, whatever # or escape characters it holds', () => {
    const typed = fc.string({ unit: fc.constantFrom('#', ' ', '\n', 'a', '电', '\uE000', '0', '1', '_', '-', ',') , maxLength: 80 });
    fc.assert(
      fc.property(typed, (text) => {
        const expected = cleanText(text).trim().replace(/^[\n]+|[\n]+$/g, '');
        fc.pre(expected !== '' && !/^(none|_no response_)$/i.test(expected) && !/^### *(所在项目|具体位置|投诉类别|紧急程度|发生了什么|希望如何处理|是否需要回访)\s*$/m.test(text));
        const answers = readIssueForm(liftComplaint({ description: text }), 'complaint', template);
        expect(answers.values.description).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('reports a heading of the form that occurs twice', () => {
    const answers = readIssueForm(`${liftComplaint()}\n\n### 发生了什么\n\n又一段`, 'complaint', template);
    expect(answers.repeatedHeadings).toEqual([{ label: '发生了什么', count: 2 }]);
  });

  it('keeps text added below a dropdown answer apart from the answer', () => {
    const answers = readIssueForm(`${liftComplaint()}\n\n补充：晚上也停`, 'complaint', template);
    expect(answers.values.visit).toEqual(['需要：处理完成后请回访我']);
    expect(answers.trailing).toEqual(['补充：晚上也停']);
  });
});
