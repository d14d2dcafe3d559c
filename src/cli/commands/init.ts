import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ORG_FILE, writeFileAtomically } from '../../archive/archive.ts';
import { COMPLAINTS_DIR } from '../../core/complaint/paths.ts';
import { defaultOrganisationName, orgTemplate } from '../../core/org/template.ts';
import { PRESETS, type PresetName } from '../../core/org/vocabulary.ts';
import { EXIT, printJson, stringOption, UsageError, type Command } from '../command.ts';

/** Keeps the empty complaints folder in Git, which tracks files only. */
const KEEP_FILE = '.gitkeep';

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export const initCommand: Command = {
  summary: 'write content/org.yaml for a new organisation（初始化组织配置）',
  usage: 'complaints init --preset property|campus|public-service [--name NAME] [--force] [--root DIR] [--json]',
  options: {
    preset: { type: 'string' },
    name: { type: 'string' },
    force: { type: 'boolean', default: false },
  },
  async run(context, values) {
    const preset = stringOption(values, 'preset');
    if (preset === undefined) throw new UsageError(`--preset is required: one of ${PRESETS.join(', ')}（请选择预设）`);
    if (!(PRESETS as readonly string[]).includes(preset))
      throw new UsageError(`--preset must be one of ${PRESETS.join(', ')}; found "${preset}"（预设无效）`);
    const name = stringOption(values, 'name')?.trim();
    if (name !== undefined && (name === '' || /[\r\n]/.test(name))) throw new UsageError('--name must be one non-empty line（组织名称无效）');
    const orgPath = join(context.root, ORG_FILE);
    const overwritten = await exists(orgPath);
    if (overwritten && values.force !== true)
      throw new UsageError(`${ORG_FILE} already exists; pass --force to replace it（组织配置已存在，如需覆盖请加 --force）`);

    const presetName = preset as PresetName;
    await writeFileAtomically(orgPath, orgTemplate(presetName, name ? { name } : {}));
    const complaintsDirectory = join(context.root, COMPLAINTS_DIR);
    await mkdir(complaintsDirectory, { recursive: true });
    await writeFile(join(complaintsDirectory, KEEP_FILE), '', { flag: 'a' });

    const organisation = name ?? defaultOrganisationName(presetName);
    if (context.json) {
      printJson(context, { path: ORG_FILE, preset: presetName, name: organisation, overwritten });
    } else {
      context.stdout(
        [
          `已创建 ${ORG_FILE}（${organisation}，预设 ${presetName}）wrote ${ORG_FILE}${overwritten ? ' (replaced)' : ''}`,
          '下一步 next steps:',
          '  1. 编辑项目和部门 edit projects and departments in content/org.yaml',
          '  2. complaints keygen --out ~/.config/complaints/identity.txt，把公钥加入 recipients',
          '  3. complaints validate',
          '',
        ].join('\n'),
      );
    }
    return EXIT.ok;
  },
};
