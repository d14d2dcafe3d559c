import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { simpleGit } from 'simple-git';
import { describe, expect, it } from 'vitest';
import { listComplaintFiles, parseComplaintFile, validateArchive } from '../../src/archive/archive.ts';
import { findPersonalData } from '../../src/core/pii.ts';
import { intakeIssue, type IntakeOutcome } from '../../src/intake/run-intake.ts';
import { temporaryFolder } from '../git/git-fixture.ts';
import { formBody, intakeWorld, liftComplaint, type IntakeWorld } from './intake-world.ts';
import type { FieldId } from '../../src/intake/form-fields.ts';

/**
 * Issue 5 "done when": at least 50 hostile or broken issue bodies, each ending in a valid file or a
 * clear comment — never a crash, never a corrupted archive. Each case says which it must be and, where
 * it matters, what must survive (or not) in the file.
 */

interface HostileCase {
  name: string;
  title?: string;
  body: string;
  labels?: string[];
  author?: { login: string; association: string };
  expect: 'registered' | 'needs_information';
  /** Checks on the stored file (registered) or on the problems (needs information). */
  check?: (result: { text: string; title: string; body: string; location?: string; problems: string[] }) => void;
}

const valid = (answers: Partial<Record<FieldId, string>>) => liftComplaint(answers);
const described = (description: string) => valid({ description });
const staff = (answers: Partial<Record<FieldId, string>>) =>
  formBody('staff', { channel: '来电', received_at: '2026-10-04 10:00', complainants: '1', anonymous: '否', project: '翠苑小区', category: '设备管理', urgency: '不确定', description: '来电反映电梯故障。', ...answers });
const oneMegabyte = '投诉'.repeat(512 * 1024);

