import matter from 'gray-matter';
import { CORE_SCHEMA, load as loadQuickly } from 'js-yaml';
import {
  LineCounter,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  stringify,
  visit,
  type Document,
  type Node,
  type YAMLError,
} from 'yaml';
import { z } from 'zod';

/**
 * YAML as complaint files use it: YAML 1.2 core schema (timestamps and IDs stay strings), duplicate
 * keys rejected, YAML 1.1 tags such as `!!binary` or `!!set` left unresolved (so they are reported
 * rather than turned into buffers and sets), and aliases capped so a "billion laughs" file fails at
 * once instead of exhausting memory.
 */
export const YAML_PARSE_OPTIONS = {
  schema: 'core',
  uniqueKeys: true,
  resolveKnownTags: false,
  maxAliasCount: 50,
  prettyErrors: false,
} as const;

/** One thing that makes a front matter block unreadable, at its 1-based file line. */
export interface FrontmatterIssue {
  line: number;
  message: string;
}

/**
 * Thrown when a file's front matter cannot be read at all. `line` and `message` are those of the
 * first issue; `issues` lists every one (a file with two duplicate keys gets both reported).
 */
export class FrontmatterError extends Error {
  override readonly name = 'FrontmatterError';
  readonly line: number;
  readonly issues: readonly FrontmatterIssue[];
  constructor(message: string, line: number, issues: readonly FrontmatterIssue[] = [{ line, message }]) {
    super(message);
    this.line = line;
    this.issues = issues;
  }
}

export interface ParsedFile {
  data: unknown;
  body: string;
  /** The 1-based file line on which the body starts. */
  bodyLine: number;
  /** Offset in the file text at which the body starts. */
  bodyOffset: number;
  /** Finds the 1-based file line of a field path; the closest existing parent when the field is absent. */
  lineOf(path: readonly (string | number)[]): number;
  /** The path of the innermost front matter field whose text covers `offset` (an offset in the file text). */
  fieldAt(offset: number): (string | number)[] | undefined;
  /** Whether `offset` (an offset in the file text) lies in a YAML comment of the front matter. */
  inComment(offset: number): boolean;
}

/** The line of the opening `---`; front matter content starts on the next one. */
const FRONTMATTER_FIRST_LINE = 2;

const OPENING_LINE = /^---([^\r\n]*)(\r?\n|$)/;
const CLOSING_LINE = /^---[ \t]*\r?$/;

/**
 * Where a YAML comment starts in the beginning of a line, or -1: a `#` at the start or after a space,
 * outside quotes.
 */
function commentStart(line: string): number {
  let quote: string | undefined;
  for (let index = 0; index < line.length; index += 1) {
    const character = line[index]!;
    if (quote) {
      if (character === quote && !(quote === '"' && line[index - 1] === '\\')) quote = undefined;
    } else if (character === '"' || character === "'") {
      quote = character;
    } else if (character === '#' && (index === 0 || /\s/.test(line[index - 1]!))) {
      return index;
    }
  }
  return -1;
}

/** The first line of a message from the yaml library, without its position suffix. */
function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** gray-matter's engines for every language but YAML: refused, so its `---js` engine can never evaluate code. */
const REFUSED_ENGINES = Object.fromEntries(
  ['javascript', 'js', 'json', 'coffee', 'coffeescript', 'cson', 'toml'].map((language) => {
    const refuse = () => {
      throw new FrontmatterError(`front matter in "${language}" is not allowed and was not run; complaint files use YAML between "---" lines only（文件头只能使用 YAML）`, 1);
    };
    return [language, { parse: refuse, stringify: refuse }];
  }),
);

/**
 * Where the closing `---` line starts, as gray-matter splits the file: its YAML engine only records
 * that a block was found (the block is parsed below with positions, which gray-matter does not keep).
 * Undefined when the block is never closed.
 */
function closingOffset(text: string): number | undefined {
  // Passing options also keeps gray-matter from caching every file it reads.
  const split = matter(text, { language: 'yaml', engines: { ...REFUSED_ENGINES, yaml: { parse: () => ({}), stringify: () => '' } } });
  const delimiterLength = 3;
  const closeIndex = delimiterLength + split.matter.length;
  if (closeIndex >= text.length || !text.startsWith('\n---', closeIndex)) return undefined;
  return closeIndex + 1;
}

