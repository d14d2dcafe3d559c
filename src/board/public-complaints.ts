import { DateTime } from 'luxon';
import type { Org } from '../core/org/schema.ts';
import type { ComplaintData } from '../core/complaint/schema.ts';
import { STATE_LABELS, stateOf } from '../core/complaint/states.ts';
import { findPersonalData } from '../core/pii.ts';
import { zoneOf } from '../core/time-zone.ts';

/**
 * What the notice board may show of the complaints: only public ones (001 §4.6.1), and of those only
 * the fields in `PublicComplaintRow`. Contact data, complaint texts and internal notes have no place
 * in a row, so a page built from rows cannot leak them.
 */

/** One line of the board's list, every field fit for publication. */
export interface PublicComplaintRow {
  id: string;
  title: string;
  /** zh-CN label of the category */
  category: string;
  /** name of the project */
  project: string;
  /** zh-CN label of the state */
  state: string;
  /** day of receipt in the organisation's time zone, YYYY-MM-DD */
  received: string;
}

/** Raised rather than publish something that looks like personal data. */
export class PublishedPersonalDataError extends Error {
  override readonly name = 'PublishedPersonalDataError';
  constructor(id: string, field: string) {
    super(`complaint ${id}: its ${field} looks like it holds personal data and would be published on the board（公示内容疑似含个人信息）`);
  }
}

/** 001 §4.6.1: published when the category is public, unless the complaint itself says otherwise. */
export function isPublicComplaint(complaint: Pick<ComplaintData, 'public' | 'category'>, org: Pick<Org, 'categories'>): boolean {
  return complaint.public ?? org.categories.find((category) => category.key === complaint.category)?.public ?? false;
}

/** The board's list: public complaints, newest first. Throws if a published field looks like personal data. */
export function publicComplaintRows(complaints: readonly ComplaintData[], org: Pick<Org, 'categories' | 'projects' | 'timezone'>): PublicComplaintRow[] {
  const categoryLabels = new Map(org.categories.map((category) => [category.key, category.label]));
  const projectNames = new Map(org.projects.map((project) => [project.key, project.name]));
  const rows = complaints
    .filter((complaint) => isPublicComplaint(complaint, org))
    .sort((a, b) => Date.parse(b.received_at) - Date.parse(a.received_at) || (a.id < b.id ? 1 : -1))
    .map(
      (complaint): PublicComplaintRow => ({
        id: complaint.id,
        title: complaint.title,
        category: categoryLabels.get(complaint.category) ?? complaint.category,
        project: projectNames.get(complaint.project) ?? complaint.project,
        state: STATE_LABELS[stateOf(complaint)],
        received: DateTime.fromISO(complaint.received_at, { setZone: true }).setZone(zoneOf(org.timezone)).toISODate() ?? complaint.received_at.slice(0, 10),
      }),
    );
  for (const row of rows) {
    for (const [field, value] of Object.entries(row)) {
      if (findPersonalData(value).length > 0) throw new PublishedPersonalDataError(row.id, field);
    }
  }
  return rows;
}
