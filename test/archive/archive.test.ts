import { afterEach, describe, expect, it } from 'vitest';
import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  decodeText,
  listComplaintFiles,
  loadArchive,
  OrgFileError,
  parseComplaintFile,
  parseOrg,
  readComplaintFile,
  serializeComplaint,
  validateArchive,
} from '../../src/archive/archive.ts';

const VALID = fileURLToPath(new URL('../fixtures/valid', import.meta.url));
const FILE = 'content/complaints/2026/10/2026-0001.md';

const temporaryFolders: string[] = [];
afterEach(async () => {
  await Promise.all(temporaryFolders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

/** A copy of the valid fixture archive that a test may change. */
async function copyOfValidArchive(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'complaints-archive-'));
  temporaryFolders.push(folder);
  await cp(VALID, folder, { recursive: true });
  return folder;
}

describe('decoding a file', () => {
  it('reads UTF-8 text as it is', () => {
    expect(decodeText(FILE, new TextEncoder().encode('---\ntitle: 电梯\n---\n'))).toEqual({ text: '---\ntitle: 电梯\n---\n', problems: [] });
  });

  it('reports a byte order mark and goes on with the text after it', () => {
    const result = decodeText(FILE, new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('---\n')]));
    expect(result.text).toBe('---\n');
    expect(result.problems).toEqual([{ file: FILE, line: 1, message: 'the file starts with a byte order mark (BOM); save it as UTF-8 without BOM（文件带有 BOM 标记）' }]);
  });

  it('refuses GBK text at the line of the first byte that is not UTF-8', () => {
    // "---\nid: 1\ntitle: 电" with 电 in GBK (B5 E7)
    const bytes = new Uint8Array([...new TextEncoder().encode('---\nid: 1\ntitle: '), 0xb5, 0xe7, 0x0a]);
    expect(decodeText(FILE, bytes)).toEqual({
      problems: [{ file: FILE, line: 3, message: 'the file is not UTF-8 text (byte 0xB5 cannot start or continue a character; saved as GBK?); save it as UTF-8（文件编码不是 UTF-8）' }],
    });
  });

  it.each([
    ['an overlong encoding', [0xc0, 0xaf]],
    ['a UTF-16 surrogate encoded in UTF-8', [0xed, 0xa0, 0x80]],
    ['a code point beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a truncated sequence at the end', [0xe6, 0xb0]],
  ])('refuses %s', (_name, bytes) => {
    expect(decodeText(FILE, new Uint8Array(bytes)).text).toBeUndefined();
  });

  it('refuses a binary file', () => {
    expect(decodeText(FILE, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0a, 0x00])).problems[0]).toEqual({
      file: FILE,
      line: 2,
      message: 'the file is binary (it contains NUL bytes), not UTF-8 Markdown text（不是文本文件）',
    });
  });
});

