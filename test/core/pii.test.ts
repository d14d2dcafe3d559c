import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findNames, findPersonalData, isValidResidentId, namesInContact, passesLuhn, PERSONAL_DATA_KINDS, PERSONAL_DATA_LABELS, PERSONAL_DATA_NAMES } from '../../src/core/pii.ts';

/** What the scanner found, as kind and masked text. */
const found = (text: string, names?: string[]) => findPersonalData(text, names ? { names } : {}).map((finding) => `${finding.kind} ${finding.masked}`);

/** What the scanner found, as kind and the text it covers. */
const covered = (text: string, names?: string[]) =>
  findPersonalData(text, names ? { names } : {}).map((finding) => `${finding.kind}:${text.slice(finding.index, finding.index + finding.length)}`);

/** The digit that makes `prefix` pass the Luhn check. */
function luhnComplete(prefix: string): string {
  for (let digit = 0; digit < 10; digit += 1) if (passesLuhn(`${prefix}${digit}`)) return `${prefix}${digit}`;
  throw new Error('unreachable: one digit always completes a Luhn number');
}

describe('finding mobile numbers and resident ID numbers', () => {
  it.each([
    ['a bare mobile number', '请回电13800138000谢谢', ['mobile 138******00']],
    ['a mobile number with +86', '电话+8613912345678', ['mobile +86*********78']],
    ['a mobile number with 86 and a space', '86 13912345678', ['mobile 86 *********78']],
    ['a mobile number grouped with spaces', '手机 139 1234 5678', ['mobile 139********78']],
    ['a mobile number grouped with dashes', '手机：139-1234-5678。', ['mobile 139********78']],
    ['a mobile number in full-width digits', '电话１３８００１３８０００', ['mobile 138******00']],
    ['a mobile number before 元 (a false positive we accept: no complaint names tens of billions of yuan)', '13800000000元', ['mobile 138******00']],
    ['a mobile number labelled as the service line (mobiles are personal whatever the label)', '服务热线 13800138000', ['mobile 138******00']],
    ['a resident ID number ending in X', '身份证11010519491231002X', ['id_card 110*************2X']],
    ['a resident ID number ending in a lowercase x', '11010519491231002x', ['id_card 110*************2x']],
    ['a resident ID number ending in a digit', '证件号 440304199001011233。', ['id_card 440*************33']],
    ['two numbers in one text, in order', '11010519491231002X 或 13800138000', ['id_card 110*************2X', 'mobile 138******00']],
  ])('finds %s', (_name, text, expected) => {
    expect(found(text)).toEqual(expected);
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

  it('never prints more than the first three and last two characters of a mobile number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (mobile) => {
        const [finding] = findPersonalData(`tel ${mobile}.`);
        expect(finding?.masked).toBe(`${mobile.slice(0, 3)}******${mobile.slice(-2)}`);
      }),
    );
  });
});

describe('finding landline numbers (the three forms documented in src/core/pii.ts)', () => {
  it.each([
    ['a Beijing number with its area code and a dash', '请拨打010-12345678', ['landline:010-12345678']],
    ['a Hangzhou number grouped 4-4 after its area code', '家里座机0571-8888 8888', ['landline:0571-8888 8888']],
    ['a number with the area code in parentheses', '(010)62345678', ['landline:(010)62345678']],
    ['a number with the area code in full-width parentheses', '（0571）88888888', ['landline:（0571）88888888']],
    ['a number with +86 and no leading zero', '+86 21 62345678', ['landline:+86 21 62345678']],
    ['a number with an extension', '0571-88888888转801', ['landline:0571-88888888转801']],
    ['a number with a dash extension', '0571-88888888-801', ['landline:0571-88888888-801']],
    ['a seven-digit local number with its area code', '0910-2345678', ['landline:0910-2345678']],
    ['a number with its area code and no separator after a phone word', '固话057188888888', ['landline:057188888888']],
    ['an eight-digit local number after 电话', '电话：8888 8888', ['landline:8888 8888']],
    ['a seven-digit local number after 座机', '座机 2345678', ['landline:2345678']],
    ['a local number after "tel"', 'Tel. 62345678', ['landline:62345678']],
    ['a landline written by the person as theirs', '我家电话 0571-88889999，请联系', ['landline:0571-88889999']],
    ['a complainant’s line even though the word 投诉 is near (投诉人电话)', '投诉人电话 010-62345678', ['landline:010-62345678']],
  ])('finds %s', (_name, text, expected) => {
    expect(covered(text)).toEqual(expected);
  });

  it.each([
    ['the service line of the property company', '服务热线：0571-88886666'],
    ['the property office line', '物业电话 0571-88889999'],
    ['the complaint line', '投诉电话 010-62345678，传真 010-62345679'],
    ['a 12-digit invoice code that reads like an area code and a number', '发票代码 044031900111'],
    ['an eight-digit invoice number', '发票号码 12345678'],
    ['an eight-digit date without a phone word', '即20261123'],
    ['a 400 service number', '客服 400-123-4567'],
    ['a five-digit public hotline', '请拨打 12345 或 95598'],
    ['a local number without a phone word', '共 88888888 元'],
  ])('does not flag %s', (_name, text) => {
    expect(found(text)).toEqual([]);
  });
});

