/**
 * Registering a complaint file under a fresh id (SPEC §3 `id`). One interface, two implementations:
 * on a Git working copy the file is committed and pushed with optimistic concurrency
 * (`git-complaint-registry.ts`); in a plain folder it is only written (`folder-complaint-registry.ts`).
 */

/** One complaint file: its path relative to the archive root and its full text. */
export interface ComplaintFile {
  path: string;
  text: string;
}

export interface RegistrationRequest {
  /** The year of receipt in the organisation's time zone: the first part of the id. */
  year: number;
  /**
   * The file for an id. Called again with the next id when the one tried was taken meanwhile, so the
   * id inside the file always matches its name.
   */
  fileFor(id: string): ComplaintFile;
}

export interface Registration {
  id: string;
  /** Relative to the archive root, e.g. `content/complaints/2026/10/2026-0007.md`. */
  path: string;
  committed: boolean;
  pushed: boolean;
  /** How many times the id was allocated and tried (1 when nothing collided). */
  attempts: number;
  /** Why the complaint was not committed or not pushed, for the person at the keyboard (zh-CN + English). */
  notice?: string;
}

export interface ComplaintRegistry {
  /** Writes the complaint under the next free id of its year and records it as far as the archive allows. */
  register(request: RegistrationRequest): Promise<Registration>;
}

/**
 * The commit message of a registration: the id in English and Chinese and nothing else. Titles and
 * texts are untrusted and may hold personal data, and Git history cannot be cleaned afterwards.
 */
export function registrationCommitMessage(id: string): string {
  return `Register complaint ${id} (登记投诉 ${id})`;
}

/** Raised when the complaint file could not be written and committed; nothing is left behind. */
export class ComplaintRegistrationError extends Error {
  override readonly name = 'ComplaintRegistrationError';
  constructor(path: string, cause: unknown) {
    super(`could not register ${path}: ${(cause as Error).message.trim()}（登记失败，未留下任何文件）`, { cause });
  }
}

/**
 * Raised when the complaint is committed in the local working copy but could not be pushed. The
 * commit is kept, so nothing is lost; it reaches the shared archive with the next successful push.
 */
export class ComplaintPushError extends Error {
  override readonly name = 'ComplaintPushError';
  readonly registration: Registration;
  constructor(registration: Registration, reason: string) {
    super(
      `complaint ${registration.id} is committed locally (${registration.path}) but could not be pushed after ${registration.attempts} attempt(s): ${reason.trim()}. ` +
        `Nothing is lost; run "git pull --rebase && git push" later, then "complaints validate"` +
        `（投诉 ${registration.id} 已在本地提交但推送失败，记录未丢失；请稍后执行 git pull --rebase 和 git push，再运行 complaints validate）`,
    );
    this.registration = registration;
  }
}
