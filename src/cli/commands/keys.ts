import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { identityToRecipient } from 'age-encryption';
import { DateTime } from 'luxon';
import { readOrg, validateArchive } from '../../archive/archive.ts';
import { writeRecipients } from '../../archive/org-recipients-file.ts';
import { receivedMonth } from '../../core/complaint/paths.ts';
import { envelopesByYear, recipientsOfYear, recipientYears, rotateRecipients, type RecipientSource } from '../../core/org/recipients.ts';
import type { Org } from '../../core/org/schema.ts';
import { decryptContact, generateKeyPair } from '../../privacy/contact.ts';
import { EXIT, printJson, stringOption, UsageError, type Command, type CommandContext, type OptionValues } from '../command.ts';
import { findIdentities } from '../identities.ts';
import { table } from '../output.ts';
import { zoneOf } from '../../core/time-zone.ts';

/**
 * `complaints keys status` and `complaints keys rotate --year YYYY` (issue 6 §4): yearly encryption
 * keys for contact data. Each year of receipt can have its own recipients in org.yaml, so that after
 * `complaints purge --before YEAR` the identities of the earlier years can be destroyed and their
 * envelopes, which stay in Git history, become unreadable (crypto-shredding).
 */

/** Only the owner may read an identity file: it opens every complainant's contact data of its year. */
const IDENTITY_FILE_MODE = 0o600;
const IDENTITY_FOLDER_MODE = 0o700;

const SUBCOMMANDS = ['status', 'rotate'] as const;

function sourceText(source: RecipientSource): string {
  switch (source.kind) {
    case 'all_years':
      return 'all years（所有年度共用）';
    case 'own':
      return 'own（本年度密钥）';
    case 'carried_forward':
      return `carried from ${source.fromYear}（沿用 ${source.fromYear} 年密钥）`;
    case 'none':
      return 'none（未设置）';
  }
}

function currentYear(context: CommandContext, org: Org): number {
  return DateTime.fromJSDate(context.now).setZone(zoneOf(org.timezone)).year;
}

async function readArchive(context: CommandContext): Promise<{ org: Org; envelopes: Map<number, number>; complaints: Awaited<ReturnType<typeof validateArchive>>['complaints'] }> {
  const org = await readOrg(context.root);
  const { complaints } = await validateArchive(context.root);
  return { org, envelopes: envelopesByYear(complaints, org.timezone), complaints };
}