describe('finding e-mail addresses and bank card numbers', () => {
  it.each([
    ['an e-mail address', '邮箱 zhang.san@qq.com。', ['email:zhang.san@qq.com']],
    ['an e-mail address whose local part is a mobile number, once, as an address', '13800138000@qq.com', ['email:13800138000@qq.com']],
    ['an e-mail address in full-width characters', 'ＺＨＡＮＧ＠１６３．ＣＯＭ', ['email:ＺＨＡＮＧ＠１６３．ＣＯＭ']],
    ['a UnionPay card number', '卡号6222021234567890128', ['bank_card:6222021234567890128']],
    ['a card number grouped by four', '退款到 6222 0212 3456 7890 128', ['bank_card:6222 0212 3456 7890 128']],
    ['a 16-digit Visa number followed by a year', '卡 4567890123456783 2026年', ['bank_card:4567890123456783']],
  ])('finds %s', (_name, text, expected) => {
    expect(covered(text)).toEqual(expected);
  });

  it.each([
    ['a file name with @2x', '<img srcset="icon@2x.png 2x">'],
    ['an npm package name', 'import rss from "@astrojs/rss"'],
    ['an address without a domain', 'user@localhost'],
    ['a card-length number that fails the Luhn check', '6222021234567890127'],
    ['a Luhn-valid order number labelled as one', `淘宝订单号：${luhnComplete('330123456789012345')}`],
    ['a Luhn-valid waybill number labelled as one', `快递单号 ${luhnComplete('621700001234567')}`],
    ['a Luhn-valid number outside the issuer ranges', luhnComplete('220101234567890123')],
    ['a 20-digit fully digital invoice number', '全电发票号码 24442000000012345678'],
    ['a 28-digit payment reference', '支付流水 4200001234202611231234567890'],
    ['a long decimal in a script', 'x=0.30000000000000004'],
  ])('does not flag %s', (_name, text) => {
    expect(found(text)).toEqual([]);
  });

  it('finds every Luhn-valid 16–19 digit number in the UnionPay range that is not labelled', () => {
    fc.assert(
      fc.property(fc.integer({ min: 13, max: 16 }).chain((length) => fc.stringMatching(new RegExp(`^62\\d{${length}}$`))), (prefix) => {
        const card = luhnComplete(prefix);
        expect(covered(`退款卡 ${card} 。`)).toEqual([`bank_card:${card}`]);
      }),
    );
  });

  it('never flags a long number that starts outside the issuer ranges as a card', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-278]\d{15,18}$/), (digits) => {
        expect(findPersonalData(`数字 ${digits} 。`).filter((finding) => finding.kind === 'bank_card')).toEqual([]);
      }),
    );
  });

  it('checks Luhn like the card schemes do', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('1234a')).toBe(false);
  });
});

