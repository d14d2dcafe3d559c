import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FrontmatterError, parseFrontmatter, serializeFrontmatter } from '../../src/archive/frontmatter.ts';
import { complaintSchema, eventSchema } from '../../src/core/complaint/schema.ts';

const FILE = `---
events:
  - { by: alice, type: received, at: "2026-10-12T09:30:00+08:00", note: 来电 }
category: equipment
id: 2026-0001
title: 电梯停运
---

电梯停运两天。

## 处理记录
`;

/** The error a text raises, as line and message. */
function parseError(text: string): { line: number; message: string; issues: readonly { line: number; message: string }[] } {
  try {
    parseFrontmatter(text);
  } catch (cause) {
    if (cause instanceof FrontmatterError) return { line: cause.line, message: cause.message, issues: cause.issues };
    throw cause;
  }
  throw new Error('expected a FrontmatterError');
}

describe('front matter round trip', () => {
  it('writes keys in schema order, event keys in event-schema order, and keeps the body byte for byte', () => {
    const parsed = parseFrontmatter(FILE);
    const written = serializeFrontmatter(parsed.data, parsed.body, complaintSchema);
    expect(written).toMatchInlineSnapshot(`
      "---
      id: 2026-0001
      title: 电梯停运
      category: equipment
      events:
        - at: 2026-10-12T09:30:00+08:00
          type: received
          by: alice
          note: 来电
      ---

      电梯停运两天。

      ## 处理记录
      "
    `);
    const again = parseFrontmatter(written);
    expect(again.body).toBe(parsed.body);
    expect(again.data).toEqual(parsed.data);
    expect(Object.keys(again.data as object)).toEqual(['id', 'title', 'category', 'events']);
    const [event] = (again.data as { events: object[] }).events;
    expect(Object.keys(event!)).toEqual(Object.keys(eventSchema.shape).filter((key) => key in event!));
  });

  it('keeps a body without a final newline, with leading blank lines, or with CRLF line ends', () => {
    for (const body of ['no final newline', '\n\nstarts after blank lines\n', 'windows\r\nline ends\r\n', '\r\n', '']) {
      const text = serializeFrontmatter({ id: '2026-0001' }, body, complaintSchema);
      expect(parseFrontmatter(text).body).toBe(body);
    }
  });

  it('reads a file with CRLF line ends', () => {
    const parsed = parseFrontmatter('---\r\nid: 2026-0001\r\ntitle: 标题\r\n---\r\n\r\n正文\r\n');
    expect(parsed.data).toEqual({ id: '2026-0001', title: '标题' });
    expect(parsed.body).toBe('正文\r\n');
    expect(parsed.bodyLine).toBe(6);
  });

  const untrusted = [
    '---',
    'a\n---\nb',
    'key: value',
    ': leading colon',
    '# not a comment',
    'trailing #',
    '"double quoted"',
    "'single quoted'",
    'it\'s "mixed"',
    'yes',
    'no',
    'on',
    'off',
    'null',
    '~',
    'true',
    '0x1F',
    '0o17',
    '.inf',
    '-.inf',
    '.nan',
    '1e3',
    '012',
    '2026-10-12',
    '@handle',
    '`code`',
    '%percent',
    '!tag',
    '&anchor',
    '*alias',
    '- item',
    '? key',
    '| block',
    '> folded',
    '{ flow: map }',
    '[flow, seq]',
    'zero\u200bwidth\u200c\u200djoiners\ufeff',
    '\u202eRTL override\u202c and \u2067isolate\u2069',
    'العربية and עברית',
    'emoji 😀👨‍👩‍👧 and flags 🇨🇳',
    'line one\nline two',
    'trailing newline\n',
    'two trailing newlines\n\n',
    '\nleading newline',
    '  leading spaces',
    'trailing spaces  ',
    '\ttab',
    'carriage\rreturn',
    'crlf\r\nline',
    'nul \u0000 and bell \u0007 and escape \u001b[31m',
    'line separator \u2028 paragraph \u2029 next line \u0085',
    '',
    ' ',
  ];

  it.each(untrusted.map((text) => [JSON.stringify(text), text]))('round-trips the untrusted string %s exactly', (_name, text) => {
    const data = {
      id: '2026-0001',
      title: text,
      events: [{ at: '2026-10-12T09:30:00+08:00', type: 'received', by: 'alice', note: text }],
    };
    const written = serializeFrontmatter(data, text, complaintSchema);
    const parsed = parseFrontmatter(written);
    expect(parsed.data).toEqual(data);
    expect(parsed.body).toBe(text);
  });

  it('round-trips any strings in fields and body (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (title, note, body) => {
        const data = { id: '2026-0001', title, events: [{ at: '2026-10-12T09:30:00+08:00', type: 'received', by: 'alice', note }] };
        const parsed = parseFrontmatter(serializeFrontmatter(data, body, complaintSchema));
        expect(parsed.data).toEqual(data);
        expect(parsed.body).toBe(body);
      }),
      { numRuns: 300 },
    );
  });
});