/**
 * The front matter as js-yaml reads it, when that is a mapping read without aliases; otherwise
 * undefined, and the caller parses carefully with `yaml` (which also finds lines and words errors).
 * js-yaml reads the same YAML 1.2 core schema about seven times faster, which is most of the time a
 * command over a large archive spends. The careful parser stays the reference: the fast reading is
 * used only where it succeeds, and a test compares the two on generated and awkward YAML.
 */
export function quickMapping(source: string): Record<string, unknown> | undefined {
  // Explicit tags are resolved differently by the two (yaml refuses `!!float 1`); leave them to the careful parser.
  if (source.includes('!')) return undefined;
  let value: unknown;
  try {
    // Duplicate keys, unknown tags, aliases and deep nesting all throw here.
    value = loadQuickly(source, { schema: CORE_SCHEMA, maxAliases: 0 });
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !plainlyAlike(value)) return undefined;
  return value as Record<string, unknown>;
}

/** A number too large for a double (`1e400`): yaml reads Infinity where js-yaml keeps the text. */
const NUMBER_FORM = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** Keys as complaint files write them; a key such as `null:` or `1:` becomes a different string in each parser. */
const NAME_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORD_KEY = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;

/**
 * Whether the two parsers certainly read `value` alike: every key a name that is not a keyword, no
 * string in the form of a decimal number (only a quoted or an overflowing scalar gives one).
 */
