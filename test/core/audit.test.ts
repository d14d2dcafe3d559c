import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { auditHistory, type AuditCommit, type ComplaintVersion, type FileChange, type SignatureStatus } from '../../src/core/audit.ts';
import { ERASED_MARKER } from '../../src/core/complaint/erase.ts';
import { complaintSchema, type ComplaintData, type ComplaintInput } from '../../src/core/complaint/schema.ts';

const PATH = 'content/complaints/2026/10/2026-0001.md';
const SETTINGS = { backdateMarginHours: 24, requireSignedCommits: false, importCommits: [] as string[] };

function commit(hash: string, committedAt: string, options: { import?: boolean; signature?: SignatureStatus; parents?: string[] } = {}): AuditCommit {
  return {
    hash,
    parents: options.parents ?? [],
    author: { name: 'Clerk', email: 'clerk@example.test' },
    committedAt,
    import: options.import ?? false,
    ...(options.signature ? { signature: options.signature } : {}),
  };
}

const RECEIVED: ComplaintInput = {
  id: '2026-0001',
  title: '电梯停运',
  channel: 'phone',
  received_at: '2026-10-05T09:30:00+08:00',
  received_by: 'alice',
  project: 'sample_estate',
  category: 'equipment',
  events: [{ at: '2026-10-05T09:30:00+08:00', type: 'received', by: 'alice' }],
};

type Event = ComplaintInput['events'][number];
const at = (time: string) => `2026-10-${time}+08:00`;
const ACCEPTED: Event = { at: at('05T10:00:00'), type: 'accepted', by: 'alice' };
const ASSIGNED: Event = { at: at('05T11:00:00'), type: 'assigned', by: 'alice', department: 'engineering' };
const INVESTIGATED: Event = { at: at('05T14:00:00'), type: 'investigated', by: 'bob', note: '王先生家门口电梯' };
const REPLIED: Event = { at: at('05T16:00:00'), type: 'replied', by: 'bob' };
const CLOSED: Event = { at: at('13T16:00:00'), type: 'closed', by: 'bob' };

function data(overrides: Partial<ComplaintInput> = {}): ComplaintData {
  return complaintSchema.parse({ ...RECEIVED, department: 'engineering', ...overrides });
}

function version(complaint: ComplaintData, body = '电梯停运两天。\n', path = PATH): ComplaintVersion {
  return { path, readable: true, fields: JSON.parse(JSON.stringify(complaint)) as Record<string, unknown>, data: complaint, body };
}

function change(kind: FileChange['kind'], by: AuditCommit, before: ComplaintVersion[], after?: ComplaintVersion, previousPath?: string): FileChange {
  return { commit: by, kind, path: after?.path ?? before[0]!.path, before, ...(after ? { after } : {}), ...(previousPath ? { previousPath } : {}) };
}

function audit(changes: FileChange[], settings: Parameters<typeof auditHistory>[1] = SETTINGS) {
  const commits = [...new Map(changes.map((item) => [item.commit.hash, item.commit])).values()];
  return auditHistory({ commits, changes }, settings);
}

const kinds = (changes: FileChange[], settings = SETTINGS) => audit(changes, settings).findings.map((finding) => finding.kind);

const REGISTERED = commit('c1', '2026-10-05T10:00:00+08:00');
const FIRST = version(data());
const HANDLED = version(data({ events: [RECEIVED.events[0]!, ACCEPTED, ASSIGNED, INVESTIGATED, REPLIED] }));

