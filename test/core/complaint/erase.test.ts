import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eraseComplaint, ErasedTextTooShortError, ERASED_MARKER } from '../../../src/core/complaint/erase.ts';
import { complaintSchema } from '../../../src/core/complaint/schema.ts';
import { stateOf } from '../../../src/core/complaint/states.ts';

const ENVELOPE = `-----BEGIN AGE ENCRYPTED FILE-----\n${btoa('age-encryption.org/v1\n-> X25519 abc\nxyz')}\n-----END AGE ENCRYPTED FILE-----`;

const complaint = () => ({
  data: complaintSchema.parse({
    id: '2026-0001',
    title: '王小明家楼上漏水',
    channel: 'phone',
    received_at: '2026-10-05T09:30:00+08:00',
    received_by: 'alice',
    project: 'sample_estate',
    location: '3幢1单元302室',
    contact: ENVELOPE,
    category: 'housing',
    department: 'engineering',
    events: [
      { at: '2026-10-05T09:30:00+08:00', type: 'received', by: 'alice' },
      { at: '2026-10-05T10:00:00+08:00', type: 'accepted', by: 'alice', note: '王小明来电，王小明很着急' },
    ],
  }),
  body: '王小明反映楼上漏水，住3幢1单元302室。\n',
});

const request = { at: '2026-11-01T10:00:00+08:00', by: 'dpo-he', note: '应投诉人删除请求', removeContact: true };

describe('erasing personal data from a complaint', () => {
  it('removes the envelope, replaces every occurrence in the body and free-text fields, and appends an erased event', () => {
    const result = eraseComplaint(complaint(), { ...request, texts: ['3幢1单元302室', '王小明'] });

    expect(result.contactRemoved).toBe(true);
    expect(result.data.contact).toBeUndefined();
    expect(result.body).toBe(`${ERASED_MARKER}反映楼上漏水，住${ERASED_MARKER}。\n`);
    expect(result.data.title).toBe(`${ERASED_MARKER}家楼上漏水`);
    expect(result.data.location).toBe(ERASED_MARKER);
    expect(result.data.events[1]!.note).toBe(`${ERASED_MARKER}来电，${ERASED_MARKER}很着急`);
    expect(result.data.events.at(-1)).toEqual({ at: request.at, type: 'erased', by: 'dpo-he', note: '应投诉人删除请求' });
    expect(result.replaced).toEqual([
      { text: '3幢1单元302室', count: 2 },
      { text: '王小明', count: 4 },
    ]);
    expect(result.notFound).toEqual([]);
  });

  it('replaces a full name before a part of it, whatever order they are given in', () => {
    const result = eraseComplaint(complaint(), { ...request, texts: ['小明', '王小明'] });
    expect(result.body.startsWith(`${ERASED_MARKER}反映`)).toBe(true);
    expect(result.replaced).toEqual([
      { text: '小明', count: 0 },
      { text: '王小明', count: 4 },
    ]);
    expect(result.notFound).toEqual(['小明']);
  });

  it('keeps identity, dates, classification and state, and leaves the original untouched', () => {
    const original = complaint();
    const snapshot = structuredClone(original);
    const result = eraseComplaint(original, { ...request, texts: ['王小明'] });
    for (const field of ['id', 'received_at', 'channel', 'received_by', 'project', 'category', 'department', 'urgency', 'complainants'] as const) expect(result.data[field]).toEqual(original.data[field]);
    expect(stateOf(result.data)).toBe(stateOf(original.data));
    expect(original).toEqual(snapshot);
    expect(complaintSchema.safeParse(result.data).success).toBe(true);
  });

  it('refuses a text of one character', () => {
    expect(() => eraseComplaint(complaint(), { ...request, texts: ['王'] })).toThrow(ErasedTextTooShortError);
  });

  it('never leaves an erased text behind (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 2, maxLength: 6 }).filter((text) => [...text.trim()].length >= 2 && ![...text].some((character) => ERASED_MARKER.includes(character))), fc.string(), fc.string(), (secret, before, after) => {
        const base = complaint();
        const result = eraseComplaint({ ...base, body: `${before}${secret}${after}` }, { ...request, texts: [secret] });
        expect(result.body.includes(secret.trim())).toBe(false);
      }),
    );
  });
});