describe("finding the complainant's name from the decrypted contact", () => {
  it.each([
    ['the name as written', '王小明反映楼上漏水', ['王小明'], ['name:王小明']],
    ['the name with spaces between its characters', '业主王 小 明来电', ['王小明'], ['name:王 小 明']],
    ['the name split by zero-width spaces', '王\u200b小明', ['王小明'], ['name:王\u200b小明']],
    ['a Latin name in another letter case, as a whole word', 'Reported by LI WEI, not by Lisa', ['Li Wei'], ['name:LI WEI']],
    ['a two-character name', '张伟说电梯坏了', ['张伟'], ['name:张伟']],
    ['several names of one contact', '王小明和李华一起来访', ['王小明', '李华'], ['name:王小明', 'name:李华']],
  ])('finds %s', (_name, text, names, expected) => {
    expect(covered(text, names)).toEqual(expected);
  });

  it('does not search for a surname alone or a blank name', () => {
    expect(findNames('王先生来电，王师傅已到场', ['王', ' ', ''])).toEqual([]);
  });

  it('does not find a Latin name inside a longer word', () => {
    expect(findNames('Lisa and Liang', ['Li'])).toEqual([]);
  });

  it('masks a name to its first and last character', () => {
    expect(found('王小明来电', ['王小明'])).toEqual(['name 王*明']);
    expect(found('张伟来电', ['张伟'])).toEqual(['name 张*']);
  });

  it('reads the names of a contact listing several people', () => {
    expect(namesInContact({ name: '王小明、李华,  赵 ' })).toEqual(['王小明', '李华']);
    expect(namesInContact({})).toEqual([]);
  });

  it('finds nothing without names: a name has no shape of its own', () => {
    expect(found('王小明反映楼上漏水')).toEqual([]);
  });
});

describe('Chinese complaint texts full of numbers that are not personal data', () => {
  it.each([
    ['amounts and a payment date', '本月物业费共计1380.00元，已于2026年11月23日缴清，另付停车费 300 元。'],
    ['large amounts with thousands separators', '维修基金使用金额 125,000 元，分摊到 1,200 户，每户 104.17 元。'],
    ['prices per square metre', '物业费单价 3.5 元/平方米·月，建筑面积 89.37 平方米，全年 3,753.54 元。'],
    ['dates in every form', '2026年11月23日（20261123），即 2026-11-23 或 2026/11/23，上午 9:30 至 11:45。'],
    ['the date 20261123 alone', '20261123'],
    ['years', '2025、2026 两年的统计；自 2019 年起入住。'],
    ['room, building and parking numbers', '3幢1单元1302室（3-1302），地下车位 B2-045，12 号电梯。'],
    ['complaint ids and work orders', '投诉编号 2026-0164，关联 2026-0007；工单 GD20261123001。'],
    ['order and express numbers', '京东订单号 289234567890，顺丰单号 SF1234567890123，中通 73123456789012，淘宝订单 3301234567890123453。'],
    ['invoice codes and numbers', '发票代码 044031900111，发票号码 12345678；全电发票 24442000000012345678。'],
    ['a published service line', '如有疑问请致电物业服务中心 0571-88889999 或服务热线 400-123-4567。'],
    ['meter readings and quantities', '电表读数 004512.3 度，水表 00231 吨，共 18 户 45 人联名。'],
    ['an 11-digit number that does not start 13–19', '12800138000'],
    ['a 12-digit number that starts like a mobile', '138001380001'],
    ['an order number longer than 11 digits', '订单号 202610211380013800012'],
    ['an 18-digit number with a wrong check digit', '110105194912310021'],
    ['an 18-digit number with an impossible birth month', '110105194913310028'],
    ['a mobile number inside a longer alphanumeric code', 'ID11010519491231002XA'],
  ])('does not flag %s', (_name, text) => {
    expect(found(text)).toEqual([]);
  });

  it('never flags a calendar date written as eight digits or with dashes', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), (date) => {
        const iso = date.toISOString().slice(0, 10);
        expect(found(`受理日期 ${iso.replaceAll('-', '')}，即 ${iso}。`)).toEqual([]);
      }),
    );
  });

  it('never flags an amount in yuan', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 0, max: 99 }), (yuan, fen) => {
        expect(found(`共计${yuan}.${String(fen).padStart(2, '0')}元`)).toEqual([]);
      }),
    );
  });
});

describe('the vocabulary of findings', () => {
  it('has a zh-CN label and an English name for every kind', () => {
    for (const kind of PERSONAL_DATA_KINDS) {
      expect(PERSONAL_DATA_LABELS[kind]).toMatch(/\p{Script=Han}/u);
      expect(PERSONAL_DATA_NAMES[kind]).toMatch(/^[a-zA-Z' -]+$/);
    }
  });

  it('reports each value once even when one kind of finding lies inside another', () => {
    expect(findPersonalData('13800138000@qq.com')).toHaveLength(1);
  });
});
