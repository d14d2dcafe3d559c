import { describe, expect, it } from 'vitest';
import { historyUrlOf } from '../../../src/core/org/history-url.ts';
import { envelopesByYear, recipientsFor, type RecipientSource, recipientsOfYear, rotateRecipients, withoutYearsBefore, yearsStillCarried } from '../../../src/core/org/recipients.ts';
import { orgSchema, type RecipientsSetting } from '../../../src/core/org/schema.ts';
import { orgTemplate } from '../../../src/core/org/template.ts';
import { parse } from 'yaml';

const A = 'age1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const B = 'age1bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const C = 'age1cccccccccccccccccccccccccccccccccccccccccccccccccccccccccc';

describe('recipients per year of receipt', () => {
  it.each<[string, RecipientsSetting, number, string[], RecipientSource['kind']]>([
    ['one list serves every year', [A], 2020, [A], 'all_years'],
    ['a year with its own list', { '2025': [A], '2026': [B] }, 2025, [A], 'own'],
    ['a later year carries the latest earlier list forward', { '2025': [A], '2026': [B] }, 2028, [B], 'carried_forward'],
    ['a year before every listed year has none', { '2025': [A] }, 2024, [], 'none'],
    ['no recipients at all', [], 2026, [], 'all_years'],
  ])('%s', (_name, setting, year, recipients, source) => {
    expect(recipientsOfYear(setting, year)).toMatchObject({ recipients, source: { kind: source } });
    expect(recipientsFor({ recipients: setting }, year)).toEqual(recipients);
  });

  it('rotating from one list keeps every year in use on the old list and gives the new year its own', () => {
    expect(rotateRecipients([A], 2027, [C], [2025, 2026])).toEqual({ '2025': [A], '2026': [A], '2027': [C] });
    expect(rotateRecipients([], 2027, [C], [2026])).toEqual({ '2027': [C] });
  });

  it('rotating an earlier year keeps later years that carried it forward on what they used', () => {
    expect(rotateRecipients({ '2025': [A] }, 2025, [C], [2025, 2026])).toEqual({ '2025': [C], '2026': [A] });
    expect(rotateRecipients({ '2025': [A], '2026': [B] }, 2027, [C], [2025, 2026])).toEqual({ '2025': [A], '2026': [B], '2027': [C] });
  });

  it('purging drops earlier years unless a later year still carries them', () => {
    expect(withoutYearsBefore({ '2025': [A], '2026': [B] }, 2026)).toEqual({ '2026': [B] });
    expect(yearsStillCarried({ '2025': [A] }, 2026, [2026, 2027])).toEqual([2025]);
    expect(withoutYearsBefore({ '2025': [A] }, 2026, [2025])).toEqual({ '2025': [A] });
    expect(withoutYearsBefore([A], 2026)).toEqual([A]);
  });

  it('counts envelopes by year of receipt in the organisation’s time zone', () => {
    const complaints = [
      { data: { contact: 'x', received_at: '2025-12-31T17:00:00Z' } },
      { data: { contact: 'x', received_at: '2025-12-31T15:00:00Z' } },
      { data: { received_at: '2025-06-01T10:00:00+08:00' } },
    ];
    expect([...envelopesByYear(complaints, 'Asia/Shanghai')]).toEqual([
      [2025, 1],
      [2026, 1],
    ]);
  });
});

describe('org.yaml: recipients by year, audit settings, history links', () => {
  const base = parse(orgTemplate('property')) as Record<string, unknown>;

  it('accepts a map from year to recipients and defaults the audit settings', () => {
    const org = orgSchema.parse({ ...base, recipients: { '2026': [A], '2027': [B] } });
    expect(org.recipients).toEqual({ '2026': [A], '2027': [B] });
    expect(org.audit).toEqual({ backdateMarginHours: 24, requireSignedCommits: false, importCommits: [] });
  });

  it.each([
    ['a year that is not four digits', { recipients: { '26': [A] } }],
    ['a recipient that is not an age recipient', { recipients: { '2026': ['ssh-ed25519 AAAA'] } }],
    ['a negative margin', { audit: { backdateMarginHours: -1 } }],
    ['a history URL without {path}', { board: { historyUrl: 'https://github.com/org/repo/commits/main' } }],
  ])('refuses %s', (_name, overrides) => {
    expect(orgSchema.safeParse({ ...base, ...overrides }).success).toBe(false);
  });

  it('builds the history link of a complaint file from the template, path segments encoded', () => {
    const org = orgSchema.parse({ ...base, board: { historyUrl: 'https://github.com/acme/archive/commits/main/{path}?id={id}' } });
    expect(historyUrlOf(org, 'content/complaints/2026/10/2026-0042.md')).toBe('https://github.com/acme/archive/commits/main/content/complaints/2026/10/2026-0042.md?id=2026-0042');
    expect(historyUrlOf(org, 'content/complaints/2026/10/a b#.md')).toBe('https://github.com/acme/archive/commits/main/content/complaints/2026/10/a%20b%23.md?id=a%20b%23');
    expect(historyUrlOf(orgSchema.parse(base), 'content/complaints/2026/10/2026-0042.md')).toBeUndefined();
  });
});
