import { describe, expect, it } from 'vitest';
import { orgSchema } from '../../src/core/org/schema.ts';
import { fallbackCategory, guessCategory, urgentKeywords } from '../../src/intake/category-guess.ts';

const base = {
  name: '测试',
  projects: [{ key: 'a', name: 'A', type: 'residential' as const, households: 1 }],
  departments: [{ key: 'd', name: 'D' }],
};
const property = orgSchema.parse({ ...base, preset: 'property' });
const campus = orgSchema.parse({ ...base, preset: 'campus' });
const publicService = orgSchema.parse({ ...base, preset: 'public-service' });

describe('guessing the category from keywords', () => {
  it.each([
    [property, '3号楼电梯停运，监控也坏了', 'equipment', ['电梯', '监控']],
    [property, '卫生间天花板漏水，墙面发霉', 'housing', ['漏水', '墙面', '天花板', '发霉']],
    [property, '垃圾桶满了没人清扫，老鼠很多', 'environment', ['垃圾', '清扫', '老鼠']],
    [property, '开发商迟迟不办房产证', 'developer', ['开发商', '房产证']],
    [campus, '食堂饭菜里有异物', 'catering', ['食堂', '饭菜', '异物']],
    [campus, '宿舍没有热水洗澡', 'dormitory', ['宿舍', '热水', '洗澡']],
    [publicService, '窗口工作人员态度冷漠', 'attitude', ['态度', '冷漠']],
  ])('guesses %#: "%s" → %s', (org, text, key, keywords) => {
    expect(guessCategory(text, org)).toEqual({ key, keywords: expect.arrayContaining(keywords) });
  });

  it('gives no guess when nothing matches, and falls back to "other"', () => {
    expect(guessCategory('说不清楚', property)).toBeUndefined();
    expect(fallbackCategory(property)).toBe('other');
  });

  it('takes part an organisation\'s own category through its label and description', () => {
    const own = orgSchema.parse({ ...base, preset: 'property', categories: [{ key: 'parking', label: '停车管理', public: true, description: '车位、道闸、收费' }, { key: 'misc', label: '杂项', public: true }] });
    expect(guessCategory('道闸坏了，车出不去', own)).toEqual({ key: 'parking', keywords: ['道闸'] });
    expect(fallbackCategory(own)).toBe('misc');
  });

  it('breaks ties by the order of org.yaml', () => {
    expect(guessCategory('电梯漏水', property)?.key).toBe('housing');
  });

  it('finds the words of urgent matters (003 §(二)2(1))', () => {
    expect(urgentKeywords('楼道里有燃气味，还有人被困在电梯里')).toEqual(['燃气', '被困']);
    expect(urgentKeywords('电梯停运')).toEqual([]);
  });
});
