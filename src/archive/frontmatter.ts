import matter from 'gray-matter';
import { LineCounter, parseDocument, stringify, isMap, isSeq, type Document, type Node } from 'yaml';
import { z } from 'zod';

/**
 * YAML as complaint files use it: YAML 1.2 core schema (timestamps and IDs stay strings), duplicate
 * keys rejected, and aliases capped so a "billion laughs" file cannot exhaust memory.
 */
export const YAML_PARSE_OPTIONS = {
  schema: 'core',
  uniqueKeys: true,
  maxAliasCount: 50,
  prettyErrors: false,
} as const;

/** Thrown when a file's front matter cannot be read at all; carries the 1-based line. */
export class FrontmatterError extends Error {
  override readonly name = 'FrontmatterError';
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.line = line;
  }
}

function refuseLanguage(language: string) {
  return () => {
    throw new FrontmatterError(`front matter in "${language}" is not allowed; complaint files use YAML only`, 1);
  };
}

/** gray-matter's engines with everything but YAML switched off (its `---js` engine evaluates code). */
const ENGINES = {
  javascript: { parse: refuseLanguage('javascript'), stringify: refuseLanguage('javascript') },
  js: { parse: refuseLanguage('js'), stringify: refuseLanguage('js') },
  json: { parse: refuseLanguage('json'), stringify: refuseLanguage('json') },
  coffee: { parse: refuseLanguage('coffee'), stringify: refuseLanguage('coffee') },
};

export interface ParsedFile {
  data: unknown;
  body: string;
  /** Finds the 1-based file line of a field path; the closest existing parent when the field is absent. */
  lineOf(path: readonly (string | number)[]): number;
}

/** The line of the opening `---`; front matter content starts on the next one. */
const FRONTMATTER_FIRST_LINE = 2;

/**
 * Splits a Markdown file into its YAML front matter and body. Throws `FrontmatterError` (with a line)
 * for a missing front matter block, malformed YAML, duplicate keys, an alias bomb or another language.
 */
export function parseFrontmatter(text: string): ParsedFile {
  if (!/^---\r?\n/.test(text)) {
    throw new FrontmatterError('the file must start with a "---" front matter block', 1);
  }
  let document: Document.Parsed | undefined;
  const lineCounter = new LineCounter();
  const yamlEngine = {
    parse(source: string) {
      document = parseDocument(source, { ...YAML_PARSE_OPTIONS, lineCounter });
      const error = document.errors[0];
      if (error) {
        const line = lineCounter.linePos(error.pos[0]).line;
        throw new FrontmatterError(`malformed YAML: ${error.message.split('\n')[0]}`, FRONTMATTER_FIRST_LINE + line - 1);
      }
      try {
        return document.toJS({ maxAliasCount: YAML_PARSE_OPTIONS.maxAliasCount }) ?? {};
      } catch (cause) {
        throw new FrontmatterError(`unreadable YAML: ${(cause as Error).message}`, FRONTMATTER_FIRST_LINE);
      }
    },
    stringify: refuseLanguage('yaml'),
  };
  let parsed: matter.GrayMatterFile<string>;
  try {
    // Passing options also keeps gray-matter from caching every file it has read.
    parsed = matter(text, { language: 'yaml', engines: { ...ENGINES, yaml: yamlEngine } as never });
  } catch (cause) {
    if (cause instanceof FrontmatterError) throw cause;
    throw new FrontmatterError(`unreadable front matter: ${(cause as Error).message}`, 1);
  }
  if (!/\r?\n---\s*(\r?\n|$)/.test(text.slice(3))) {
    throw new FrontmatterError('the front matter block is not closed with "---"', 1);
  }
  const data: unknown = parsed.data;
  const parsedDocument = document;
  return {
    data,
    body: parsed.content.replace(/^\r?\n/, ''),
    lineOf(path) {
      if (!parsedDocument) return 1;
      for (let length = path.length; length > 0; length -= 1) {
        const node = parsedDocument.getIn(path.slice(0, length), true) as Node | undefined;
        const keyNode = keyNodeOf(parsedDocument, path.slice(0, length));
        const offset = keyNode?.range?.[0] ?? node?.range?.[0];
        if (offset !== undefined) return FRONTMATTER_FIRST_LINE + lineCounter.linePos(offset).line - 1;
      }
      return 1;
    },
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
  return Object.fromEntries(entries.map(([key, item]) => [key, shape[key] ? orderKeys(item, shape[key]) : item]));
}

/** Writes front matter and body back into one Markdown file, keys in schema order. */
export function serializeFrontmatter(data: unknown, body: string, schema: z.ZodType): string {
  const yamlText = stringify(orderKeys(data, schema), { lineWidth: 0, schema: 'core' });
  const normalisedBody = body.replace(/^\s*\n/, '');
  return `---\n${yamlText}---\n${normalisedBody ? `\n${normalisedBody.endsWith('\n') ? normalisedBody : `${normalisedBody}\n`}` : ''}`;
}
