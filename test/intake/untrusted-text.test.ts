import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanLine, cleanText, truncateLine } from '../../src/intake/untrusted-text.ts';

describe('cleaning untrusted text', () => {
  it.each([
    ['CRLF and lone CR become LF', 'a\r\nb\rc', 'a\nb\nc'],
    ['NUL and escape sequences go', 'a\u0000b\u001B[31mc\u0007', 'ab[31mc'],
    ['tabs and newlines stay', 'a\tb\nc', 'a\tb\nc'],
    ['zero-width characters go', '138\u200B0013\u200C8000\u2060\uFEFF', '13800138000'],
    ['a zero-width joiner inside an emoji stays', '👩‍💻', '👩‍💻'],
    ['a stray zero-width joiner goes', 'a\u200Db', 'ab'],
    ['bidirectional overrides go', '\u202Eabc\u202C\u2066d\u2069', 'abcd'],
    ['a lone surrogate becomes U+FFFD', 'a\uD800b', 'a\uFFFDb'],
    ['line separators become newlines', 'a\u2028b\u2029c', 'a\nb\nc'],
    ['emoji, RTL text, HTML and ${{ }} stay', '😀 עברית <b>${{ x }}</b>', '😀 עברית <b>${{ x }}</b>'],
  ])('%s', (_name, input, expected) => expect(cleanText(input)).toBe(expected));

  it('makes one line of a title', () => {
    expect(cleanLine('  电梯\n坏了\t\t快修  ')).toBe('电梯 坏了 快修');
  });

  it('cuts a line by characters, never inside an emoji', () => {
    expect(truncateLine('😀😀😀😀', 3)).toBe('😀😀…');
    expect(truncateLine('短', 3)).toBe('短');
  });

  it('leaves no control, invisible or bidirectional character in any text, and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        const cleaned = cleanText(text);
        expect(cleaned).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B\u200C\u2060\uFEFF\u202A-\u202E\u2066-\u2069\r]/);
        expect(cleaned.isWellFormed()).toBe(true);
        expect(cleanText(cleaned)).toBe(cleaned);
      }),
    );
  });
});
