import type { Org } from '../core/org/schema.ts';
import type { PresetName } from '../core/org/vocabulary.ts';
import type { ComplaintPage } from './complaint-page.ts';

/**
 * A read-only Open311 GeoReport v2-style view of the board (SPEC §7): `services.json` lists the
 * categories, `requests.json` the public complaints. A request carries the title as its description
 * (never the complaint text), the project and location as its address, and the latest public note as
 * its status notes — the fields the complaint page publishes, nothing more. Private complaints are
 * not requests here. https://wiki.open311.org/GeoReport_v2
 */

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: false;
  type: 'realtime';
  keywords: string;
  group: string;
}

export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string;
  requested_datetime: string;
  updated_datetime: string;
  address: string;
}

/** The group every service of a preset belongs to. */
const SERVICE_GROUPS: Record<PresetName, string> = {
  property: '物业管理服务',
  campus: '后勤服务',
  'public-service': '政务服务',
};

/** Every category of the organisation as a service. */
export function open311Services(org: Pick<Org, 'categories' | 'preset'>): Open311Service[] {
  return org.categories.map((category) => ({
    service_code: category.key,
    service_name: category.label,
    description: category.description ?? `${category.label}类投诉`,
    metadata: false,
    type: 'realtime',
    keywords: [category.label, category.key, '投诉'].join(','),
    group: SERVICE_GROUPS[org.preset],
  }));
}

/** A public complaint as a service request. */
export function open311Request(page: ComplaintPage): Open311Request {
  return {
    service_request_id: page.id,
    status: page.open ? 'open' : 'closed',
    status_notes: page.latestPublicNote ?? (page.duplicateOf ? '与另一投诉合并处理' : null),
    service_name: page.category,
    service_code: page.categoryKey,
    description: page.title,
    requested_datetime: page.receivedAt,
    updated_datetime: page.updatedAt,
    address: page.location ? `${page.project} ${page.location}` : page.project,
  };
}

/**
 * JSON for a file served to any client: `<`, `>` and `&` escaped as \u escapes, so that a title such
 * as `<script>` stays inert even if a browser is tricked into reading the file as HTML.
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value, null, 1).replace(/[<>&\u2028\u2029]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