describe('auditing the versions of one complaint file', () => {
  it.each<[string, () => FileChange[], string[]]>([
    ['a complaint registered half an hour after it was received', () => [change('added', REGISTERED, [], FIRST)], []],
    ['a complaint registered 30 hours after it was received (backdated)', () => [change('added', commit('c1', '2026-10-06T15:30:00+08:00'), [], FIRST)], ['backdated']],
    ['the same file added by an import commit (not judged)', () => [change('added', commit('c1', '2027-03-01T10:00:00+08:00', { import: true }), [], FIRST)], []],
    [
      'an import commit that brings in the handling records of a file imported earlier (not judged)',
      () => [change('added', commit('c1', '2027-03-01T09:00:00+08:00', { import: true }), [], FIRST), change('modified', commit('c2', '2027-03-01T10:00:00+08:00', { import: true }), [FIRST], HANDLED)],
      [],
    ],
    [
      'the same late handling records in an ordinary commit',
      () => [change('added', commit('c1', '2027-03-01T09:00:00+08:00', { import: true }), [], FIRST), change('modified', commit('c2', '2027-03-01T10:00:00+08:00'), [FIRST], HANDLED)],
      ['backdated', 'backdated', 'backdated', 'backdated'],
    ],
    [
      'legal handling recorded the same day',
      () => [change('added', REGISTERED, [], FIRST), change('modified', commit('c2', '2026-10-05T17:00:00+08:00'), [FIRST], HANDLED)],
      [],
    ],
    [
      'an event that cannot follow the previous state',
      () => [change('added', REGISTERED, [], FIRST), change('modified', commit('c2', '2026-10-05T17:00:00+08:00'), [FIRST], version(data({ events: [RECEIVED.events[0]!, REPLIED] })))],
      ['illegal_transition'],
    ],
    [
      'the last event removed',
      () => [change('modified', commit('c2', '2026-10-05T17:00:00+08:00'), [HANDLED], version(data({ events: [RECEIVED.events[0]!, ACCEPTED, ASSIGNED, INVESTIGATED] })))],
      ['events_rewritten'],
    ],
    [
      'an earlier note rewritten',
      () => [
        change('modified', commit('c2', '2026-10-05T17:00:00+08:00'), [HANDLED], version(data({ events: [RECEIVED.events[0]!, ACCEPTED, ASSIGNED, { ...INVESTIGATED, note: '另一说法' }, REPLIED] }))),
      ],
      ['events_rewritten'],
    ],
    [
      'received_at moved to another time',
      () => [change('modified', commit('c2', '2026-10-05T17:00:00+08:00'), [FIRST], version(data({ received_at: '2026-10-05T08:30:00+08:00' })))],
      ['immutable_field_changed'],
    ],
    [
      'received_at written another way for the same instant',
      () => [change('modified', commit('c2', '2026-10-05T17:00:00+08:00'), [FIRST], version(data({ received_at: '2026-10-05T01:30:00Z' })))],
      [],
    ],
    [
      'the channel and the clerk changed',
      () => [change('modified', commit('c2', '2026-10-05T17:00:00+08:00'), [FIRST], version(data({ channel: 'visit', received_by: 'carol' })))],
      ['immutable_field_changed', 'immutable_field_changed'],
    ],
    ['the file deleted', () => [change('deleted', commit('c2', '2026-10-05T17:00:00+08:00'), [FIRST])], ['deleted']],
    [
      'the file renamed',
      () => [change('renamed', commit('c2', '2026-10-05T17:00:00+08:00'), [FIRST], version(data(), undefined, 'content/complaints/2026/10/2026-0002.md'), PATH)],
      ['renamed'],
    ],
    ['a version that cannot be read', () => [change('modified', commit('c2', '2026-10-05T17:00:00+08:00'), [FIRST], { path: PATH, readable: false })], ['unreadable_version']],
  ])('%s', (_name, changes, expected) => {
    expect(kinds(changes())).toEqual(expected);
  });
});

