import { join } from 'node:path';
import { readOrg, serializeComplaint, writeFileAtomically } from '../../archive/archive.ts';
import { eraseComplaint, ErasedTextTooShortError, MINIMUM_ERASED_TEXT_LENGTH } from '../../core/complaint/erase.ts';
import { formatInstant } from '../../core/complaint/new-complaint.ts';
import { parseComplaintId } from '../../core/complaint/paths.ts';
import { complaintSchema } from '../../core/complaint/schema.ts';
import { findPersonalData, namesInContact, PERSONAL_DATA_LABELS } from '../../core/pii.ts';
import { commitPaths } from '../../git/commit-paths.ts';
import { ContactDecryptionError, decryptContact, type Contact } from '../../privacy/contact.ts';
import { readComplaintById } from '../complaint-by-id.ts';
import { EXIT, printJson, stringOption, UsageError, type Command } from '../command.ts';
import { findIdentities } from '../identities.ts';

/**
 * `complaints erase <id> --by HANDLE [--text STRING …]` (issue 6 §5): a complainant's deletion
 * request. The contact envelope is removed, every given text is replaced by 〔已删除〕 in the body and
 * the free-text fields, and an `erased` event with a note records it; the complaint's category,
 * dates, project and state stay, so the statistics do not change. With an identity at hand
 * (--identity, $COMPLAINTS_IDENTITY_FILE, $COMPLAINTS_IDENTITY) the contact is opened first and its
 * name, phone and e-mail are erased from the text too wherever they occur. One commit; no history
 * rewrite — text erased from the body stays in earlier commits (see the README).
 */

const HANDLE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

/** A text as it may be shown in output and logs: never the personal data itself. */
function masked(text: string): string {
  const characters = [...text];
  return `${characters[0] ?? ''}${'*'.repeat(Math.max(1, characters.length - 1))}`;
}

/** The values of a decrypted contact worth looking for in the text. */
function contactTexts(contact: Contact): string[] {
  return [...namesInContact(contact), contact.phone, contact.email].filter((value): value is string => value !== undefined && [...value.trim()].length >= MINIMUM_ERASED_TEXT_LENGTH);
}

export const eraseCommand: Command = {
  summary: "erase a complainant's personal data on request, keeping the statistics（删除投诉人个人信息）",
  usage: 'complaints erase <id> --by HANDLE [--text STRING …] [--note TEXT] [--identity FILE] [--root DIR] [--now TIME] [--json]',
  options: { by: { type: 'string' }, text: { type: 'string', multiple: true }, note: { type: 'string' }, identity: { type: 'string' } },
  async run(context, values, positionals) {
    const [id, ...extra] = positionals;
    if (id === undefined || extra.length > 0) throw new UsageError('give exactly one complaint id, e.g. complaints erase 2026-0007 --by alice');
    if (!parseComplaintId(id)) throw new UsageError(`"${id}" is not a complaint id such as 2026-0007（投诉编号格式错误）`);
    const by = stringOption(values, 'by');
    if (!by || !HANDLE.test(by)) throw new UsageError('give your staff handle with --by HANDLE: the erasure is recorded in the complaint（请用 --by 指定经办人账号）');
    const given = Array.isArray(values.text) ? values.text.map(String) : typeof values.text === 'string' ? [values.text] : [];
    for (const text of given) if ([...text.trim()].length < MINIMUM_ERASED_TEXT_LENGTH) throw new UsageError(new ErasedTextTooShortError(text).message);

    const org = await readOrg(context.root);
    const found = await readComplaintById(context, id);
    if (!found.ok) return found.code;
    const { complaint } = found;
    const { path } = complaint;

    // With an identity, the contact's own values are found in the text as well.
    const warnings: string[] = [];
    let names: string[] = [];
    let automatic: string[] = [];
    const identities = await findIdentities(context, stringOption(values, 'identity'));
    if (identities && complaint.data.contact) {
      try {
        const contact = await decryptContact(id, complaint.data.contact, identities.identities);
        names = namesInContact(contact);
        const { contact: _envelope, ...fields } = complaint.data;
        const searchable = [complaint.body, JSON.stringify(fields)].join('\n');
        automatic = contactTexts(contact).filter((text) => searchable.includes(text.trim()) && !given.includes(text));
      } catch (cause) {
        if (!(cause instanceof ContactDecryptionError)) throw cause;
        warnings.push('the contact could not be opened with the identity at hand, so its values were not looked for in the text（无法解密联系方式，未自动查找其中的姓名、电话）');
      }
    }
    if (!complaint.data.contact && given.length === 0) {
      context.stderr(`complaint ${id} has no contact data and no --text was given: nothing to erase（没有需要删除的内容）\n`);
      return EXIT.problems;
    }

    const note = stringOption(values, 'note') ?? '应投诉人删除请求删除个人信息; personal data erased at the complainant’s request';
    const erased = eraseComplaint(complaint, { texts: [...given, ...automatic], at: formatInstant(context.now, org.timezone), by, note, removeContact: true });
    const missing = erased.notFound.filter((text) => given.includes(text));
    if (missing.length > 0) {
      context.stderr(`${missing.length} of the given texts occur nowhere in complaint ${id}: ${missing.map(masked).join(', ')}; nothing was changed（所给内容在投诉中不存在，未做任何修改）\n`);
      return EXIT.problems;
    }
    const data = complaintSchema.parse(erased.data);
    await writeFileAtomically(join(context.root, path), serializeComplaint(data, erased.body));
    const commit = await commitPaths(context.root, [path], `Erase personal data of complaint ${id} (删除投诉 ${id} 的个人信息)`, context.env);

    const remaining = findPersonalData([erased.body, JSON.stringify(data)].join("\n"), { names });
    for (const finding of remaining) warnings.push(`the complaint still holds a ${PERSONAL_DATA_LABELS[finding.kind]} (${finding.masked}): erase it with --text（仍含${PERSONAL_DATA_LABELS[finding.kind]}）`);
    warnings.push('earlier versions of the file in Git history still hold the erased text; only the contact envelope is unreadable once its year is crypto-shredded（被删除的正文仍留在 Git 历史中，详见 README）');
    const replaced = erased.replaced.map((item) => ({ text: masked(item.text), count: item.count }));
    if (context.json) {
      printJson(context, { id, path, contactRemoved: erased.contactRemoved, replaced, committed: commit.committed, commit: commit.commit ?? null, warnings });
    } else {
      context.stdout(
        `已删除投诉 ${id} 的个人信息 erased personal data of ${id}: ${erased.contactRemoved ? 'contact envelope removed（已删除联系方式）' : 'no contact envelope'}` +
          `, ${replaced.reduce((total, item) => total + item.count, 0)} text replacements（正文替换 ${replaced.reduce((total, item) => total + item.count, 0)} 处）` +
          `${commit.commit ? `, commit ${commit.commit.slice(0, 8)}` : ''}\n`,
      );
      if (commit.notice) context.stderr(`warning: ${commit.notice}\n`);
      for (const warning of warnings) context.stderr(`warning: ${warning}\n`);
    }
    return EXIT.ok;
  },
};