async function status(context: CommandContext, values: OptionValues): Promise<number> {
  const { org, envelopes, complaints } = await readArchive(context);
  const found = await findIdentities(context, stringOption(values, 'identity'));
  const now = currentYear(context, org);
  const warnings: string[] = [];

  const identities = found
    ? await Promise.all(
        found.identities.map(async (identity) => {
          const recipient = await identityToRecipient(identity);
          const years = Array.isArray(org.recipients)
            ? org.recipients.includes(recipient)
              ? ('all' as const)
              : []
            : recipientYears(org.recipients).filter((year) => recipientsOfYear(org.recipients, year).recipients.includes(recipient));
          if (Array.isArray(years) && years.length === 0) warnings.push(`the identity for ${recipient} is not a recipient of any year in org.yaml（该私钥不在任何年度的加密接收人中）`);
          return { recipient, source: found.source, years };
        }),
      )
    : [];

  const years = [...envelopes.keys()];
  const envelopeRows = await Promise.all(
    years.map(async (year) => {
      const count = envelopes.get(year)!;
      const { recipients, source } = recipientsOfYear(org.recipients, year);
      let readable: number | undefined;
      if (found) {
        readable = 0;
        for (const complaint of complaints) {
          if (!complaint.data.contact || Number(receivedMonth(complaint.data.received_at, org.timezone).year) !== year) continue;
          try {
            await decryptContact(complaint.data.id, complaint.data.contact, found.identities);
            readable += 1;
          } catch {
            // not readable with the identities at hand
          }
        }
        if (readable < count) warnings.push(`${count - readable} of ${count} envelopes of ${year} cannot be opened with the identities at hand（${year} 年有 ${count - readable} 个联系方式无法用现有私钥解密）`);
      }
      if (recipients.length === 0) warnings.push(`${year} holds ${count} envelopes but org.yaml names no recipients for ${year}（${year} 年有加密联系方式，但未设置接收人）`);
      if (source.kind === 'carried_forward')
        warnings.push(
          `${year}'s envelopes use ${source.fromYear}'s recipients (carried forward): destroying ${source.fromYear}'s identity would make them unreadable too; run "complaints keys rotate --year ${year + 1}" to separate later years（${year} 年沿用 ${source.fromYear} 年密钥，销毁后者会同时使其无法解密）`,
        );
      return { year, count, recipients, source: source.kind, ...(source.kind === 'carried_forward' ? { fromYear: source.fromYear } : {}), ...(readable === undefined ? {} : { readable }) };
    }),
  );
  const current = recipientsOfYear(org.recipients, now);
  if (current.recipients.length === 0) warnings.push(`org.yaml names no recipients for the current year ${now}: contact data cannot be registered; run "complaints keys rotate --year ${now}"（当前年度未设置加密接收人）`);
  else if (current.source.kind === 'carried_forward')
    warnings.push(`the current year ${now} has no recipients of its own (it uses ${current.source.fromYear}'s): run "complaints keys rotate --year ${now}"（当前年度沿用 ${current.source.fromYear} 年密钥）`);
  else if (current.source.kind === 'all_years' && current.recipients.length > 0)
    warnings.push('one recipient list serves every year: purged years cannot be crypto-shredded separately; run "complaints keys rotate --year YYYY" to start yearly keys（所有年度共用同一密钥，无法按年度销毁）');

  const recipients = Array.isArray(org.recipients)
    ? [{ year: null, recipients: org.recipients }]
    : recipientYears(org.recipients).map((year) => ({ year, recipients: recipientsOfYear(org.recipients, year).recipients }));
  if (context.json) {
    printJson(context, {
      form: Array.isArray(org.recipients) ? 'all_years' : 'by_year',
      recipients,
      currentYear: { year: now, source: current.source.kind, ...(current.source.kind === 'carried_forward' ? { fromYear: current.source.fromYear } : {}) },
      identities,
      envelopes: envelopeRows,
      warnings,
    });
    return EXIT.ok;
  }
  context.stdout('加密接收人 recipients in org.yaml:\n');
  if (recipients.length === 0 || recipients.every((row) => row.recipients.length === 0)) context.stdout('  (none 未设置)\n');
  for (const row of recipients) context.stdout(`  ${row.year ?? '所有年度 all years'}: ${row.recipients.join(', ') || '(none)'}\n`);
  context.stdout(`\n当前年度 current year ${now}: ${sourceText(current.source)}\n`);
  context.stdout(`\n私钥 identities${found ? ` from ${found.source}` : ''}:\n`);
  if (identities.length === 0) context.stdout('  none given (--identity FILE, COMPLAINTS_IDENTITY_FILE or COMPLAINTS_IDENTITY)（未提供私钥）\n');
  for (const identity of identities) context.stdout(`  ${identity.recipient}: ${identity.years === 'all' ? 'all years' : identity.years.join(', ') || 'no year（不在接收人中）'}\n`);
  context.stdout('\n各年度加密联系方式 envelopes by year of receipt:\n');
  const rows = envelopeRows.map((row) => [String(row.year), String(row.count), row.readable === undefined ? '—' : String(row.readable), sourceText(recipientsOfYear(org.recipients, row.year).source)]);
  context.stdout(`${table(['year 年度', 'envelopes 数量', 'readable 可解密', 'recipients 接收人'], rows)}\n`);
  if (warnings.length > 0) context.stdout(`\n注意 warnings:\n${warnings.map((warning) => `  - ${warning}`).join('\n')}\n`);
  return EXIT.ok;
}