const CASES: HostileCase[] = [
  { name: 'an empty body', body: '', expect: 'needs_information', check: ({ problems }) => expect(problems[0]).toContain('没有按表单的格式填写') },
  { name: 'a body of blanks', body: ' \n\t\n  ', expect: 'needs_information' },
  { name: 'free text without the form', body: '电梯坏了，快来修！', expect: 'needs_information' },
  { name: 'no project chosen', body: valid({ project: 'None' }), expect: 'needs_information', check: ({ problems }) => expect(problems).toEqual([expect.stringContaining('请选择“所在项目”')]) },
  { name: 'no description', body: valid({ description: '_No response_' }), expect: 'needs_information', check: ({ problems }) => expect(problems).toEqual([expect.stringContaining('请填写“发生了什么”')]) },
  { name: 'every field left empty', body: formBody('complaint', {}), expect: 'needs_information', check: ({ problems }) => expect(problems).toHaveLength(2) },
  { name: 'a 1 MB text', body: described(oneMegabyte), expect: 'needs_information', check: ({ problems }) => expect(problems[0]).toContain('正文过长') },
  { name: 'a text just under the 65,536-character limit', body: described('长'.repeat(65_000)), expect: 'registered', check: ({ body }) => expect(body.length).toBeGreaterThan(65_000) },
  { name: '--- lines in the text', body: described('第一段\n---\n第二段\n---\n'), expect: 'registered', check: ({ body }) => expect(body).toContain('第一段\n---\n第二段') },
  { name: 'a text that is a front matter block', body: described('---\nid: 2026-9999\nchannel: media\n---'), expect: 'registered', check: ({ text }) => expect(text).toContain('id: 2026-9999') },
  { name: 'YAML yes as location', body: valid({ location: 'yes' }), expect: 'registered', check: ({ location }) => expect(location).toBe('yes') },
  { name: 'YAML no as location', body: valid({ location: 'no' }), expect: 'registered', check: ({ location }) => expect(location).toBe('no') },
  { name: 'YAML ~ as location', body: valid({ location: '~' }), expect: 'registered', check: ({ location }) => expect(location).toBe('~') },
  { name: 'YAML null as location', body: valid({ location: 'null' }), expect: 'registered', check: ({ location }) => expect(location).toBe('null') },
  { name: 'YAML .inf as location', body: valid({ location: '.inf' }), expect: 'registered', check: ({ location }) => expect(location).toBe('.inf') },
  { name: 'YAML 0x1F as location', body: valid({ location: '0x1F' }), expect: 'registered', check: ({ location }) => expect(location).toBe('0x1F') },
  { name: 'YAML true as the whole text', body: described('true'), expect: 'registered', check: ({ body }) => expect(body.startsWith('true\n')).toBe(true) },
  { name: 'YAML null as the title', title: 'null', body: valid({}), expect: 'registered', check: ({ title }) => expect(title).toBe('null') },
  { name: 'YAML ~ as the title', title: '~', body: valid({}), expect: 'registered', check: ({ title }) => expect(title).toBe('~') },
  { name: 'YAML anchors and aliases in the title', title: '&a [*a, *a] !!binary', body: valid({}), expect: 'registered', check: ({ title }) => expect(title).toBe('&a [*a, *a] !!binary') },
  { name: 'YAML mapping syntax in the text', body: described('- item\n- key: value\n? complex\n: value\n{a: 1}'), expect: 'registered' },
  { name: 'a YAML comment as location', body: valid({ location: '# 注释' }), expect: 'registered', check: ({ location }) => expect(location).toBe('# 注释') },
  { name: 'quotes and colons in the title', title: `他说："物业: 'no'"`, body: valid({}), expect: 'registered', check: ({ title }) => expect(title).toBe(`他说："物业: 'no'"`) },
  { name: 'HTML and script in the text', body: described('<script>alert(1)</script><img src=x onerror=alert(1)>'), expect: 'registered', check: ({ body }) => expect(body).toContain('<script>alert(1)</script>') },
  { name: 'a script tag as the title', title: '<script>alert("t")</script>', body: valid({}), expect: 'registered', check: ({ title }) => expect(title).toBe('<script>alert("t")</script>') },
  { name: 'zero-width characters in the text', body: described('电\u200B梯\u200C坏\u2060了\uFEFF'), expect: 'registered', check: ({ body }) => expect(body.startsWith('电梯坏了\n')).toBe(true) },
  { name: 'a phone number split by zero-width spaces', body: described('请打 138\u200B1234\u200B5678 找我'), expect: 'registered', check: ({ body }) => expect(body).toContain('请打 〔已隐去手机号码〕 找我') },
  { name: 'a right-to-left override in the title', title: '\u202E电梯坏了\u202C', body: valid({}), expect: 'registered', check: ({ title }) => expect(title).toBe('电梯坏了') },
  { name: 'Arabic and Hebrew text', body: described('المصعد معطل — המעלית תקועה'), expect: 'registered', check: ({ body }) => expect(body).toContain('המעלית') },
  { name: 'emoji, with joiners and flags', body: described('电梯坏了😡👩‍💻🏳️‍🌈'), expect: 'registered', check: ({ body }) => expect(body).toContain('😡👩‍💻🏳️‍🌈') },
  { name: 'shell metacharacters in the title', title: '$(rm -rf /); `id` && echo ${HOME} | cat > /tmp/x', body: valid({}), expect: 'registered', check: ({ title }) => expect(title).toBe('$(rm -rf /); `id` && echo ${HOME} | cat > /tmp/x') },
  { name: 'workflow expressions in the title', title: '${{ github.token }} ${{ secrets.GITHUB_TOKEN }}', body: valid({}), expect: 'registered', check: ({ title }) => expect(title).toBe('${{ github.token }} ${{ secrets.GITHUB_TOKEN }}') },
  { name: 'an unknown project', body: valid({ project: '纳尼亚' }), expect: 'needs_information', check: ({ problems }) => expect(problems[0]).toContain('“所在项目”中的“纳尼亚”不在可选范围内') },
  { name: 'an unknown category', body: valid({ category: '水电费' }), expect: 'needs_information' },
  { name: 'an unknown urgency', body: valid({ urgency: '特急' }), expect: 'needs_information' },
  { name: 'an unknown visit answer', body: valid({ visit: '看心情' }), expect: 'needs_information' },
  { name: 'two projects chosen', body: valid({ project: '翠苑小区, 国贸大厦' }), expect: 'needs_information', check: ({ problems }) => expect(problems[0]).toContain('只能选择一项') },
  { name: 'an @mention and Markdown as an unknown option', body: valid({ project: '@everyone [x](javascript:alert(1)) `code`' }), expect: 'needs_information', check: ({ problems }) => expect(problems[0]).not.toMatch(/@everyone|\]\(/) },
  { name: 'CRLF line ends throughout', body: valid({}).replace(/\n/g, '\r\n'), expect: 'registered', check: ({ text }) => expect(text).not.toContain('\r') },
  { name: 'lone CR line ends', body: valid({}).replace(/\n/g, '\r'), expect: 'registered', check: ({ text }) => expect(text).not.toContain('\r') },
  { name: 'NUL bytes in the text', body: described('电梯\u0000坏了\u0000'), expect: 'registered', check: ({ text }) => expect(text).not.toContain('\u0000') },
  { name: 'terminal escape sequences', body: described('\u001B[31m红色\u001B[0m\u0007'), expect: 'registered', check: ({ text }) => expect(text).not.toMatch(/[\u0007\u001B]/) },
  { name: 'a lone surrogate', body: described('坏了\uD800'), expect: 'registered', check: ({ body }) => expect(body).toContain('坏了\uFFFD') },
  { name: '### inside the text', body: described('第一点 ### 第二点\n### 不是栏目\n#### 四级标题'), expect: 'registered', check: ({ body }) => expect(body).toContain('第一点 ### 第二点\n### 不是栏目\n#### 四级标题') },
  { name: 'a form heading repeated inside the text', body: `${valid({})}\n\n### 所在项目\n\n国贸大厦`, expect: 'needs_information', check: ({ problems }) => expect(problems[0]).toContain('栏目“所在项目”出现了 2 次') },
  { name: 'Markdown headings inside the text', body: described('## 诉求\n# 一级标题'), expect: 'registered', check: ({ body }) => expect(body).toContain('## 诉求\n# 一级标题') },
  { name: 'the form headings in another order', body: valid({}).split(/\n\n(?=### )/).reverse().join('\n\n'), expect: 'registered' },
  { name: 'an extra heading the form does not have', body: `${valid({})}\n\n### 备注\n\n请尽快`, expect: 'registered', check: ({ body }) => expect(body).toContain('### 备注') },
  { name: 'headings without a space', body: valid({}).replace(/### /g, '###'), expect: 'registered' },
  { name: 'a 300-character title', title: '电梯'.repeat(150), body: valid({}), expect: 'registered', check: ({ title }) => expect([...title].length).toBe(200) },
  { name: 'a title that is only the form prefix', title: '[投诉] ', body: valid({}), expect: 'registered', check: ({ title }) => expect(title.startsWith('3 号楼 2 单元电梯')).toBe(true) },
  { name: 'a title of invisible characters', title: '\u200B\u200B\uFEFF', body: valid({}), expect: 'registered', check: ({ title }) => expect(title.startsWith('3 号楼')).toBe(true) },
  { name: 'a text of invisible characters only', body: described('\u200B\u200C\uFEFF'), expect: 'needs_information' },
  { name: '5,000 # signs', body: described('#'.repeat(5000)), expect: 'registered', check: ({ body }) => expect(body).toContain('#'.repeat(5000)) },
  { name: 'private-use characters intake uses for escaping', body: described('\uE000\uE0001\uE0000 ###'), expect: 'registered', check: ({ body }) => expect(body).toContain('\uE000\uE0001\uE0000 ###') },
  { name: 'the empty-answer words as the text', body: described('None'), expect: 'needs_information' },
  { name: 'JSON and YAML flow syntax as location', body: valid({ location: '{"a": 1} [a, b]' }), expect: 'registered', check: ({ location }) => expect(location).toBe('{"a": 1} [a, b]') },
  { name: 'tabs everywhere', body: valid({ location: '3\t号楼', description: '电梯\t坏了' }), expect: 'registered', check: ({ location }) => expect(location).toBe('3 号楼') },
  { name: 'a line separator character', body: described('第一行\u2028第二行'), expect: 'registered', check: ({ body }) => expect(body).toContain('第一行\n第二行') },
  { name: 'full-width digits of a phone number', body: described('电话１３８１２３４５６７８'), expect: 'registered', check: ({ text }) => expect(findPersonalData(text)).toEqual([]) },
  { name: 'a newline inside the title', title: '电梯\n坏了\r\n快修', body: valid({}), expect: 'registered', check: ({ title }) => expect(title).toBe('电梯 坏了 快修') },
  { name: 'ten thousand lines of ###', body: described('### 行\n'.repeat(10_000)), expect: 'registered' },
  { name: 'the staff form from a stranger', body: staff({}), labels: ['投诉', '线下登记'], author: { login: 'stranger', association: 'NONE' }, expect: 'needs_information' },
  { name: 'a staff receipt time in words', body: staff({ received_at: '昨天下午' }), labels: ['投诉', '线下登记'], expect: 'needs_information', check: ({ problems }) => expect(problems[0]).toContain('无法识别') },
  { name: 'a negative number of complainants', body: staff({ complainants: '-1' }), labels: ['投诉', '线下登记'], expect: 'needs_information' },
  { name: 'a huge number of complainants', body: staff({ complainants: '99999999' }), labels: ['投诉', '线下登记'], expect: 'needs_information' },
  { name: 'a forwarding deadline before receipt', body: staff({ forwarded_by: '市长热线', deadline: '2026-09-01' }), labels: ['投诉', '线下登记'], expect: 'needs_information', check: ({ problems }) => expect(problems[0]).toContain('早于受理时间') },
  { name: 'a receiver that is no GitHub handle', body: staff({ received_by: '张 三; rm -rf' }), labels: ['投诉', '线下登记'], expect: 'needs_information' },
  { name: 'a valid staff form with a forwarding deadline', body: staff({ forwarded_by: '市长热线', deadline: '2026-10-20' }), labels: ['投诉', '线下登记'], expect: 'registered', check: ({ text }) => expect(text).toContain('office: 市长热线') },
];

/** Runs every case through intake in one world, one after another, as issues arriving in a repository. */
async function runCases(world: IntakeWorld, cases: readonly (HostileCase & { number: number })[]): Promise<{ item: HostileCase & { number: number }; outcome: IntakeOutcome }[]> {
  const root = await world.clone('runner');
  const results = [];
  for (const item of cases) {
    world.fake.addIssue({
      number: item.number,
      title: item.title ?? '[投诉] 电梯停运',
      body: item.body,
      labels: item.labels ?? ['投诉'],
      user: { login: item.author?.login ?? 'owner', type: 'User' },
      author_association: item.author?.association ?? 'OWNER',
      created_at: '2026-10-05T01:30:00Z',
    });
    results.push({ item, outcome: await intakeIssue(world.context(root), item.number, { finishExisting: true }) });
  }
  return results;
}

describe('intake of hostile and broken issue bodies', () => {
  it(`ends each of ${CASES.length} hostile bodies in a valid file or one clear comment, never a crash or a corrupted archive`, async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(50);
    const numbered = CASES.map((item, index) => ({ ...item, number: index + 1 }));
    const WORLDS = 3;
    const worlds = await Promise.all(Array.from({ length: WORLDS }, () => intakeWorld()));
    const runs = await Promise.all(worlds.map((world, index) => runCases(world, numbered.filter((_, caseIndex) => caseIndex % WORLDS === index))));

    for (const [worldIndex, results] of runs.entries()) {
      const world = worlds[worldIndex]!;
      const folder = join(await temporaryFolder('complaints-hostile-'), 'archive');
      await simpleGit().clone(world.bare, folder, ['--quiet']);
      const validated = await validateArchive(folder);
      expect(validated.problems).toEqual([]);
      const files = await listComplaintFiles(folder);
      expect(files).toHaveLength(results.filter((result) => result.outcome.outcome === 'registered').length);

      for (const { item, outcome } of results) {
        expect(outcome.outcome, `${item.name}: ${JSON.stringify(outcome).slice(0, 300)}`).toBe(item.expect);
        const comments = world.fake.commentsOf(item.number);
        if (outcome.outcome === 'needs_information') {
          expect(comments, item.name).toHaveLength(1);
          expect(comments[0]!.body, item.name).toMatch(/您的投诉暂时无法登记[\s\S]*\n1\. \S/);
          expect(world.fake.issue(item.number).labels, item.name).toContain('需补充信息');
          item.check?.({ text: '', title: '', body: '', problems: outcome.problems });
        } else if (outcome.outcome === 'registered') {
          const text = await readFile(join(folder, outcome.path), 'utf8');
          const { complaint } = parseComplaintFile(outcome.path, text);
          expect(complaint, item.name).toBeDefined();
          expect(complaint!.data.source?.issue).toBe(item.number);
          // One tracking comment, plus the privacy notice when personal data was typed into the page.
          const [tracking, ...others] = comments;
          expect(tracking!.body).toContain(`投诉编号：${outcome.id}`);
          expect(others.map((comment) => comment.body.split('\n')[0]), item.name).toEqual(findPersonalData(item.body).length > 0 || item.name.includes('phone') ? ['<!-- complaints:intake:personal-data -->'] : []);
          expect(text, item.name).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u200B\u202E]/);
          item.check?.({ text, title: complaint!.data.title, body: complaint!.body, ...(complaint!.data.location !== undefined ? { location: complaint!.data.location } : {}), problems: [] });
        }
      }
    }
  }, 120_000);
});
