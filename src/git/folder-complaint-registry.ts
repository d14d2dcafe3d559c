import type { ComplaintRegistry } from './complaint-registry.ts';
import { writeUnderNextId } from './allocation.ts';

/**
 * The registry for an archive that is not a Git working copy: the file is written under the next free
 * id and nothing else happens, so the person is told it is neither committed nor shared.
 */
export function folderComplaintRegistry(root: string): ComplaintRegistry {
  return {
    async register(request) {
      const written = await writeUnderNextId(root, request);
      return {
        id: written.id,
        path: written.path,
        committed: false,
        pushed: false,
        attempts: 1,
        notice: `${root} is not a Git repository: the file is written but not committed（档案目录不是 Git 仓库：文件已写入，但未提交）`,
      };
    },
  };
}