describe('closed complaints', () => {
  const closedData = data({
    events: [RECEIVED.events[0]!, ACCEPTED, ASSIGNED, INVESTIGATED, REPLIED, CLOSED],
    reply: { at: REPLIED.at, by: 'bob', method: 'phone', summary: '已修复' },
    no_visit: { reason: 'on_the_spot' },
    closure: { at: CLOSED.at, basis: 'no_repeat_7d' },
    corrective_action: '更换控制板',
    lessons: '加强巡检',
  });
  const closed = version(closedData);

  it('reports a closed complaint put back into handling by removing its closing, twice: the rewrite and the silent reopening', () => {
    const reopenedSilently = version({ ...closedData, events: closedData.events.slice(0, -1), closure: undefined } as ComplaintData);
    const report = audit([change('modified', commit('c3', '2026-10-13T17:00:00+08:00'), [closed], reopenedSilently)]);
    expect(report.findings.map((finding) => finding.kind)).toEqual(['events_rewritten', 'reopened_without_event']);
    expect(report.findings[1]!.message).toContain('已关闭 → 已答复');
  });

  it('accepts a closed complaint reopened with a "reopened" event', () => {
    const reopened = version({ ...closedData, events: [...closedData.events, { at: at('13T16:30:00'), type: 'reopened', by: 'bob' }] });
    expect(kinds([change('modified', commit('c3', '2026-10-13T17:00:00+08:00'), [closed], reopened)])).toEqual([]);
  });

  it('accepts an erasure that replaces personal data in an earlier note with the marker and records an erased event', () => {
    const erasedEvents = closedData.events.map((event) => (event.type === 'investigated' ? { ...event, note: `${ERASED_MARKER}家门口电梯` } : event));
    const erased = version({ ...closedData, events: [...erasedEvents, { at: at('20T09:00:00'), type: 'erased', by: 'dpo', note: '应投诉人请求删除' }] });
    expect(kinds([change('modified', commit('c4', '2026-10-20T09:10:00+08:00'), [closed], erased)])).toEqual([]);
  });

  it('does not accept the marker as cover for a rewrite that is not an erasure (the rewritten event also counts as recorded late)', () => {
    const rewritten = closedData.events.map((event) => (event.type === 'investigated' ? { ...event, note: `${ERASED_MARKER}楼上漏水` } : event));
    const erased = version({ ...closedData, events: [...rewritten, { at: at('20T09:00:00'), type: 'erased', by: 'dpo', note: '删除' }] });
    expect(kinds([change('modified', commit('c4', '2026-10-20T09:10:00+08:00'), [closed], erased)])).toEqual(['events_rewritten', 'backdated']);
  });
});

describe('merges', () => {
  const accepted = version(data({ events: [RECEIVED.events[0]!, ACCEPTED] }));
  const withLocation = version(data({ location: '3幢', events: [RECEIVED.events[0]!] }));
  const merged = version(data({ location: '3幢', events: [RECEIVED.events[0]!, ACCEPTED] }));

  it('does not judge an event again when a merge days later brings it in from the branch that recorded it', () => {
    const mergeCommit = commit('m1', '2026-10-09T10:00:00+08:00', { parents: ['c2', 'c3'] });
    expect(kinds([change('modified', mergeCommit, [withLocation, accepted], merged)])).toEqual([]);
  });

  it('judges an event the merge itself adds', () => {
    const mergeCommit = commit('m1', '2026-10-09T10:00:00+08:00', { parents: ['c2', 'c3'] });
    const sneaked = version(data({ location: '3幢', events: [RECEIVED.events[0]!, ACCEPTED, ASSIGNED] }));
    expect(kinds([change('modified', mergeCommit, [withLocation, accepted], sneaked)])).toEqual(['backdated']);
  });

  it('reports an immutable field only when the merge differs from every parent', () => {
    const mergeCommit = commit('m1', '2026-10-05T12:00:00+08:00', { parents: ['c2', 'c3'] });
    const otherChannel = version(data({ channel: 'visit' }));
    expect(kinds([change('modified', mergeCommit, [FIRST, otherChannel], otherChannel)])).toEqual([]);
    expect(kinds([change('modified', mergeCommit, [FIRST, FIRST], otherChannel)])).toEqual(['immutable_field_changed']);
  });
});

