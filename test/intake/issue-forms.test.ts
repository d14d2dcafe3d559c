import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTemplate } from '@github/issue-parser';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseOrg } from '../../src/archive/archive.ts';
import { COMPLAINT_FORM_LABELS, STAFF_FORM_LABELS } from '../../src/intake/form-fields.ts';
import { boardLinks, issueFormFiles } from '../../src/intake/issue-forms.ts';
import { runComplaints } from '../cli/run-cli.ts';
import { temporaryFolder } from '../git/git-fixture.ts';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE_ORG = new URL('./fixtures/org.yaml', import.meta.url);
const org = parseOrg((await readFile(FIXTURE_ORG, 'utf8')).replace('recipients: [RECIPIENT]', 'recipients: []')).org!;

type FormElement = { type: string; id?: string; attributes: Record<string, any>; validations?: { required?: boolean } };

/** The rules of GitHub's form schema that a generator can break. */
function expectValidForm(text: string): void {
  const form = parse(text) as { name: string; description: string; labels: string[]; body: FormElement[] };
  expect(form.name).toBeTruthy();
  expect(form.description).toBeTruthy();
  const fields = form.body.filter((element) => element.type !== 'markdown');
  const ids = fields.map((field) => field.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
  const labels = fields.map((field) => field.attributes.label as string);
  expect(new Set(labels).size).toBe(labels.length);
  for (const field of fields.filter((item) => item.type === 'dropdown')) {
    const options = field.attributes.options as string[];
    expect(new Set(options).size, field.id).toBe(options.length);
    for (const option of options) {
      expect(option.trim(), field.id).not.toBe('');
      expect(option, field.id).not.toContain(',');
      expect(option.toLowerCase(), field.id).not.toBe('none');
    }
    if (field.attributes.default !== undefined) expect(field.attributes.default).toBeLessThan(options.length);
  }
}

describe('the issue forms generated from org.yaml', () => {
  const { files, warnings } = issueFormFiles(org);
  const byPath = Object.fromEntries(files.map((file) => [file.path, file.text]));

  it('writes a public form, a staff form and config.yml that follow GitHub\'s form schema', () => {
    expect(Object.keys(byPath)).toEqual(['.github/ISSUE_TEMPLATE/complaint.yml', '.github/ISSUE_TEMPLATE/staff-register.yml', '.github/ISSUE_TEMPLATE/config.yml']);
    expectValidForm(byPath['.github/ISSUE_TEMPLATE/complaint.yml']!);
    expectValidForm(byPath['.github/ISSUE_TEMPLATE/staff-register.yml']!);
    expect(warnings).toEqual([]);
  });

  it('warns on the public form that the page is public and asks for no personal data', () => {
    const form = parse(byPath['.github/ISSUE_TEMPLATE/complaint.yml']!) as { body: FormElement[]; labels: string[] };
    expect(form.labels).toEqual(['投诉']);
    expect(form.body[0]!.attributes.value).toContain('本页面公开可见');
    expect(form.body[0]!.attributes.value).toContain('请不要填写姓名、电话号码、身份证号');
    expect(form.body[0]!.attributes.value).toContain('https://example.github.io/complaints/how-to-complain/');
  });

  it('offers the projects and categories of org.yaml, "不确定" for the category, and the urgency classes of 003', () => {
    const form = parse(byPath['.github/ISSUE_TEMPLATE/complaint.yml']!) as { body: FormElement[] };
    const options = (id: string) => form.body.find((element) => element.id === id)!.attributes.options;
    expect(options('project')).toEqual(['翠苑小区', '国贸大厦']);
    expect(options('category')).toEqual(['房屋管理', '设备管理', '安全管理', '环境管理', '综合服务', '业户纠纷', '地产相关', '其它', '不确定']);
    expect(options('urgency')).toHaveLength(4);
    expect(options('visit')).toEqual(['需要：处理完成后请回访我', '不需要']);
  });

  it('uses the headings intake reads', () => {
    const labelsOf = (text: string) => Object.fromEntries(Object.entries(parseTemplate(text)).map(([id, field]) => [id, field.label]));
    expect(labelsOf(byPath['.github/ISSUE_TEMPLATE/complaint.yml']!)).toEqual(COMPLAINT_FORM_LABELS);
    expect(labelsOf(byPath['.github/ISSUE_TEMPLATE/staff-register.yml']!)).toEqual(STAFF_FORM_LABELS);
  });

  it('turns blank issues off and links the board and its how-to-complain page', () => {
    expect(parse(byPath['.github/ISSUE_TEMPLATE/config.yml']!)).toEqual({
      blank_issues_enabled: false,
      contact_links: [
        { name: '投诉处理公示栏', url: 'https://example.github.io/complaints/', about: expect.any(String) },
        { name: '如何投诉', url: 'https://example.github.io/complaints/how-to-complain/', about: expect.any(String) },
      ],
    });
  });

  it('leaves the links out, with a warning, when org.yaml has no absolute board.url', () => {
    const withoutUrl = { ...org, board: { url: 'complaints/' } };
    expect(boardLinks(withoutUrl)).toBeUndefined();
    const generated = issueFormFiles(withoutUrl);
    expect(parse(generated.files[2]!.text)).toEqual({ blank_issues_enabled: false });
    expect(generated.warnings).toEqual([expect.stringContaining('board.url')]);
  });

  it('keeps ASCII commas out of options, since the issue body separates chosen options with them', () => {
    const comma = { ...org, projects: [...org.projects, { key: 'abc', name: 'A,B 大厦', type: 'office' as const, area: 1 }, { key: 'dup', name: '翠苑小区', type: 'residential' as const, households: 1 }] };
    const form = parse(issueFormFiles(comma).files[0]!.text) as { body: FormElement[] };
    expect(form.body.find((element) => element.id === 'project')!.attributes.options).toEqual(['翠苑小区（cuiyuan）', '国贸大厦', 'A，B 大厦', '翠苑小区（dup）']);
  });
});

describe('complaints forms', () => {
  it('finds the forms committed in this repository up to date with its org.yaml', async () => {
    const result = await runComplaints(['forms', '--check', '--root', REPOSITORY_ROOT]);
    expect(result.stderr.replace(/^warning: .*\n/gm, '')).toBe('');
    expect(result.code).toBe(0);
  });

  it('writes the forms, and --check fails once org.yaml changes until they are written again', async () => {
    const root = await temporaryFolder('complaints-forms-');
    await mkdir(join(root, 'content'), { recursive: true });
    await copyFile(FIXTURE_ORG, join(root, 'content/org.yaml'));
    const orgFile = join(root, 'content/org.yaml');
    await writeFile(orgFile, (await readFile(orgFile, 'utf8')).replace('recipients: [RECIPIENT]', 'recipients: []'));

    expect((await runComplaints(['forms', '--root', root])).stdout).toBe(
      'wrote .github/ISSUE_TEMPLATE/complaint.yml\nwrote .github/ISSUE_TEMPLATE/staff-register.yml\nwrote .github/ISSUE_TEMPLATE/config.yml\n',
    );
    expect((await runComplaints(['forms', '--check', '--root', root])).code).toBe(0);

    await writeFile(orgFile, (await readFile(orgFile, 'utf8')).replace('  - { key: guomao', '  - { key: lanting, name: 兰亭花园, type: residential, households: 800 }\n  - { key: guomao'));
    const stale = await runComplaints(['forms', '--check', '--root', root, '--json']);
    expect(stale.code).toBe(1);
    expect(JSON.parse(stale.stdout)).toEqual({
      ok: false,
      files: [
        { path: '.github/ISSUE_TEMPLATE/complaint.yml', status: 'stale' },
        { path: '.github/ISSUE_TEMPLATE/staff-register.yml', status: 'stale' },
        { path: '.github/ISSUE_TEMPLATE/config.yml', status: 'unchanged' },
      ],
    });

    await runComplaints(['forms', '--root', root]);
    expect((await runComplaints(['forms', '--check', '--root', root])).code).toBe(0);
    expect(await readFile(join(root, '.github/ISSUE_TEMPLATE/complaint.yml'), 'utf8')).toContain('- 兰亭花园');
  });
});
