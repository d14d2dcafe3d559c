import { simpleGit } from 'simple-git';
import type { ComplaintRegistry } from './complaint-registry.ts';
import { folderComplaintRegistry } from './folder-complaint-registry.ts';
import { gitComplaintRegistry, type GitRegistryOptions } from './git-complaint-registry.ts';

/** The registry that fits `root`: Git when it lies in a working copy, a plain folder otherwise. */
export async function openComplaintRegistry(root: string, options: GitRegistryOptions = {}): Promise<{ registry: ComplaintRegistry; git: boolean }> {
  const inWorkingCopy = await simpleGit({ baseDir: root }).checkIsRepo().catch(() => false);
  return inWorkingCopy ? { registry: gitComplaintRegistry(root, options), git: true } : { registry: folderComplaintRegistry(root), git: false };
}