describe('signatures', () => {
  const required = { ...SETTINGS, requireSignedCommits: true };

  it.each<[SignatureStatus | undefined, string[]]>([
    ['G', []],
    ['U', []],
    ['E', []],
    ['N', ['unsigned_commit']],
    [undefined, ['unsigned_commit']],
    ['B', ['bad_signature']],
    ['R', ['bad_signature']],
  ])('a commit whose signature status is %s', (signature, expected) => {
    const signed = commit('c1', '2026-10-05T10:00:00+08:00', signature ? { signature } : {});
    expect(kinds([change('added', signed, [], FIRST)], required)).toEqual(expected);
  });

  it('does not look at signatures when org.yaml does not require them', () => {
    expect(kinds([change('added', commit('c1', '2026-10-05T10:00:00+08:00', { signature: 'N' }), [], FIRST)])).toEqual([]);
  });
});

describe('the trail and the imports', () => {
  it('records who changed which fields, the state before and after, and the events added', () => {
    const report = audit([change('added', REGISTERED, [], FIRST), change('modified', commit('c2', '2026-10-05T17:00:00+08:00'), [FIRST], HANDLED)]);
    expect(report.complaints).toHaveLength(1);
    const [added, handled] = report.complaints[0]!.trail;
    expect(added).toMatchObject({ commit: 'c1', change: 'added', stateBefore: null, stateAfter: 'received', eventsAdded: [{ type: 'received' }] });
    expect(handled).toMatchObject({
      commit: 'c2',
      author: { name: 'Clerk', email: 'clerk@example.test' },
      committedAt: '2026-10-05T17:00:00+08:00',
      change: 'modified',
      fields: ['events'],
      stateBefore: 'received',
      stateAfter: 'replied',
      eventsAdded: [
        { type: 'accepted', at: ACCEPTED.at, by: 'alice' },
        { type: 'assigned', at: ASSIGNED.at, by: 'alice' },
        { type: 'investigated', at: INVESTIGATED.at, by: 'bob' },
        { type: 'replied', at: REPLIED.at, by: 'bob' },
      ],
    });
  });

  it('audits a commit org.yaml declares as an import like one with the trailer', () => {
    const late = commit('9a1a46e4c0ffee', '2027-03-01T10:00:00+08:00');
    expect(kinds([change('added', late, [], FIRST)])).toEqual(['backdated']);
    const report = audit([change('added', late, [], FIRST)], { ...SETTINGS, importCommits: ['9a1a46e'] });
    expect(report.findings).toEqual([]);
    expect(report.imports.map((record) => [record.commit, record.complaints])).toEqual([['9a1a46e4c0ffee', ['2026-0001']]]);
  });

  it('lists import commits with the complaints they added', () => {
    const imported = commit('i1', '2027-03-01T10:00:00+08:00', { import: true });
    const other = version(data({ id: '2026-0002' }), undefined, 'content/complaints/2026/10/2026-0002.md');
    const report = audit([change('added', imported, [], FIRST), change('added', imported, [], other)]);
    expect(report.imports).toEqual([{ commit: 'i1', committedAt: '2027-03-01T10:00:00+08:00', author: { name: 'Clerk', email: 'clerk@example.test' }, complaints: ['2026-0001', '2026-0002'] }]);
    expect(report.findings).toEqual([]);
  });

  it('reports backdating exactly when the delay exceeds the margin (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 * 60 }), fc.integer({ min: 0, max: 72 }), (minutesLate, margin) => {
        const recordedAt = new Date(Date.parse(RECEIVED.received_at) + minutesLate * 60_000).toISOString();
        const report = audit([change('added', commit('c1', recordedAt), [], FIRST)], { backdateMarginHours: margin, requireSignedCommits: false });
        expect(report.findings.some((finding) => finding.kind === 'backdated')).toBe(minutesLate > margin * 60);
      }),
    );
  });
});
