import type { ComplaintData } from '../core/complaint/schema.ts';
import type { Org } from '../core/org/schema.ts';

/**
 * Who may change a complaint in a pull request (SPEC §8: permissions by department): the handlers of
 * the department responsible before the change and after it (a transfer needs either side), and the
 * supervisors. A complaint no department has taken yet belongs to the departments its category is
 * routed to, as intake assigned it. Handles are GitHub logins, which are case-insensitive.
 */

export interface ChangeAuthority {
  allowed: boolean;
  /** The departments whose handlers may make the change, by key. */
  departments: string[];
}

function routedDepartments(org: Pick<Org, 'departments'>, category: string | undefined): string[] {
  if (category === undefined) return [];
  return org.departments.filter((department) => department.categories.includes(category)).map((department) => department.key);
}

/** The departments responsible for a complaint before and after a change. */
export function responsibleDepartments(org: Pick<Org, 'departments'>, versions: readonly (ComplaintData | undefined)[]): string[] {
  const named = versions.flatMap((data) => (data?.department ? [data.department] : []));
  if (named.length > 0) return [...new Set(named)];
  return [...new Set(versions.flatMap((data) => routedDepartments(org, data?.category)))];
}

/** Whether `author` may make a change to a complaint whose versions are `versions` (base, head). */
export function changeAuthority(org: Pick<Org, 'departments' | 'supervisors'>, author: string, versions: readonly (ComplaintData | undefined)[]): ChangeAuthority {
  const login = author.toLowerCase();
  const departments = responsibleDepartments(org, versions);
  const handlers = org.departments.filter((department) => departments.includes(department.key)).flatMap((department) => department.handlers);
  const allowed = [...org.supervisors, ...handlers].some((handle) => handle.toLowerCase() === login);
  return { allowed, departments };
}

/** Whether `author` is one of the organisation's supervisors. */
export function isSupervisor(org: Pick<Org, 'supervisors'>, author: string): boolean {
  return org.supervisors.some((handle) => handle.toLowerCase() === author.toLowerCase());
}
