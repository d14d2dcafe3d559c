import { DateTime } from 'luxon';
import type { ComplaintData } from '../core/complaint/schema.ts';
import { STATE_LABELS } from '../core/complaint/states.ts';
import type { Org } from '../core/org/schema.ts';
import { NATURE_LABELS, NATURES, SEVERITY_LABELS, type Nature } from '../core/org/vocabulary.ts';
import type { Exclusion } from '../core/statistics/counting.ts';
import { denominatorField } from '../core/statistics/rates.ts';
import { SIZE_BAND_AREA, type Totals } from '../core/statistics/report.ts';
import type { ReportDocument } from './commands/report.ts';
import { terminalSafe } from './commands/show.ts';
import { table, wrappedTable } from './output.ts';
import { zoneOf } from '../core/time-zone.ts';

/**
 * The report of SPEC §6 laid out as the guideline's tables (001 §4.2.3②: 物业管理客户投诉分类统计表,
 * 本期客户投诉数据概要 and the two 简述), once as blocks, then rendered for a terminal or as the
 * Markdown of a report file. Texts from complaint files are untrusted: the terminal gets them with
 * control characters shown as escapes, Markdown gets them escaped so they cannot become markup.
 * Nothing here reads contact data, complaint texts or anything else personal.
 */

type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'subheading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  /** `wrap[column]`: the column's width in a terminal, beyond which its cells wrap. */
  | { kind: 'table'; headers: string[]; rows: string[][]; wrap?: (number | undefined)[] };

const NOT_APPLICABLE = '不适用';

// 001 §4.2.3 备注1: residential rates divide by households, shown per hundred households (a percentage);
// office and other rates divide by m², shown per 10,000 m², so that the figures are readable.
const PER_HUNDRED_HOUSEHOLDS = 100;
const PER_TEN_THOUSAND_SQUARE_METRES = 10_000;

const PROJECT_TYPE_LABELS: Record<Org['projects'][number]['type'], string> = { residential: '住宅', office: '写字楼', other: '其他物业' };

const EXCLUSION_LABELS: Record<Exclusion, string> = { rejected: '不予受理', withdrawn: '撤回', duplicate: '重复投诉' };

/** Terminal column widths at which long texts wrap, so a table stays within about 100 columns. */
const WRAP = { title: 24, measures: 34, progress: 24 } as const;

const CHINESE_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** The short mark of a nature (人, 机, 料, 法, 环): the part of its label before the explanation. */
function natureMark(nature: Nature | null): string {
  return nature === null ? '未分类' : NATURE_LABELS[nature].split('（')[0]!;
}

/** Text without its closing full stop, to be joined with others by "；". */
function sentence(text: string): string {
  return text.trim().replace(/[。；;.\s]+$/u, '');
}

function percent(value: number | null): string {
  return value === null ? NOT_APPLICABLE : `${(value * 100).toFixed(1)}%`;
}

/** A complaint rate in the unit its denominator calls for (see the constants above). */
function complaintRate(value: number | null, field: 'households' | 'area' | undefined): string {
  if (value === null || field === undefined) return NOT_APPLICABLE;
  return field === 'households' ? `${(value * PER_HUNDRED_HOUSEHOLDS).toFixed(2)}%` : `${(value * PER_TEN_THOUSAND_SQUARE_METRES).toFixed(2)}件/万㎡`;
}

/** The zh-CN part of a bilingual note ("English（中文）"), which is what a zh-CN report shows. */
function chinesePart(note: string): string {
  return /（([^（）]+)）$/.exec(note)?.[1] ?? note;
}

function localDate(iso: string, org: Org): string {
  return DateTime.fromISO(iso, { setZone: true }).setZone(zoneOf(org.timezone)).toFormat('yyyy-MM-dd');
}

function localTime(iso: string, org: Org): string {
  return DateTime.fromISO(iso, { setZone: true }).setZone(zoneOf(org.timezone)).toFormat('yyyy-MM-dd HH:mm');
}

/** "2026年10月", "2026年第4季度", "2026年度". */
export function periodName(document: Pick<ReportDocument, 'kind' | 'label'>): string {
  const [year, part] = document.label.split('-');
  if (document.kind === 'month') return `${year}年${Number(part)}月`;
  if (document.kind === 'quarter') return `${year}年第${part!.slice(1)}季度`;
  return `${year}年度`;
}

/** The heading of a report, e.g. "示例物业服务中心 2026年10月客户投诉统计分析报告". */
export function reportTitle(document: ReportDocument, org: Org): string {
  const scope = document.scope === null ? '' : ` ${org.projects.find((project) => project.key === document.scope)?.name ?? document.scope}`;
  return `${org.name}${scope} ${periodName(document)}客户投诉统计分析报告`;
}

function numbered(index: number, text: string): string {
  return `${CHINESE_NUMERALS[index] ?? String(index + 1)}、${text}`;
}