describe('org.yaml', () => {
  const ORG = ['name: 测试', 'preset: property', 'projects:', '  - { key: cuiyuan, name: 翠苑, type: residential }', 'departments:', '  - { key: engineering, name: 工程部 }', ''];

  it('parses a valid org.yaml with the preset filled in', () => {
    const { org, problems } = parseOrg(ORG.join('\n'));
    expect(problems).toEqual([]);
    expect(org?.timezone).toBe('Asia/Shanghai');
    expect(org?.categories.map((category) => category.key)).toContain('equipment');
  });

  it('reports every problem with its line, including the checks across sections', () => {
    const text = [...ORG.slice(0, 4), '  - { key: cuiyuan, name: 翠苑二期, type: residential }', ...ORG.slice(4, 6), '  - { key: service, name: 客服, categories: [lifts] }', 'timezone: Mars/Olympus', 'colour: blue', ''].join('\n');
    expect(parseOrg(text).problems).toMatchInlineSnapshot(`
      [
        {
          "file": "content/org.yaml",
          "line": 5,
          "message": "projects.1.key: duplicate key "cuiyuan"（管理项目第2项·代码）",
        },
        {
          "file": "content/org.yaml",
          "line": 8,
          "message": "departments.1.categories.0: unknown category "lifts"（部门第2项·投诉分类第1项）",
        },
        {
          "file": "content/org.yaml",
          "line": 9,
          "message": "timezone: expected an IANA time zone such as "Asia/Shanghai", found "Mars/Olympus"（时区）",
        },
        {
          "file": "content/org.yaml",
          "line": 10,
          "message": "colour: unknown field "colour"（未知字段）",
        },
      ]
    `);
  });

  it('reports malformed YAML, an empty file and an alias bomb without hanging', () => {
    expect(parseOrg('name: "unclosed\npreset: property\n').problems).toEqual([
      { file: 'content/org.yaml', line: 1, message: 'malformed YAML: a quoted value starts on this line and is never closed（引号未闭合）' },
    ]);
    expect(parseOrg('# only a comment\n').problems[0]?.message).toMatch(/is empty/);
    const bomb = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level <= 9; level += 1) bomb.push(`a${level}: &a${level} [${Array(10).fill(`*a${level - 1}`).join(', ')}]`);
    expect(parseOrg(bomb.join('\n')).problems[0]?.message).toMatch(/billion laughs/);
  });

  it('makes loadArchive throw OrgFileError with the problems, and validateArchive report them', async () => {
    const root = await copyOfValidArchive();
    await writeFile(join(root, 'content/org.yaml'), 'name: 测试\npreset: housing\n');
    await expect(loadArchive(root)).rejects.toBeInstanceOf(OrgFileError);
    const archive = await validateArchive(root);
    expect(archive.org).toBeUndefined();
    expect(archive.problems.filter((problem) => problem.file === 'content/org.yaml').map((problem) => problem.line)).toEqual([1, 1, 2]);
  });
});

describe('complaint files', () => {
  it('reads a valid file into a complaint whose text serializes back to the same data', async () => {
    const archive = await loadArchive(VALID);
    const first = archive.complaints.find((complaint) => complaint.data.id === '2026-0001')!;
    const again = parseComplaintFile(first.path, serializeComplaint(first.data, first.body));
    expect(again.problems).toEqual([]);
    expect(again.complaint).toEqual(first);
  });

  it('reports a BOM and still checks the rest of the file', () => {
    const text = '---\nid: 2026-0001\ntitle: 电话 13800138000\n---\n';
    const result = readComplaintFile(FILE, new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]));
    expect(result.problems.map((problem) => `${problem.line}: ${problem.message}`)).toMatchInlineSnapshot(`
      [
        "1: the file starts with a byte order mark (BOM); save it as UTF-8 without BOM（文件带有 BOM 标记）",
        "3: title: plaintext mobile number 138******00: remove it, or move it into the encrypted contact（标题：明文手机号码）",
        "4: channel: required field is missing（投诉渠道：必填）",
        "4: received_at: required field is missing（受理时间：必填）",
        "4: received_by: required field is missing（受理人：必填）",
        "4: project: required field is missing（管理项目：必填）",
        "4: category: required field is missing（投诉分类：必填）",
        "4: events: required field is missing（处理记录：必填）",
      ]
    `);
  });

  it('still finds personal data in a file whose front matter cannot be read', () => {
    expect(parseComplaintFile(FILE, '---\ntitle: "电话\n---\n\n请打13800138000\n').problems.map((problem) => problem.line)).toEqual([2, 5]);
  });

  it('lists only .md files, and validate refuses other files and symbolic links among them', async () => {
    const root = await copyOfValidArchive();
    await writeFile(join(root, 'content/complaints/2026/10/scan.pdf'), 'not markdown');
    await writeFile(join(root, 'content/complaints/2026/10/.gitkeep'), '');
    await symlink('/etc/hostname', join(root, 'content/complaints/2026/10/2026-0099.md'));
    expect(await listComplaintFiles(root)).not.toContain('content/complaints/2026/10/scan.pdf');
    const archive = await validateArchive(root);
    expect(archive.problems).toEqual([
      { file: 'content/complaints/2026/10/2026-0099.md', message: 'a symbolic link: complaint files must be regular files in the archive（不能是符号链接）' },
      { file: 'content/complaints/2026/10/scan.pdf', message: 'not a complaint file: complaint files are content/complaints/YYYY/MM/<id>.md（不是投诉文件）' },
    ]);
  });
});
