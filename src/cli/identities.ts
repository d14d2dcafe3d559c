import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseIdentityFile } from '../privacy/contact.ts';
import { UsageError, type CommandContext } from './command.ts';

/** Identities found for a command that can use them but does not need them. */
export interface FoundIdentities {
  identities: string[];
  /** Where they came from: a file path or the variable's name. */
  source: string;
}

/**
 * The age identities at hand, looked for as `complaints contact` does: `--identity FILE`, else
 * `$COMPLAINTS_IDENTITY_FILE`, else the key(s) in `$COMPLAINTS_IDENTITY`. Undefined when none is
 * configured; a named file that cannot be read, or holds no identity, is a usage error.
 */
export async function findIdentities(context: CommandContext, file: string | undefined): Promise<FoundIdentities | undefined> {
  const path = file ?? context.env.COMPLAINTS_IDENTITY_FILE;
  let text: string;
  let source: string;
  if (path) {
    source = path;
    try {
      text = await readFile(resolve(path), 'utf8');
    } catch (cause) {
      throw new UsageError(`cannot read the identity file ${path}: ${(cause as Error).message}（无法读取私钥文件）`);
    }
  } else if (context.env.COMPLAINTS_IDENTITY) {
    source = 'COMPLAINTS_IDENTITY';
    text = context.env.COMPLAINTS_IDENTITY;
  } else {
    return undefined;
  }
  const identities = parseIdentityFile(text);
  if (identities.length === 0) throw new UsageError(`${source} holds no age identity (AGE-SECRET-KEY-1…)（未找到私钥）`);
  return { identities, source };
}
