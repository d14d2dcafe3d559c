import { DateTime } from 'luxon';
import { FINDING_LABELS, type AuditFinding, type ImportRecord, type TrailEntry } from '../core/audit.ts';
import { FIELD_LABELS } from '../core/complaint/labels.ts';
import { STATE_LABELS, type State } from '../core/complaint/states.ts';
import { EVENT_LABELS } from '../core/org/vocabulary.ts';
import { zoneOf } from '../core/time-zone.ts';

/** How `audit` and `history` print the trail and the findings for people (zh-CN first, English after). */

/** Commits are shown by their first eight hex digits, as in `git log --abbrev=8`. */
const SHORT_HASH_LENGTH = 8;

export function shortHash(hash: string): string {
  return hash.slice(0, SHORT_HASH_LENGTH);
}

/** An ISO time as `2026-10-05 09:30` in the organisation's time zone. */
export function localTime(iso: string, timezone: string): string {
  const time = DateTime.fromISO(iso, { setZone: true });
  return time.isValid ? time.setZone(zoneOf(timezone)).toFormat('yyyy-MM-dd HH:mm') : iso;
}

const CHANGE_LABELS: Record<TrailEntry['change'], string> = {
  added: '新建投诉文件 added',
  modified: '修改 modified',
  deleted: '删除投诉文件 deleted',
  renamed: '改名/移动 renamed',
};

function stateText(state: State | null): string {
  return state === null ? '—' : `${STATE_LABELS[state]}（${state}）`;
}

/** One trail entry as a few indented lines. */
export function trailEntryLines(entry: TrailEntry, timezone: string): string[] {
  const signature = entry.signature ? `  签名 signature ${entry.signature}` : '';
  const lines = [
    `${localTime(entry.committedAt, timezone)}  提交 ${shortHash(entry.commit)}  ${entry.author.name} <${entry.author.email}>${entry.import ? '  〔导入 import〕' : ''}${signature}`,
    `  ${CHANGE_LABELS[entry.change]}${entry.previousPath ? `：${entry.previousPath} → ${entry.path}` : ''}；状态 state：${stateText(entry.stateBefore)} → ${stateText(entry.stateAfter)}`,
  ];
  if (entry.fields.length > 0) {
    const labelled = entry.fields.map((field) => (field === 'body' ? '投诉内容' : (FIELD_LABELS[field] ?? field)));
    lines.push(`  字段 fields：${entry.fields.join(', ')}（${labelled.join('、')}）`);
  }
  for (const event of entry.eventsAdded) lines.push(`  + ${EVENT_LABELS[event.type]}（${event.type}）${localTime(event.at, timezone)} 经办 ${event.by}`);
  return lines;
}

/** One finding on one line: where, which commit, who, what. */
export function findingLine(finding: AuditFinding, timezone: string): string {
  const where = finding.path ?? `commit ${shortHash(finding.commit)}`;
  return `${where} @ ${shortHash(finding.commit)} ${localTime(finding.committedAt, timezone)} ${finding.author.name}: [${finding.kind} ${FINDING_LABELS[finding.kind]}] ${finding.message}`;
}

export function importLine(record: ImportRecord, timezone: string): string {
  return `${shortHash(record.commit)} ${localTime(record.committedAt, timezone)} ${record.author.name} <${record.author.email}>: ${record.complaints.length} complaints imported（导入 ${record.complaints.length} 件投诉）`;
}