function plainlyAlike(value: unknown): boolean {
  if (typeof value === 'string') return !NUMBER_FORM.test(value);
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(plainlyAlike);
  for (const key in value) {
    if (!NAME_KEY.test(key) || KEYWORD_KEY.test(key) || !plainlyAlike((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** The 1-based line on which `offset` lies. */
function countLines(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line += 1;
  return line;
}

/**
 * Splits a Markdown file into its YAML front matter and body. gray-matter finds the block, with
 * every engine but YAML refused; the opening line must be exactly `---`, so a `---js` block is
 * refused without ever being evaluated. Throws `FrontmatterError` (with lines) for an empty file, a missing or unclosed
 * block, another language, malformed YAML, duplicate keys, unknown tags or an alias bomb.
 *
 * The body is everything after the closing `---` line and one optional blank separator line, byte
 * for byte, so that `serializeFrontmatter` can write it back unchanged.
 */
export function parseFrontmatter(text: string): ParsedFile {
  if (text.trim() === '') throw new FrontmatterError('the file is empty; a complaint file starts with a "---" front matter block（空文件）', 1);
  if (text.startsWith('\uFEFF'))
    throw new FrontmatterError('the file starts with a byte order mark (BOM); save it as UTF-8 without BOM（文件带有 BOM 标记）', 1);
  const opening = OPENING_LINE.exec(text);
  if (!opening) {
    throw new FrontmatterError('the file must start with a "---" front matter block（文件缺少文件头）', 1);
  }
  const language = opening[1]!.trim();
  if (language !== '') {
    const message = /^[A-Za-z][\w-]*$/.test(language)
      ? `front matter in "${language}" is not allowed and was not run; complaint files use YAML between "---" lines only（文件头只能使用 YAML）`
      : `the first line must be exactly "---", found "---${language.slice(0, 20)}"（文件头起始行错误）`;
    throw new FrontmatterError(message, 1);
  }
  const yamlStart = opening[0].length;
  const closingStart = closingOffset(text);
  if (closingStart === undefined) throw new FrontmatterError('the front matter block is not closed with a "---" line（文件头没有结束行）', 1);
  const closingLine = countLines(text, closingStart);
  const closingLineEnd = text.indexOf('\n', closingStart);
  const closingEnd = closingLineEnd === -1 ? text.length : closingLineEnd + 1;
  if (!CLOSING_LINE.test(text.slice(closingStart, closingLineEnd === -1 ? text.length : closingLineEnd)))
    throw new FrontmatterError('the front matter block must be closed by a line that is exactly "---"（文件头结束行错误）', closingLine);
  const source = text.slice(yamlStart, closingStart);
  // The careful parse (positions, precise messages) is made only when something needs it: an error,
  // a line for a problem, the field under a personal-data finding.
  let careful: { document: Document.Parsed; fileLine: (offset: number) => number } | undefined;
  const parseCarefully = () => {
    if (!careful) {
      const lineCounter = new LineCounter();
      careful = {
        document: parseDocument(source, { ...YAML_PARSE_OPTIONS, lineCounter }),
        fileLine: (offset: number) => FRONTMATTER_FIRST_LINE + lineCounter.linePos(offset).line - 1,
      };
    }
    return careful;
  };
  let data = quickMapping(source);
  if (data === undefined) {
    const { document, fileLine } = parseCarefully();
    const yamlIssues = [...document.errors, ...document.warnings].map((error) => ({
      line: fileLine(errorOffset(error, source)),
      message: describeYamlError(error, source),
    }));
    if (yamlIssues.length > 0) {
      yamlIssues.sort((a, b) => a.line - b.line);
      throw new FrontmatterError(yamlIssues[0]!.message, yamlIssues[0]!.line, yamlIssues);
    }
    if (document.contents === null) throw new FrontmatterError('the front matter block is empty（文件头为空）', 1);
    try {
      data = document.toJS({ maxAliasCount: YAML_PARSE_OPTIONS.maxAliasCount });
    } catch (cause) {
      const message = /alias/i.test((cause as Error).message)
        ? `YAML aliases expand too far (a "billion laughs" file?); complaint files need no anchors or aliases（YAML 别名展开过多，已拒绝读取）`
        : `unreadable YAML: ${firstLine((cause as Error).message)}（YAML 无法读取）`;
      throw new FrontmatterError(message, firstAliasLine(document, fileLine) ?? FRONTMATTER_FIRST_LINE);
    }
  }

  let findLine: ((path: readonly (string | number)[]) => number) | undefined;
  let bodyOffset = closingEnd;
  let bodyLine = closingLine + 1;
  const separator = /^\r?\n/.exec(text.slice(bodyOffset));
  if (separator) {
    bodyOffset += separator[0].length;
    bodyLine += 1;
  }
  return {
    data,
    body: text.slice(bodyOffset),
    bodyLine,
    bodyOffset,
    // A missing top-level field is reported at the closing "---", where it would be added.
    lineOf(path) {
      if (path.length === 0) return FRONTMATTER_FIRST_LINE;
      if (!findLine) {
        const { document, fileLine } = parseCarefully();
        findLine = yamlLineFinder(document, fileLine, closingLine);
      }
      return findLine(path);
    },
    fieldAt(offset) {
      if (offset < yamlStart || offset >= closingStart) return undefined;
      return pathAt(parseCarefully().document.contents, offset - yamlStart, []);
    },
    inComment(offset) {
      if (offset < yamlStart || offset >= closingStart) return false;
      const yamlOffset = offset - yamlStart;
      let inValue = false;
      visit(parseCarefully().document, {
        Scalar(_key, node) {
          if (node.range && yamlOffset >= node.range[0] && yamlOffset < node.range[1]) {
            inValue = true;
            return visit.BREAK;
          }
          return undefined;
        },
      });
      if (inValue) return false;
      const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
      return commentStart(text.slice(lineStart, offset)) !== -1;
    },
  };
}

/**
 * Where a YAML error is best shown. An unclosed quote is reported by the parser at the end of the
 * input; the line that needs fixing is the one where the quote opened (the last unescaped quote).
 */
export function errorOffset(error: YAMLError, source: string): number {
  const quote = error.code === 'MISSING_CHAR' ? /closing (["'])quote/.exec(error.message)?.[1] : undefined;
  if (quote) {
    for (let index = Math.min(error.pos[0], source.length) - 1; index >= 0; index -= 1) {
      if (source[index] !== quote) continue;
      if (quote === '"' && source[index - 1] === '\\') continue;
      if (quote === "'" && (source[index - 1] === "'" || source[index + 1] === "'")) continue;
      return index;
    }
  }
  return error.pos[0];
}

/** A YAML parse error or warning as a validate message, in English with a zh-CN note. */
export function describeYamlError(error: YAMLError, source: string): string {
  const token = /^[^\s:,{}[\]]*/.exec(source.slice(error.pos[0]))?.[0] ?? '';
  if (error.code === 'DUPLICATE_KEY') return `malformed YAML: the field "${token}" appears twice（字段重复）`;
  if (error.code === 'TAG_RESOLVE_FAILED') return `unsupported YAML tag "${token}"; complaint files use plain values（不支持的 YAML 标签）`;
  if (/call stack|stack overflow/i.test(error.message)) return 'malformed YAML: values are nested too deeply（YAML 嵌套过深）';
  if (error.code === 'MISSING_CHAR' && /quote/.test(error.message)) return 'malformed YAML: a quoted value starts on this line and is never closed（引号未闭合）';
  return `malformed YAML: ${firstLine(error.message)}（YAML 格式错误）`;
}

function firstAliasLine(document: Document.Parsed, fileLine: (offset: number) => number): number | undefined {
  let line: number | undefined;
  visit(document, {
    Alias(_key, node) {
      if (node.range) line = fileLine(node.range[0]);
      return visit.BREAK;
    },
  });
  return line;
}

/** The innermost mapping key or sequence index whose text covers `offset` (an offset in the YAML source). */
function pathAt(node: unknown, offset: number, path: (string | number)[]): (string | number)[] | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      const value = pair.value as Node | null;
      const start = key?.range?.[0] ?? value?.range?.[0];
      const end = value?.range?.[2] ?? key?.range?.[2];
      if (start === undefined || end === undefined || offset < start || offset >= end) continue;
      const name = isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'number') ? key.value : String(key);
      return pathAt(value, offset, [...path, name]) ?? [...path, name];
    }
    return undefined;
  }
  if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      const range = (item as Node | null)?.range;
      if (range && offset >= range[0] && offset < range[2]) return pathAt(item, offset, [...path, index]) ?? [...path, index];
    }
    return undefined;
  }
  if (isAlias(node)) return undefined;
  return undefined;
}

/**
 * Finds the file line of a field path in a parsed YAML document: the line of its key, or of the
 * closest parent that exists when the field is absent; line 1 when nothing on the path exists.
 */
export function yamlLineFinder(
  document: Document.Parsed,
  fileLine: (offset: number) => number,
  fallbackLine = 1,
): (path: readonly (string | number)[]) => number {
  return (path) => {
    for (let length = path.length; length > 0; length -= 1) {
      const node = document.getIn(path.slice(0, length), true) as Node | undefined;
      const keyNode = keyNodeOf(document, path.slice(0, length));
      const offset = keyNode?.range?.[0] ?? node?.range?.[0];
      if (offset !== undefined) return fileLine(offset);
    }
    return fallbackLine;
  };
}

/** The key node of a mapping entry, so a message points at `category:` rather than at its value. */
function keyNodeOf(document: Document.Parsed, path: readonly (string | number)[]): Node | undefined {
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  const parent = parentPath.length === 0 ? document.contents : document.getIn(parentPath, true);
  if (isMap(parent)) {
    const pair = parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === last);
    return (pair?.key as Node | undefined) ?? undefined;
  }
  if (isSeq(parent) && typeof last === 'number') return parent.items[last] as Node | undefined;
  return undefined;
}

