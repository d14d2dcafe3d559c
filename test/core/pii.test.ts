import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findPersonalData, isValidResidentId } from '../../src/core/pii.ts';

/** What the scanner found, as kind and masked text. */
const found = (text: string) => findPersonalData(text).map((finding) => `${finding.kind} ${finding.masked}`);

describe('finding personal data (what counts is documented in src/core/pii.ts)', () => {
  it.each([
    ['a bare mobile number', '请回电13800138000谢谢', ['mobile 138******00']],
    ['a mobile number with +86', '电话+8613912345678', ['mobile +86*********78']],
    ['a mobile number with 86 and a space', '86 13912345678', ['mobile 86 *********78']],
    ['a mobile number grouped with spaces', '手机 139 1234 5678', ['mobile 139********78']],
    ['a mobile number grouped with dashes', '手机：139-1234-5678。', ['mobile 139********78']],
    ['a mobile number in full-width digits', '电话１３８００１３８０００', ['mobile 138******00']],
    ['a mobile number before 元 (a false positive we accept: no complaint names tens of billions of yuan)', '13800000000元', ['mobile 138******00']],
    ['a resident ID number ending in X', '身份证11010519491231002X', ['id_card 110*************2X']],
    ['a resident ID number ending in a lowercase x', '11010519491231002x', ['id_card 110*************2x']],
    ['a resident ID number ending in a digit', '证件号 440304199001011233。', ['id_card 440*************33']],
    ['two numbers in one text, in order', '11010519491231002X 或 13800138000', ['id_card 110*************2X', 'mobile 138******00']],
  ])('finds %s', (_name, text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it.each([
    ['an order number longer than 11 digits', '订单号 202610211380013800012'],
    ['a 12-digit number that starts like a mobile', '138001380001'],
    ['a date', '2026年11月23日，即20261123'],
    ['a room number', '3幢1单元1302室，3-1302'],
    ['an 11-digit number that does not start 13–19', '12800138000'],
    ['an 18-digit number with a wrong check digit', '110105194912310021'],
    ['an 18-digit number with an impossible birth month', '110105194913310028'],
    ['a landline number', '0571-88886666'],
    ['an amount', '共计1380.00元'],
    ['a mobile number inside a longer alphanumeric code', 'ID11010519491231002XA'],
  ])('does not flag %s', (_name, text) => {
    expect(found(text)).toEqual([]);
  });

  it('checks the GB 11643 check digit', () => {
    expect(isValidResidentId('11010519491231002X')).toBe(true);
    expect(isValidResidentId('440304199001011233')).toBe(true);
    expect(isValidResidentId('440304199001011234')).toBe(false);
    expect(isValidResidentId('4403041990010112')).toBe(false);
  });

  it('gives offsets and lengths that cover the number in the original text', () => {
    const text = '请打１３８－００１３－８０００找王女士';
    const [finding] = findPersonalData(text);
    expect(text.slice(finding!.index, finding!.index + finding!.length)).toBe('１３８－００１３－８０００');
  });

  it('never prints more than the first three and last two characters', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (mobile) => {
        const [finding] = findPersonalData(`tel ${mobile}.`);
        expect(finding?.masked).toBe(`${mobile.slice(0, 3)}******${mobile.slice(-2)}`);
      }),
    );
  });
});
