import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describeFinding, MINIMUM_SECRET_LENGTH, scanForPersonalData, scanText, secretVariants } from '../../src/core/privacy-scan.ts';
import { generateDemoArchive } from '../../src/demo/generate.ts';
import { orgSchema } from '../../src/core/org/schema.ts';

const file = (text: string, path = 'complaints/2026-0001/index.html') => ({ path, text });

describe('the privacy scan of the built board', () => {
  it.each([
    ['an age armor line', '<pre>-----BEGIN AGE ENCRYPTED FILE-----</pre>', 'age_envelope'],
    ['the age format line', 'YWdl… age-encryption.org/v1', 'age_envelope'],
    ['a mobile number', '<p>请回电13912345678</p>', 'mobile'],
    ['a mobile number grouped 3-4-4 with +86', '{"note":"+86 139-1234-5678"}', 'mobile'],
    ['a mobile number in full-width digits', '电话１３９１２３４５６７８', 'mobile'],
    ['a valid resident ID number', '身份证 11010519491231002X', 'id_card'],
    ['an e-mail address', '<a href="mailto:resident7@example.com">联系</a>', 'email'],
  ] as const)('finds %s', (_description, text, kind) => {
    expect(scanText(file(text)).map((finding) => finding.kind)).toEqual([kind]);
  });

  it.each([
    ['as typed', '业主张三丰反映', '张三丰'],
    ['HTML-escaped', '<dd>O&#39;Brien &amp; Co</dd>', "O'Brien & Co"],
    ['JSON-escaped', '{"address":"3栋\\"东\\"单元"}', '3栋"东"单元'],
    ['percent-encoded in a URL', '<a href="/search/?q=%E5%BC%A0%E4%B8%89%E4%B8%B0">', '张三丰'],
    ['split by the zero-width spaces of a search index', '{"content":"我是\u200b闻人\u200b珂瑶"}', '闻人珂瑶'],
    ['in another letter case', '<p>Zhang SAN FENG 来电</p>', 'Zhang San Feng'],
  ])('finds a contact value written %s', (_description, text, secret) => {
    expect(scanText(file(text), [secret]).map((finding) => finding.kind)).toEqual(['contact']);
  });

  it('names the file and the line, and masks the value it found', () => {
    const findings = scanForPersonalData([file('ok'), file('第一行\n第二行 闻人珂瑶', 'feed.xml')], ['闻人珂瑶']);
    expect(findings).toEqual([{ path: 'feed.xml', kind: 'contact', line: 2, masked: '闻**瑶' }]);
    expect(describeFinding(findings[0]!)).toBe('feed.xml:2: 投诉人联系方式 contact (闻**瑶)');
    expect(describeFinding(findings[0]!)).not.toContain('闻人珂瑶');
  });

  it(`ignores contact values shorter than ${MINIMUM_SECRET_LENGTH} characters and blank ones`, () => {
    expect(scanText(file('王先生来电'), ['王', '  ', ''])).toEqual([]);
  });

  it('does not flag dates, room numbers, landlines, amounts or complaint ids', () => {
    const text = '2026-11-23 受理，3-1302室，物业电话 0571-88889999，费用 1280 元，编号 2026-0164，工单 GD20261123001';
    expect(scanText(file(text))).toEqual([]);
  });

  it('finds every contact value however it is surrounded (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: MINIMUM_SECRET_LENGTH, maxLength: 12 }).filter((secret) => [...secret.trim()].length >= MINIMUM_SECRET_LENGTH), fc.nat(), fc.string(), fc.string(), (secret, choice, before, after) => {
        const variants = secretVariants(secret.trim());
        const variant = variants[choice % variants.length]!;
        expect(scanText(file(`${before}${variant}${after}`), [secret]).some((finding) => finding.kind === 'contact')).toBe(true);
      }),
    );
  });
});

describe('the privacy scan on the demo texts', () => {
  it('finds nothing in the titles, texts, locations and public notes of the demo archive, even searching for every demo contact value', () => {
    const demo = generateDemoArchive({ seed: 20261123, count: 240, now: DateTime.fromISO('2026-11-23T10:00:00+08:00').toJSDate() });
    const org = orgSchema.parse(demo.org);
    const secrets = demo.complaints.flatMap(({ contact }) => (contact ? [contact.name, contact.phone, contact.address, contact.email].filter((value): value is string => Boolean(value)) : []));
    expect(secrets.length).toBeGreaterThan(400);
    const files = demo.complaints.map(({ data, body }) => ({
      path: `complaints/${data.id}/index.html`,
      text: [data.title, data.location ?? '', body, ...data.events.map((event) => event.public_note ?? '')].join('\n'),
    }));
    files.push({ path: 'org.html', text: [org.name, ...org.projects.map((project) => project.name), ...org.categories.map((category) => category.label)].join('\n') });
    expect(scanForPersonalData(files, secrets)).toEqual([]);
  });
});
