import { chmod, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { generateKeyPair } from '../../privacy/contact.ts';
import { EXIT, printJson, stringOption, UsageError, type Command } from '../command.ts';

/** Only the owner may read an identity file: it opens every complainant's contact data. */
const IDENTITY_FILE_MODE = 0o600;

/** An identity file as `age-keygen` writes it, so age's own tools can read it too. */
function identityFileText(identity: string, recipient: string, createdAt: Date): string {
  return `# created: ${createdAt.toISOString()}\n# public key: ${recipient}\n${identity}\n`;
}

const RECIPIENT_HINT = '把此公钥加入 content/org.yaml 的 recipients 后，新登记的联系方式才能被该私钥解密。Add this recipient to recipients in content/org.yaml:';

export const keygenCommand: Command = {
  summary: 'make an age identity for reading contact data and print its recipient（生成密钥）',
  usage: 'complaints keygen [--out FILE] [--json]',
  options: { out: { type: 'string' } },
  async run(context, values) {
    const out = stringOption(values, 'out');
    const { identity, recipient } = await generateKeyPair();
    const text = identityFileText(identity, recipient, context.now);
    if (out === undefined) {
      context.stderr(
        'warning: the identity below is secret; store it in a file only you can read (or use --out FILE) and never commit it' +
          '（警告：以下私钥须妥善保管，切勿提交到仓库）\n',
      );
      if (context.json) printJson(context, { recipient, identity });
      else context.stdout(text);
      context.stderr(`${RECIPIENT_HINT}\n${recipient}\n`);
      return EXIT.ok;
    }
    const path = resolve(out);
    try {
      await writeFile(path, text, { encoding: 'utf8', flag: 'wx', mode: IDENTITY_FILE_MODE });
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'EEXIST')
        throw new UsageError(`${out} already exists; keygen never overwrites an identity（文件已存在，不会覆盖已有私钥）`);
      throw cause;
    }
    await chmod(path, IDENTITY_FILE_MODE);
    if (context.json) printJson(context, { recipient, identityFile: path });
    else context.stdout(`私钥已写入 identity written to ${path} (mode 600)\n${RECIPIENT_HINT}\n${recipient}\n`);
    return EXIT.ok;
  },
};
