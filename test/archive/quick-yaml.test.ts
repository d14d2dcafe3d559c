import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDocument, stringify } from 'yaml';
import { parseFrontmatter, quickMapping, YAML_PARSE_OPTIONS } from '../../src/archive/frontmatter.ts';
import { listComplaintFiles } from '../../src/archive/archive.ts';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/**
 * The fast reading of front matter (js-yaml) must never disagree with the careful one (`yaml`, the
 * reference, which also gives lines and messages): where the reference reads a mapping, the fast
 * reading gives the same value or declines; where the reference reports an error, the fast reading
 * declines, so the error is reported as before.
 */
function reference(source: string): { value?: unknown; rejected: boolean } {
  const document = parseDocument(source, YAML_PARSE_OPTIONS);
  if (document.errors.length > 0 || document.warnings.length > 0) return { rejected: true };
  try {
    return { value: document.toJS({ maxAliasCount: YAML_PARSE_OPTIONS.maxAliasCount }), rejected: false };
  } catch {
    return { rejected: true };
  }
}

function expectAgreement(source: string): void {
  const quick = quickMapping(source);
  const careful = reference(source);
  if (quick === undefined) return;
  expect(careful.rejected, `js-yaml read what yaml rejects:\n${source}`).toBe(false);
  expect(quick, source).toStrictEqual(careful.value);
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Plain scalars on which YAML 1.1, YAML 1.2 core and careless parsers differ. */
const AWKWARD_SCALARS = [
  'null', 'Null', 'NULL', 'nULL', '~', '', 'true', 'True', 'TRUE', 'tRUE', 'yes', 'no', 'on', 'off', 'y', 'n',
  '0', '-0', '+0', '012', '0o17', '0o8', '0x1F', '0X1F', '0b101', '1_000', '+12', '-12', '1e3', '1E3', '1.', '.5', '-.5', '+.5',
  '1.5e-3', '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '.NAN', '.Nan', '12:30', '1:20:30', '2026-05-03', '2026-05-03T10:00+08:00',
  '2026-0001', '13800000000', '9007199254740993', '1e400', '0.1', '00', '0o', '0x', '= ', '<<', 'a # not a comment?', '"quoted"',
  "'single'", '中文 值', '#hash', '@at', '`tick', '|', '>', '- dash', '? q', ': colon', 'a: b', '[a, b]', '{a: b}', '!tag x', '&anchor x',
  '*alias', '%percent', 'a\tb',
];

const AWKWARD_DOCUMENTS = [
  'a: 1\na: 2\n',
  'a: &x 1\nb: *x\n',
  'a: &x [1, 2]\nb: *x\n',
  '<<: {a: 1}\nb: 2\n',
  'a: !!binary aGVsbG8=\n',
  'a: !!set {x, y}\n',
  'a: !local x\n',
  'a: !!str 12\n',
  'a: !!int "12"\n',
  'a: !!float 1\n',
  '%YAML 1.1\n---\na: yes\n',
  '%YAML 1.2\n---\na: 1\n',
  '---\na: 1\n...\n',
  'a: 1\n---\nb: 2\n',
  '? [a, b]\n: c\n',
  '? complex\n: value\n',
  '1: one\n2: two\n',
  'true: yes\nnull: x\n',
  'a: |\n  line one\n  line two\n',
  'a: >-\n  folded\n  text\n\n  para\n',
  'a: |+\n  keep\n\n',
  'a: |2\n   indented\n',
  'a: "multi\n  line"\n',
  "a: 'it''s'\n",
  'a: "\\u0031\\x32\\t\\n"\n',
  'a: plain\n  continued\n',
  'a:\n- 1\n- 2\n',
  'a:\n  - b: 1\n    c: 2\n',
  'a: [1, [2, {b: c}]]\n',
  'a: {b: , c}\n',
  'a: b # comment\n# full line\nc: d\n',
  'a:    \n',
  'a:\tb\n',
  '\ta: b\n',
  'a: b\n\tc: d\n',
  'a: "unclosed\n',
  'a: [1, 2\n',
  'a: b: c\n',
  '- 1\n- 2\n',
  'just a scalar\n',
  '# only a comment\n',
  '',
  '{a: 1, a: 2}\n',
  'a: {b: 1, b: 2}\n',
  '"a": 1\n\'a\': 2\n',
  'a: 1\n"a": 2\n',
  '[a]: 1\n',
  'a: -\n',
  'a: - b\n',
  'a: @b\n',
  'a: `b\n',
  'a: b\r\nc: d\r\n',
  'a: "\\q"\n',
  'a: \u00a0b\n',
  'a: "\ud83d\ude00"\n',
  'a: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n',
  'a: 0x_1F\n',
  'a: 1__0\n',
  'a: -0x1F\n',
  'a: +0o17\n',
  'a: 0o-17\n',
  'a: 1e+03\n',
  'a: 1.0e3\n',
];

describe('the fast front matter reading agrees with the careful one', () => {
  it('reads every awkward plain scalar as the YAML 1.2 core schema does, or leaves it to the careful parser', () => {
    for (const scalar of AWKWARD_SCALARS) expectAgreement(`value: ${scalar}\nlist: [${scalar}]\n`);
  });

  it('never accepts an awkward document the careful parser rejects, and reads the rest alike', () => {
    for (const document of AWKWARD_DOCUMENTS) expectAgreement(document);
  });

  it('rejects what complaint files must not contain: duplicate keys, aliases, unknown tags', () => {
    expect(quickMapping('a: 1\na: 2\n')).toBeUndefined();
    expect(quickMapping('a: &x [1]\nb: *x\n')).toBeUndefined();
    expect(quickMapping('a: !!binary aGVsbG8=\n')).toBeUndefined();
    expect(quickMapping('- 1\n')).toBeUndefined();
  });

  it('agrees on any values written in any style (property)', () => {
    const text = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'ab 1-0.:#\'"\\\n\t{}[],&*!|>%@`?~中文\u00a0'.split('')) }),
      fc.constantFrom(...AWKWARD_SCALARS),
      fc.string({ unit: 'grapheme' }),
    );
    const key = fc.oneof({ weight: 4, arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/) }, { weight: 1, arbitrary: text });
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null)),
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
    })).node;
    const style = fc.record({
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'),
      defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE'),
      collectionStyle: fc.constantFrom('any', 'block', 'flow'),
      lineWidth: fc.constantFrom(0, 20, 80),
    } as const);
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 6 }), style, (data, options) => {
        const source = stringify(data, { schema: 'core', ...options });
        expectAgreement(source);
        const quick = quickMapping(source);
        const parsed = parseFrontmatter(`---\n${source}---\n`).data;
        expect(parsed).toStrictEqual(reference(source).value);
        if (quick !== undefined) expect(parsed).toStrictEqual(quick);
      }),
      { numRuns: Number(process.env.QUICK_YAML_RUNS ?? 400) },
    );
  });

  it('takes the fast reading for every file of the demo archive', async () => {
    const files = await listComplaintFiles(ROOT);
    expect(files.length).toBeGreaterThan(200);
    for (const file of files) {
      const text = await readFile(join(ROOT, file), 'utf8');
      const source = text.slice(4, text.indexOf('\n---', 3) + 1);
      const quick = quickMapping(source);
      expect(quick, file).toBeDefined();
      expect(quick).toStrictEqual(reference(source).value);
    }
  });
});
