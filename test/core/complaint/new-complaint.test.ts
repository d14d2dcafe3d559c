import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseOrg } from '../../../src/archive/archive.ts';
import {
  checkDraft,
  draftComplaint,
  InvalidInstantError,
  resolveInstant,
  routeDepartment,
  withId,
  yearOfReceipt,
  type RegistrationInput,
} from '../../../src/core/complaint/new-complaint.ts';
import { checkArchive } from '../../../src/core/complaint/check.ts';
import { formatComplaintId } from '../../../src/core/complaint/paths.ts';
import { orgTemplate } from '../../../src/core/org/template.ts';
import type { Org } from '../../../src/core/org/schema.ts';

function propertyOrg(): Org {
  const { org, problems } = parseOrg(orgTemplate('property'));
  if (!org) throw new Error(problems.map((problem) => problem.message).join('\n'));
  return org;
}

const org = propertyOrg();
const now = new Date('2026-10-05T01:30:00Z'); // 09:30 in Shanghai

const phoneCall: RegistrationInput = {
  title: '3号楼电梯停运',
  channel: 'phone',
  receivedBy: 'alice',
  project: 'sample_estate',
  category: 'equipment',
  body: '早上起电梯一直停在 5 楼。',
};

describe('routing a new complaint', () => {
  it.each([
    ['equipment', 'engineering'],
    ['housing', 'engineering'],
    ['environment', 'customer_service'],
    ['neighbour_dispute', 'customer_service'],
  ])('a %s complaint goes to %s', (category, department) => {
    expect(routeDepartment(org, category)).toBe(department);
    expect(draftComplaint({ ...phoneCall, category }, { org, id: '2026-0001', now }).data.department).toBe(department);
  });

  it('has no department when no department takes the category', () => {
    const narrow = { ...org, departments: org.departments.slice(0, 1) };
    expect(draftComplaint({ ...phoneCall, category: 'environment' }, { org: narrow, id: '2026-0001', now }).data).not.toHaveProperty('department');
  });

  it('takes the department given at registration over the routing', () => {
    expect(draftComplaint({ ...phoneCall, department: 'customer_service' }, { org, id: '2026-0001', now }).data.department).toBe('customer_service');
  });

  it('assigns nobody at registration', () => {
    expect(draftComplaint(phoneCall, { org, id: '2026-0001', now }).data.assignees).toEqual([]);
  });
});

describe('drafting a received complaint', () => {
  it('is received now, in the organisation’s time zone, by the clerk, with one received event', () => {
    const { data, body } = draftComplaint(phoneCall, { org, id: '2026-0001', now });
    expect(data).toMatchObject({
      id: '2026-0001',
      received_at: '2026-10-05T09:30:00+08:00',
      received_by: 'alice',
      complainants: 1,
      anonymous: false,
      urgency: 'general',
      events: [{ at: '2026-10-05T09:30:00+08:00', type: 'received', by: 'alice' }],
    });
    expect(body).toBe('早上起电梯一直停在 5 楼。\n');
  });

  it.each([
    ['2026-10-05T09:30:00+08:00', '2026-10-05T09:30:00+08:00'],
    ['2026-10-05T01:30:00Z', '2026-10-05T09:30:00+08:00'],
    ['2026-10-05T09:30', '2026-10-05T09:30:00+08:00'],
    ['2026-10-05 09:30', '2026-10-05T09:30:00+08:00'],
    ['2026-10-05', '2026-10-05T00:00:00+08:00'],
  ])('reads a receipt time of %s as %s', (given, expected) => {
    expect(draftComplaint({ ...phoneCall, receivedAt: given }, { org, id: '2026-0001', now }).data.received_at).toBe(expected);
  });

  it('records the forwarding office and reads a bare deadline date as the end of that day', () => {
    const { data } = draftComplaint({ ...phoneCall, channel: 'forwarded', forwardedBy: '区住建局', deadline: '2026-10-20' }, { org, id: '2026-0001', now });
    expect(data.source).toEqual({ office: '区住建局', deadline: '2026-10-20T23:59:59+08:00' });
  });

  it('keeps the reported category only when it differs from the root cause', () => {
    expect(draftComplaint({ ...phoneCall, reportedCategory: 'equipment' }, { org, id: '2026-0001', now }).data).not.toHaveProperty('reported_category');
    expect(draftComplaint({ ...phoneCall, reportedCategory: 'housing' }, { org, id: '2026-0001', now }).data.reported_category).toBe('housing');
  });

  it('refuses a time it cannot read', () => {
    expect(() => resolveInstant('next Tuesday', 'Asia/Shanghai', { field: 'received_at' })).toThrow(InvalidInstantError);
  });
});

describe('checking a draft before it is written', () => {
  it('passes a complete registration and places it by its month of receipt', () => {
    const { complaint, problems } = checkDraft(draftComplaint(phoneCall, { org, id: '2026-0007', now }), org);
    expect(problems).toEqual([]);
    expect(complaint?.path).toBe('content/complaints/2026/10/2026-0007.md');
  });

  it.each([
    ['title', { title: '13812345678 家漏水' }],
    ['body', { body: '请回电 138 1234 5678' }],
    ['location', { location: '身份证 11010519491231002X 的住户' }],
  ])('refuses plaintext personal data in the %s', (field, change) => {
    const { complaint, problems, personalData } = checkDraft(draftComplaint({ ...phoneCall, ...change }, { org, id: '2026-0001', now }), org);
    expect(complaint).toBeUndefined();
    expect(personalData.map((problem) => problem.path[0])).toEqual([field]);
    expect(problems).toEqual(personalData);
  });

  it('refuses a category the organisation does not have', () => {
    const { problems } = checkDraft(draftComplaint({ ...phoneCall, category: 'catering' }, { org, id: '2026-0001', now }), org);
    expect(problems.map((problem) => problem.message)).toEqual([expect.stringContaining('unknown category "catering"')]);
  });

  it('refuses a staff handle that is not one', () => {
    const { problems } = checkDraft(draftComplaint({ ...phoneCall, receivedBy: '王 师傅' }, { org, id: '2026-0001', now }), org);
    expect(problems.some((problem) => problem.path[0] === 'received_by')).toBe(true);
  });

  it('gives a file that the archive check accepts at every receipt time, under the id of its year of receipt', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 99_999 }),
        (received, sequence) => {
          const receivedAt = received.toISOString();
          const id = formatComplaintId(yearOfReceipt(receivedAt, org.timezone), sequence);
          const { complaint, problems } = checkDraft(draftComplaint({ ...phoneCall, receivedAt }, { org, id, now }), org);
          expect(problems).toEqual([]);
          expect(checkArchive([{ path: complaint!.path, data: complaint!.data }], org)).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('moves the complaint to the path of a new id when renumbered', () => {
    const { complaint } = checkDraft(draftComplaint(phoneCall, { org, id: '2026-0007', now }), org);
    const renumbered = withId(complaint!, '2026-0008', org.timezone);
    expect(renumbered.data.id).toBe('2026-0008');
    expect(renumbered.path).toBe('content/complaints/2026/10/2026-0008.md');
    expect(renumbered.data.title).toBe(complaint!.data.title);
  });
});
