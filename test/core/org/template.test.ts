import { describe, expect, it } from 'vitest';
import { parseOrg } from '../../../src/archive/archive.ts';
import { PRESET_SETTINGS } from '../../../src/core/org/presets.ts';
import { defaultOrganisationName, orgTemplate } from '../../../src/core/org/template.ts';
import { PRESETS } from '../../../src/core/org/vocabulary.ts';

describe('the org.yaml a new organisation starts with', () => {
  it.each(PRESETS)('parses for the %s preset with one project, two departments and no recipients', (preset) => {
    const { org, problems } = parseOrg(orgTemplate(preset));
    expect(problems).toEqual([]);
    expect(org).toMatchObject({ name: defaultOrganisationName(preset), preset, timezone: 'Asia/Shanghai', recipients: [] });
    expect(org?.projects).toHaveLength(1);
    expect(org?.departments).toHaveLength(2);
  });

  it.each(PRESETS)('routes every category of the %s preset to exactly one department', (preset) => {
    const { org } = parseOrg(orgTemplate(preset));
    const routed = org!.departments.flatMap((department) => department.categories);
    expect([...routed].sort()).toEqual(PRESET_SETTINGS[preset].categories.map((category) => category.key).sort());
  });

  it('keeps a name with YAML punctuation intact', () => {
    const name = '某大学: 后勤 #1 "北区"';
    expect(parseOrg(orgTemplate('campus', { name })).org?.name).toBe(name);
  });

  it('points to keygen where recipients go', () => {
    expect(orgTemplate('property')).toMatch(/complaints keygen[^\n]*\n(?:#[^\n]*\n)*recipients: \[\]/);
  });
});
