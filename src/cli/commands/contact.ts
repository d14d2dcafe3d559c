import { parseComplaintId } from '../../core/complaint/paths.ts';
import { ContactDecryptionError, decryptContact, type Contact } from '../../privacy/contact.ts';
import { findIdentities } from '../identities.ts';
import { readComplaintById } from '../complaint-by-id.ts';
import { EXIT, printJson, stringOption, UsageError, type Command, type CommandContext, type OptionValues } from '../command.ts';

const CONTACT_LABELS: Record<keyof Contact, string> = {
  name: '姓名 name',
  phone: '电话 phone',
  email: '邮箱 email',
  address: '地址 address',
  original: '原始内容 original',
};

/** The identities to try (see `findIdentities`); `contact` cannot work without one. */
async function identitiesFrom(context: CommandContext, values: OptionValues): Promise<string[]> {
  const found = await findIdentities(context, stringOption(values, 'identity'));
  if (!found) throw new UsageError('no identity: pass --identity FILE or set COMPLAINTS_IDENTITY_FILE or COMPLAINTS_IDENTITY（未提供私钥）');
  return found.identities;
}

export const contactCommand: Command = {
  summary: "decrypt a complaint's contact data with your identity（查看联系方式）",
  usage: 'complaints contact <id> [--identity FILE] [--root DIR] [--json]',
  options: { identity: { type: 'string' } },
  async run(context, values, positionals) {
    const [id, ...extra] = positionals;
    if (id === undefined || extra.length > 0) throw new UsageError('give exactly one complaint id, e.g. complaints contact 2026-0007');
    if (!parseComplaintId(id)) throw new UsageError(`"${id}" is not a complaint id such as 2026-0007（投诉编号格式错误）`);
    const identities = await identitiesFrom(context, values);
    const found = await readComplaintById(context, id);
    if (!found.ok) return found.code;
    const { complaint } = found;
    if (!complaint.data.contact) {
      context.stderr(`complaint ${id} has no contact data${complaint.data.anonymous ? ' (anonymous)' : ''}（该投诉没有联系方式）\n`);
      return EXIT.problems;
    }
    let contact: Contact;
    try {
      contact = await decryptContact(id, complaint.data.contact, identities);
    } catch (cause) {
      if (!(cause instanceof ContactDecryptionError)) throw cause;
      context.stderr(`${cause.message}; is your recipient in org.yaml's recipients?（无法解密：该私钥不在加密接收人之列）\n`);
      return EXIT.problems;
    }
    if (context.json) {
      printJson(context, contact);
    } else {
      const lines = (Object.keys(CONTACT_LABELS) as (keyof Contact)[])
        .filter((field) => contact[field] !== undefined)
        .map((field) => `${CONTACT_LABELS[field]}: ${contact[field]}`);
      context.stdout(`投诉 ${id} 联系方式 contact:\n${lines.map((line) => `  ${line}`).join('\n')}\n`);
    }
    return EXIT.ok;
  },
};