/** Where a new year's identity goes by default: the user's config folder, never the archive. */
function defaultIdentityPath(context: CommandContext, year: number): string {
  const home = context.env.HOME ?? context.env.USERPROFILE;
  if (!home) throw new UsageError('no home folder to put the identity in: give --out FILE（请用 --out 指定私钥文件）');
  return join(home, '.config', 'complaints', `identity-${year}.txt`);
}

async function rotate(context: CommandContext, values: OptionValues): Promise<number> {
  const yearText = stringOption(values, 'year');
  if (!yearText || !/^\d{4}$/.test(yearText)) throw new UsageError('give the year the new key is for, e.g. --year 2027（请用 --year 指定年度）');
  const year = Number(yearText);
  const { org, envelopes } = await readArchive(context);
  const out = resolve(stringOption(values, 'out') ?? defaultIdentityPath(context, year));
  const inside = relative(context.root, out);
  if (!inside.startsWith('..') && !isAbsolute(inside))
    throw new UsageError(`${out} lies inside the archive: an identity must never be committed; choose a path outside ${context.root}（私钥不能放在档案目录中）`);

  const { identity, recipient } = await generateKeyPair();
  await mkdir(dirname(out), { recursive: true, mode: IDENTITY_FOLDER_MODE });
  try {
    await writeFile(out, `# created: ${context.now.toISOString()}\n# year: ${year}\n# public key: ${recipient}\n${identity}\n`, { encoding: 'utf8', flag: 'wx', mode: IDENTITY_FILE_MODE });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`${out} already exists; rotate never overwrites an identity（文件已存在，不会覆盖已有私钥）`);
    throw cause;
  }
  await chmod(out, IDENTITY_FILE_MODE);

  const previous = recipientsOfYear(org.recipients, year);
  const setting = rotateRecipients(org.recipients, year, [recipient], envelopes.keys());
  await writeRecipients(context.root, setting);
  const warnings: string[] = [];
  const existing = envelopes.get(year) ?? 0;
  if (existing > 0 && previous.recipients.length > 0)
    warnings.push(
      `${year} already holds ${existing} envelopes encrypted to its previous recipients; keep their identities until those envelopes are purged（${year} 年已有 ${existing} 个联系方式使用原密钥加密，请保留原私钥直至清除）`,
    );
  if (context.json) {
    printJson(context, { year, recipient, identityFile: out, recipients: setting, warnings });
  } else {
    context.stdout(
      `新私钥已写入 identity for ${year} written to ${out} (mode 600)\n已把公钥加入 content/org.yaml 的 recipients["${year}"] added its recipient ${recipient}\n` +
        `请检查并提交 org.yaml（review and commit content/org.yaml）; keep the identity file safe and out of the repository（私钥请妥善保管，切勿提交）\n`,
    );
    for (const warning of warnings) context.stderr(`warning: ${warning}\n`);
  }
  return EXIT.ok;
}

export const keysCommand: Command = {
  summary: 'yearly encryption keys: status, rotate（年度密钥管理）',
  usage: 'complaints keys status [--identity FILE] | complaints keys rotate --year YYYY [--out FILE]  [--root DIR] [--json]',
  options: { identity: { type: 'string' }, year: { type: 'string' }, out: { type: 'string' } },
  async run(context, values, positionals) {
    const [subcommand, ...extra] = positionals;
    if (extra.length > 0 || !SUBCOMMANDS.includes(subcommand as (typeof SUBCOMMANDS)[number]))
      throw new UsageError(`give one of: ${SUBCOMMANDS.join(', ')}（请指定 status 或 rotate）`);
    const chosen = subcommand as (typeof SUBCOMMANDS)[number];
    switch (chosen) {
      case 'status':
        return status(context, values);
      case 'rotate':
        return rotate(context, values);
      default: {
        const unreachable: never = chosen;
        throw new UsageError(`unknown subcommand ${String(unreachable)}`);
      }
    }
  },
};