/** The order of keys in every object a schema describes, so written files have a stable key order. */
function keyOrder(schema: z.ZodType): Map<string, number> | undefined {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) return new Map(Object.keys(inner.shape).map((key, index) => [key, index]));
  return undefined;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodNullable) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodArray) {
      current = current.element as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else {
      return current;
    }
  }
}

/** Rebuilds `value` with keys in the order its schema declares them; unknown keys keep their place last. */
export function orderKeys(value: unknown, schema: z.ZodType): unknown {
  if (Array.isArray(value)) return value.map((item) => orderKeys(item, schema));
  if (value === null || typeof value !== 'object') return value;
  const inner = unwrap(schema);
  const order = keyOrder(inner);
  const shape = inner instanceof z.ZodObject ? (inner.shape as Record<string, z.ZodType>) : {};
  const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
  entries.sort(([a], [b]) => (order?.get(a) ?? Infinity) - (order?.get(b) ?? Infinity));
  return Object.fromEntries(entries.map(([key, item]) => [key, Object.hasOwn(shape, key) ? orderKeys(item, shape[key]!) : item]));
}

/**
 * Writes front matter and body back into one Markdown file, keys in schema order. The body is
 * written exactly as given after one blank separator line, so `parseFrontmatter` returns it byte for
 * byte; callers that want a final newline include it in the body.
 */
export function serializeFrontmatter(data: unknown, body: string, schema: z.ZodType): string {
  const yamlText = stringify(orderKeys(data, schema), { lineWidth: 0, schema: 'core' });
  return `---\n${yamlText}---\n${body === '' ? '' : `\n${body}`}`;
}
