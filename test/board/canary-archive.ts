import { mkdir, writeFile } from 'node:fs/promises';
import { newReportFile, reportFilePath } from '../../src/archive/report-file.ts';
import { receivedMonth } from '../../src/core/complaint/paths.ts';
import { join } from 'node:path';
import { orgSchema } from '../../src/core/org/schema.ts';
import { stateOf } from '../../src/core/complaint/states.ts';
import { generateDemoArchive, type DemoComplaint } from '../../src/demo/generate.ts';
import { writeDemoArchive } from '../../src/demo/write.ts';
import { generateKeyPair } from '../../src/privacy/contact.ts';
import { isPublicComplaint } from '../../src/board/public-complaints.ts';

/**
 * A small demo-like archive with planted canaries, for the board's privacy and XSS tests (this suite's
 * build tests and the browser tests):
 * - canary personal data: a public complaint whose contact envelope (encrypted to a test identity)
 *   holds a canary name, phone and address, and — unless left out — the same canary name written
 *   into that complaint's text and location, where only the privacy gate with the identity can see it;
 * - script payloads (`<script>`, `<img onerror>`, a `javascript:` link) in two other public
 *   complaints' titles, texts, locations and public notes, and in the narrative of a published
 *   monthly report (staff Markdown, which the board renders sanitised).
 */

/** The hosting service's file history, so complaint pages carry an audit link (issue 6 §3). */
export const CANARY_HISTORY_URL = 'https://git.example.org/estate/archive/commits/main/{path}';

/** The moment the canary archive is generated as of (and the board should be built as of). */
export const CANARY_NOW = '2026-11-23T10:00:00+08:00';
/** A rare compound-surname name that appears nowhere in the demo texts. */
export const CANARY_NAME = '闻人珂瑶';
/** Only ever inside the encrypted envelope. */
export const CANARY_PHONE = '13912345670';
export const CANARY_ADDRESS = '翠苑小区99栋9单元909室';

export const SCRIPT_PAYLOAD = '<script>window.__pwned=1</script>';
export const IMAGE_PAYLOAD = '<img src=x onerror="window.__pwned=1">';
export const LINK_PAYLOAD = '[link](javascript:alert(1))';

/** Seed and size: small enough for a fast build, large enough for every page type. */
const CANARY_SEED = 20261123;
const CANARY_COUNT = 40;

export interface CanaryArchiveOptions {
  /** Write the canary name into a public complaint's text and location (the gate must then fail the build). */
  includeCanaryName: boolean;
}

export interface CanaryArchive {
  root: string;
  /** An age identity file that opens every envelope of the archive: pass as COMPLAINTS_IDENTITY_FILE. */
  identityFile: string;
  /** The public complaint whose envelope holds the canary contact (and whose text may hold the name). */
  canaryComplaintId: string;
  /** Public complaints that carry the script payloads. */
  payloadComplaintIds: string[];
  /** A complaint that is not public, to prove it appears nowhere. */
  privateComplaintId: string;
  /** The month whose report file is published with a narrative carrying the payloads. */
  narrativeMonth: string;
}

/** The narrative of the published canary report: real Markdown around the payloads. */
export const NARRATIVE_PAYLOAD = `## 本月小结\n\n本月电梯投诉较多。${SCRIPT_PAYLOAD}\n\n${IMAGE_PAYLOAD}\n\n详见${LINK_PAYLOAD}和<a href="javascript:alert(1)" onclick="window.__pwned=1">说明</a>。`;

function withPayloads(complaint: DemoComplaint): DemoComplaint {
  const events = complaint.data.events.map((event, index) =>
    index === complaint.data.events.length - 1 ? { ...event, public_note: `处理进展 ${SCRIPT_PAYLOAD} ${LINK_PAYLOAD} ${IMAGE_PAYLOAD}` } : event,
  );
  return {
    ...complaint,
    data: {
      ...complaint.data,
      title: `电梯故障${SCRIPT_PAYLOAD}${IMAGE_PAYLOAD}`,
      location: `3栋${IMAGE_PAYLOAD}${LINK_PAYLOAD}`,
      events,
    },
    body: `投诉内容 ${SCRIPT_PAYLOAD}\n\n${IMAGE_PAYLOAD} 请看 ${LINK_PAYLOAD} 和 <a href="javascript:alert(1)">这里</a>\n\n${complaint.body}`,
  };
}

function withCanaryName(complaint: DemoComplaint): DemoComplaint {
  return {
    ...complaint,
    data: { ...complaint.data, location: `${complaint.data.location ?? '楼下'}（${CANARY_NAME}家门口）` },
    body: `我是${CANARY_NAME}，${complaint.body}`,
  };
}

/** Writes the canary archive under `root` (see the module comment). */
export async function writeCanaryArchive(root: string, options: CanaryArchiveOptions): Promise<CanaryArchive> {
  const keys = await generateKeyPair();
  const demo = generateDemoArchive({ seed: CANARY_SEED, count: CANARY_COUNT, now: new Date(CANARY_NOW) });
  const orgFile = { ...demo.org, recipients: [keys.recipient], board: { ...demo.org.board, historyUrl: CANARY_HISTORY_URL } };
  const org = orgSchema.parse(orgFile);
  const publicOnes = demo.complaints.filter((complaint) => isPublicComplaint(complaint.data, org));
  const canary = publicOnes.find((complaint) => complaint.contact && stateOf(complaint.data) === 'closed');
  // The newest public complaints, so the payloads also reach the feed's latest status changes.
  const payloads = publicOnes.filter((complaint) => complaint !== canary).slice(-2);
  const hidden = demo.complaints.find((complaint) => !isPublicComplaint(complaint.data, org));
  if (!canary || payloads.length < 2 || !hidden) throw new Error('the canary archive needs a public complaint with contact, two more public ones and a private one');

  const complaints = demo.complaints.map((complaint) => {
    if (complaint === canary) {
      const planted = { ...complaint, contact: { name: CANARY_NAME, phone: CANARY_PHONE, address: CANARY_ADDRESS } };
      return options.includeCanaryName ? withCanaryName(planted) : planted;
    }
    return payloads.includes(complaint) ? withPayloads(complaint) : complaint;
  });
  await mkdir(root, { recursive: true });
  await writeDemoArchive(root, { org: orgFile, complaints }, { force: true });
  const { year, month } = receivedMonth(payloads[0]!.data.received_at, org.timezone);
  const narrativeMonth = `${year}-${month}`;
  const report = newReportFile({ periodLabel: narrativeMonth, generatedAt: CANARY_NOW, title: `${org.name} ${narrativeMonth} 报告`, markdown: '| 表 |\n| --- |' })
    .replace('status: draft', 'status: published')
    .replace('（待撰写。）', NARRATIVE_PAYLOAD);
  await mkdir(join(root, 'content/reports'), { recursive: true });
  await writeFile(join(root, reportFilePath(narrativeMonth)), report);
  const identityFile = join(root, 'canary-identity.txt');
  await writeFile(identityFile, `# canary test identity, protects nothing\n${keys.identity}\n`);
  return {
    root,
    identityFile,
    canaryComplaintId: canary.data.id,
    payloadComplaintIds: payloads.map((complaint) => complaint.data.id),
    privateComplaintId: hidden.data.id,
    narrativeMonth,
  };
}