/** The blocks of the report, in the guideline's order. */
function reportBlocks(document: ReportDocument, org: Org, complaints: readonly ComplaintData[]): Block[] {
  const blocks: Block[] = [];
  const projectName = (key: string) => org.projects.find((project) => project.key === key)?.name ?? key;
  const categoryLabel = (key: string) => org.categories.find((category) => category.key === key)?.label ?? key;
  const projects = org.projects.filter((project) => Object.hasOwn(document.projects, project.key));
  let section = 0;
  const heading = (text: string) => blocks.push({ kind: 'heading', text: numbered(section++, text) });

  const periodEnd = DateTime.fromISO(document.period.end, { setZone: true }).setZone(zoneOf(org.timezone)).minus({ days: 1 });
  blocks.push({
    kind: 'paragraph',
    text: `统计期间：${localDate(document.period.start, org)} 至 ${periodEnd.toFormat('yyyy-MM-dd')}（${org.timezone}）；累计数自统计年度开始日 ${localDate(document.yearStart, org)} 起算。`,
  });
  if (Date.parse(document.asOf) < Date.parse(document.period.end))
    blocks.push({ kind: 'paragraph', text: `本期尚未结束，数据截至 ${localTime(document.asOf, org)}。` });
  if (document.scope !== null) blocks.push({ kind: 'paragraph', text: `本报告仅统计${projectName(document.scope)}（${document.scope}）的投诉。` });

  // 一、物业管理客户投诉分类统计表
  heading('物业管理客户投诉分类统计表');
  const natureColumns = [...NATURES, null] as const;
  const natureCount = (items: { nature: Nature | null }[], nature: Nature | null) => items.filter((item) => item.nature === nature).length;
  const allItems = document.classification.flatMap((row) => row.items);
  blocks.push({
    kind: 'table',
    headers: ['投诉分类', '件数', ...natureColumns.map(natureMark)],
    rows: [
      ...document.classification.map((row) => [categoryLabel(row.category), String(row.count), ...natureColumns.map((nature) => String(natureCount(row.items, nature)))]),
      ['合计', String(allItems.length), ...natureColumns.map((nature) => String(natureCount(allItems, nature)))],
    ],
  });
  blocks.push({ kind: 'paragraph', text: `性质：${NATURES.map((nature) => NATURE_LABELS[nature]).join('、')}。` });
  for (const row of document.classification) {
    if (row.items.length === 0) continue;
    blocks.push({ kind: 'subheading', text: `${categoryLabel(row.category)}（${row.count} 件）` });
    blocks.push({
      kind: 'table',
      headers: ['编号', '项目名称', '投诉内容', '性质', '纠正措施及经验教训', '是否关闭'],
      wrap: [undefined, undefined, WRAP.title, undefined, WRAP.measures, undefined],
      rows: row.items.map((item) => {
        const folded = item.duplicates.length > 0 ? `，重复投诉 ${item.duplicates.length} 次：${item.duplicates.join('、')}` : '';
        const people = item.complainants > 1 || folded ? `（投诉人数 ${item.complainants}${folded}）` : '';
        const measures = [item.correctiveAction ? `纠正措施：${sentence(item.correctiveAction)}` : '', item.lessons ? `经验教训：${sentence(item.lessons)}` : ''].filter(Boolean).join('；');
        return [item.id, projectName(item.project), `${item.title}${people}`, natureMark(item.nature), measures ? `${measures}。` : '（未填写）', item.closed ? '是' : '否'];
      }),
    });
  }

  // 二、本期客户投诉数据概要
  heading('本期客户投诉数据概要');
  const scopes: { name: string; type: string; totals: Totals; field: 'households' | 'area' | undefined }[] = projects.map((project) => ({
    name: projectName(project.key),
    type: PROJECT_TYPE_LABELS[project.type],
    totals: document.projects[project.key]!,
    field: denominatorField(project),
  }));
  const fields = new Set(projects.map(denominatorField));
  scopes.push({ name: '合计', type: '', totals: document.total, field: fields.size === 1 ? [...fields][0] : undefined });
  blocks.push({
    kind: 'table',
    headers: ['项目', '类型', '本期投诉总数', '累计投诉总数', '本期新关闭', '累计关闭'],
    rows: scopes.map((scope) => [scope.name, scope.type, String(scope.totals.periodCount), String(scope.totals.cumulativeCount), String(scope.totals.periodClosed), String(scope.totals.cumulativeClosed)]),
  });
  blocks.push({
    kind: 'table',
    headers: ['项目', '本期投诉率', '累计投诉率', '本期投诉处理率', '累计投诉处理率'],
    rows: scopes.map((scope) => [
      scope.name,
      complaintRate(scope.totals.periodRate, scope.field),
      complaintRate(scope.totals.cumulativeRate, scope.field),
      percent(scope.totals.periodHandlingRate),
      percent(scope.totals.cumulativeHandlingRate),
    ]),
  });
  const explanations = [
    '本期投诉总数：本期受理并予以统计的投诉，不包括上期未关闭投诉；累计投诉总数：统计年度开始至本期末受理的投诉，加上年初仍未关闭且未核销的投诉（包括未关闭投诉）。',
    '投诉率：住宅类 = 投诉总数 ÷ 期间平均已入住户数，以百分比表示（每百户件数）；写字楼及其他物业 = 投诉总数 ÷ 期间平均在管建筑面积，以“件/万㎡”表示（每万平方米件数）。',
    '本期投诉处理率 = 本期新关闭的投诉数 ÷ 本期投诉总数 × 100%（新关闭的投诉包括上期遗留的，因此可能超过 100%）；累计投诉处理率 = 本期止累计关闭的投诉数 ÷ 本期止累计投诉总数 × 100%。',
    '不予受理、撤回及重复投诉不予统计，另列于下文。',
    ...document.notes.map((note) => `${NOT_APPLICABLE}：${chinesePart(note)}。`),
  ];
  const projectRows = scopes.slice(0, -1).map((scope) => scope.totals);
  if (projectRows.some((totals) => totals.periodHandlingRate === null || totals.cumulativeHandlingRate === null || totals.periodRate === null))
    explanations.push(`${NOT_APPLICABLE}（项目行）：该项目本期或累计无投诉，比率的分母为 0。`);
  blocks.push({ kind: 'list', items: explanations });

  // 三、处理及时率、办结率与满意度
  heading('处理及时率、办结率与满意度');
  blocks.push({
    kind: 'table',
    headers: ['项目', '及时率', '办结率', '满意度'],
    rows: scopes.map((scope) => [scope.name, percent(scope.totals.timeliness), percent(scope.totals.completion), percent(scope.totals.satisfaction)]),
  });
  blocks.push({
    kind: 'list',
    items: [
      '及时率：本期到期或完成的各项处理时限中按时完成的比例；办结率：本期投诉中到期末已关闭的比例；满意度：本期回访中投诉人表示满意的比例。',
      `${NOT_APPLICABLE}：本期没有到期或完成的时限、没有投诉或没有回访。`,
    ],
  });

  // 四、本期重大、热点投诉原因及处理经验教训简述
  heading('本期重大、热点投诉原因及处理经验教训简述');
  if (document.severe.length === 0) blocks.push({ kind: 'paragraph', text: '本期无重大、热点投诉。' });
  else
    blocks.push({
      kind: 'list',
      items: document.severe.map((severe) =>
        [
          `【${SEVERITY_LABELS[severe.level]}】${severe.id} ${projectName(severe.project)} ${severe.title}（${STATE_LABELS[severe.state]}）`,
          `认定依据：${severe.reasons.join('；') || '主管认定'}`,
          `原因：${severe.cause ?? '（未填写）'}`,
          `经验教训：${severe.lessons ?? '（未填写）'}`,
        ].join('；'),
      ),
    });

  // 五、所有未关闭投诉的原因及处理进展简述（包括本期及上期遗留）
  heading('所有未关闭投诉的原因及处理进展简述（包括本期及上期遗留）');
  if (document.openComplaints.length === 0) blocks.push({ kind: 'paragraph', text: '期末无未关闭投诉。' });
  else
    blocks.push({
      kind: 'table',
      headers: ['编号', '项目名称', '投诉内容', '受理日期', '状态', '来源', '处理进展'],
      wrap: [undefined, undefined, WRAP.title, undefined, undefined, undefined, WRAP.progress],
      rows: document.openComplaints.map((open) => [
        open.id,
        projectName(open.project),
        open.title,
        localDate(open.receivedAt, org),
        STATE_LABELS[open.state],
        open.carriedOver ? '上期遗留' : '本期',
        open.progress ?? '（无记录）',
      ]),
    });

  // 六、不予统计的投诉
  heading('不予统计的投诉（不予受理、撤回、重复投诉）');
  if (document.excluded.length === 0) blocks.push({ kind: 'paragraph', text: '本期无。' });
  else {
    const byId = new Map(complaints.map((data) => [data.id, data]));
    blocks.push({
      kind: 'table',
      headers: ['编号', '项目名称', '投诉内容', '原因'],
      wrap: [undefined, undefined, WRAP.title, undefined],
      rows: document.excluded.map((excluded) => {
        const data = byId.get(excluded.id);
        const reason = excluded.reason === 'duplicate' && data?.duplicate_of ? `${EXCLUSION_LABELS.duplicate}（并入 ${data.duplicate_of}）` : EXCLUSION_LABELS[excluded.reason];
        return [excluded.id, data ? projectName(data.project) : '', data?.title ?? '', reason];
      }),
    });
  }

  // 七、投诉趋势
  heading(`投诉趋势（近 ${document.trend.length} 个${{ month: '月', quarter: '季度', year: '年度' }[document.kind]}）`);
  blocks.push({
    kind: 'table',
    headers: ['期间', '投诉总数', '新关闭', '投诉处理率'],
    rows: document.trend.map((point) => [periodName({ kind: document.kind, label: point.label }), String(point.periodCount), String(point.periodClosed), percent(point.periodHandlingRate)]),
  });

  // 八、同类项目比较
  if (document.scope === null) {
    heading('同类项目比较');
    const groupName = (group: string) =>
      ({ residential: '住宅类项目', office: '写字楼类项目', other: '其他物业项目' })[group] ??
      (group.startsWith('area_under_') ? `建筑面积 ${SIZE_BAND_AREA / 10_000} 万㎡以下的项目` : `建筑面积 ${SIZE_BAND_AREA / 10_000} 万㎡及以上的项目`);
    for (const group of document.comparison) {
      blocks.push({ kind: 'subheading', text: groupName(group.group) });
      blocks.push({
        kind: 'table',
        headers: ['项目', '本期投诉总数', '本期投诉率', '本期投诉处理率'],
        rows: group.projects.map((row) => {
          const project = org.projects.find((candidate) => candidate.key === row.key);
          return [projectName(row.key), String(row.periodCount), complaintRate(row.periodRate, project ? denominatorField(project) : undefined), percent(row.periodHandlingRate)];
        }),
      });
    }
  }

  // 九、部门年度考核 (001 篇5 五)
  if (document.kind === 'year') {
    heading(`部门年度服务质量考核（${document.departments.year}年度）`);
    const departmentName = (key: string) => org.departments.find((department) => department.key === key)?.name ?? key;
    blocks.push({
      kind: 'table',
      headers: ['部门', '本年投诉', '上年投诉', '同一问题再次投诉', '获表扬', '得分'],
      rows: document.departments.assessments.map((assessment) => [
        departmentName(assessment.department),
        String(assessment.total),
        String(assessment.lastYearTotal),
        String(assessment.repeats),
        String(assessment.praise),
        String(assessment.score),
      ]),
    });
    blocks.push({ kind: 'paragraph', text: '满分 100 分；投诉总量超出上一年的，每超出一件减 10 分；同一问题再次被投诉，每次减 10 分；获得表扬，每次加 10 分。' });
  }
  return blocks;
}

