import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOrg } from '../../src/archive/archive.ts';
import { PRESETS } from '../../src/core/org/vocabulary.ts';
import { temporaryFolder } from '../git/git-fixture.ts';
import { runComplaints } from './run-cli.ts';

describe('complaints init', () => {
  it.each(PRESETS)('writes an org.yaml for the %s preset that validates, and the complaints folder', async (preset) => {
    const root = await temporaryFolder();

    const result = await runComplaints(['init', '--preset', preset, '--root', root, '--json']);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ path: 'content/org.yaml', preset, overwritten: false });
    const org = await readOrg(root);
    expect(org.preset).toBe(preset);
    expect((await stat(join(root, 'content/complaints'))).isDirectory()).toBe(true);
    expect(await runComplaints(['validate', '--root', root])).toMatchObject({ code: 0 });
  });

  it('names the organisation as asked', async () => {
    const root = await temporaryFolder();

    expect((await runComplaints(['init', '--preset', 'public-service', '--name', '某区政务服务中心', '--root', root])).code).toBe(0);

    expect((await readOrg(root)).name).toBe('某区政务服务中心');
  });

  it('refuses to overwrite an existing org.yaml without --force', async () => {
    const root = await temporaryFolder();
    await runComplaints(['init', '--preset', 'property', '--root', root]);
    const orgPath = join(root, 'content/org.yaml');
    await writeFile(orgPath, `${await readFile(orgPath, 'utf8')}# our own edits\n`);

    const refused = await runComplaints(['init', '--preset', 'campus', '--root', root]);

    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already exists; pass --force');
    expect(await readFile(orgPath, 'utf8')).toContain('# our own edits');

    const forced = await runComplaints(['init', '--preset', 'campus', '--root', root, '--force', '--json']);

    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ preset: 'campus', overwritten: true });
    expect((await readOrg(root)).preset).toBe('campus');
  });

  it.each([
    [[], '--preset is required'],
    [['--preset', 'hospital'], '--preset must be one of property, campus, public-service'],
  ])('exits 2 for %j', async (flags, message) => {
    const root = await temporaryFolder();

    const result = await runComplaints(['init', ...flags, '--root', root]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('gives an archive in which a complaint can be registered straight away', async () => {
    const root = await temporaryFolder();
    await runComplaints(['init', '--preset', 'campus', '--root', root]);

    const registered = await runComplaints([
      'new', '--root', root, '--title', '食堂饭菜变质', '--channel', 'principal_mailbox', '--received-by', 'carol', '--category', 'catering', '--body', '二食堂午餐有异味。', '--json',
    ]);

    expect(registered.code, registered.stderr).toBe(0);
    expect(await runComplaints(['validate', '--root', root])).toMatchObject({ code: 0 });
  });
});