describe('front matter that cannot be read', () => {
  it('refuses a ---js block without running it', () => {
    const key = 'frontmatterTestPayloadRan';
    const text = `---js\n{ title: (globalThis.${key} = true, 'pwned') }\n---\n`;
    expect(parseError(text)).toMatchInlineSnapshot(`
      {
        "issues": [
          {
            "line": 1,
            "message": "front matter in "js" is not allowed and was not run; complaint files use YAML between "---" lines only（文件头只能使用 YAML）",
          },
        ],
        "line": 1,
        "message": "front matter in "js" is not allowed and was not run; complaint files use YAML between "---" lines only（文件头只能使用 YAML）",
      }
    `);
    expect(key in globalThis).toBe(false);
  });

  it.each([
    ['an empty file', ''],
    ['a file of blank lines', '\n\n  \n'],
    ['a file without front matter', '# 标题\n\n正文\n'],
    ['a byte order mark', '\uFEFF---\nid: 2026-0001\n---\n'],
    ['an unclosed block', '---\nid: 2026-0001\n\n正文\n'],
    ['an empty block', '---\n---\n正文\n'],
    ['a block that only has comments', '---\n# nothing\n---\n'],
    ['a malformed opening line', '---- \nid: 1\n---\n'],
  ])('reports %s on line 1', (_name, text) => {
    const error = parseError(text);
    expect(error.line).toBe(1);
    expect(error.message).toMatch(/（.+）$/);
  });

  it('reports every duplicate key and malformed line with its file line', () => {
    expect(parseError('---\nid: 2026-0001\ntitle: a\ntitle: b\nchannel: phone\nchannel: visit\n---\n').issues).toMatchInlineSnapshot(`
      [
        {
          "line": 4,
          "message": "malformed YAML: the field "title" appears twice（字段重复）",
        },
        {
          "line": 6,
          "message": "malformed YAML: the field "channel" appears twice（字段重复）",
        },
      ]
    `);
    expect(parseError('---\nid: 2026-0001\ntitle: "unclosed\n---\n').line).toBe(3);
  });

  it('refuses YAML 1.1 tags instead of turning them into buffers or sets', () => {
    expect(parseError('---\ntitle: !!binary aGVsbG8=\n---\n')).toMatchObject({ line: 2, message: 'unsupported YAML tag "!!binary"; complaint files use plain values（不支持的 YAML 标签）' });
  });

  it('fails fast on a billion-laughs alias bomb', () => {
    const lines = ['---', 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let level = 1; level <= 9; level += 1) lines.push(`a${level}: &a${level} [${Array(10).fill(`*a${level - 1}`).join(', ')}]`);
    lines.push('---', '');
    const started = performance.now();
    const error = parseError(lines.join('\n'));
    const elapsed = performance.now() - started;
    expect(error).toMatchObject({ line: 3, message: expect.stringContaining('billion laughs') });
    // 10^9 strings would take minutes and gigabytes; refusing takes milliseconds.
    expect(elapsed).toBeLessThan(1000);
  });

  it('reports values nested too deeply instead of overflowing the stack', () => {
    expect(parseError(`---\ntitle: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n---\n`).message).toBe('malformed YAML: values are nested too deeply（YAML 嵌套过深）');
  });

  it('reads a few harmless aliases', () => {
    expect(parseFrontmatter('---\nlocation: &place 3幢\nnote: *place\n---\n').data).toEqual({ location: '3幢', note: '3幢' });
  });
});

describe('lines and fields of a parsed file', () => {
  const parsed = parseFrontmatter(FILE);

  it('finds the line of a field, of its key, and of the closest parent of a missing field', () => {
    expect(parsed.lineOf(['events', 0, 'note'])).toBe(3);
    expect(parsed.lineOf(['title'])).toBe(6);
    expect(parsed.lineOf(['category'])).toBe(4);
    expect(parsed.lineOf(['reply', 'at'])).toBe(7);
    expect(parsed.lineOf([])).toBe(2);
  });

  it('tells a YAML comment from a # inside a value', () => {
    const text = '---\nnote: |\n  call # 1\nquoted: "x # 2" # 3\nplain: x # 4\n---\n';
    const file = parseFrontmatter(text);
    expect(['1', '2', '3', '4'].map((digit) => file.inComment(text.indexOf(`# ${digit}`) + 2))).toEqual([false, false, true, true]);
  });

  it('finds the field at an offset of the file and where the body starts', () => {
    expect(parsed.fieldAt(FILE.indexOf('来电'))).toEqual(['events', 0, 'note']);
    expect(parsed.fieldAt(FILE.indexOf('电梯停运\n'))).toEqual(['title']);
    expect(parsed.fieldAt(FILE.indexOf('电梯停运两天'))).toBeUndefined();
    expect(parsed.bodyLine).toBe(9);
    expect(FILE.slice(parsed.bodyOffset)).toBe(parsed.body);
  });
});