/** Text for a terminal: one line, control and bidirectional characters shown as escapes. */
function terminalText(text: string): string {
  return terminalSafe(text);
}

/** The report as a person reads it in a terminal: blocks separated by blank lines, long cells wrapped. */
export function reportTerminal(document: ReportDocument, org: Org, complaints: readonly ComplaintData[]): string {
  const parts = reportBlocks(document, org, complaints).map((block) => {
    switch (block.kind) {
      case 'heading':
        return terminalText(block.text);
      case 'subheading':
        return `【${terminalText(block.text)}】`;
      case 'paragraph':
        return terminalText(block.text);
      case 'list':
        return block.items.map((item) => `· ${terminalText(item)}`).join('\n');
      case 'table': {
        const rows = block.rows.map((row) => row.map(terminalText));
        return block.wrap ? wrappedTable(block.headers, rows, block.wrap) : table(block.headers, rows);
      }
      default:
        return block satisfies never;
    }
  });
  return `${[terminalText(reportTitle(document, org)), ...parts].join('\n\n')}\n`;
}

/**
 * Text for Markdown: on one line, with HTML's special characters as entities (a title cannot become a
 * tag on the board) and Markdown's as backslash escapes (nor a link, emphasis or a table cell break).
 */
export function markdownText(text: string): string {
  return terminalSafe(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replace(/[\\`*_[\]|~!#]/g, (character) => `\\${character}`);
}

function markdownTable(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((cell) => markdownText(cell) || ' ').join(' | ')} |`;
  return [line(headers), `|${headers.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n');
}

/** The generated part of a report file: the blocks as Markdown, sections as level-2 headings. */
export function reportMarkdown(document: ReportDocument, org: Org, complaints: readonly ComplaintData[]): string {
  const parts = reportBlocks(document, org, complaints).map((block) => {
    switch (block.kind) {
      case 'heading':
        return `## ${markdownText(block.text)}`;
      case 'subheading':
        return `### ${markdownText(block.text)}`;
      case 'paragraph':
        return markdownText(block.text);
      case 'list':
        return block.items.map((item) => `- ${markdownText(item)}`).join('\n');
      case 'table':
        return markdownTable(block.headers, block.rows);
      default:
        return block satisfies never;
    }
  });
  return `${parts.join('\n\n')}\n`;
}
