import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

/**
 * The board's charts, drawn at build time with Observable Plot into static SVG (linkedom stands in
 * for the browser's document), so they need no JavaScript and cost no request. Each chart is an
 * image to assistive technology (`role="img"` with a label that states the figures); the page puts
 * the same figures in a table next to it. Only numbers and org.yaml labels go into a chart — never a
 * complaint's title.
 */

export interface Chart {
  /** The `<svg>` element as markup. */
  svg: string;
  /** What the chart shows, with its figures, for `aria-label`. */
  label: string;
}

/** Colours with at least 4.5:1 contrast on white (WCAG AA for the marks' meaning, not only text). */
const BAR_COLOUR = '#1d4ed8';
const LINE_COLOUR = '#b45309';
const CHART_WIDTH = 640;
const FONT_FAMILY = 'system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
/** Coordinates to this many decimals: enough for a 640-pixel drawing, far fewer bytes. */
const COORDINATE_DECIMALS = 1;

function emptyDocument() {
  return parseHTML('<!doctype html><html lang="zh-CN"><head></head><body></body></html>').document;
}

/** The SVG as compact markup: rounded coordinates, one accessible name on the <svg>, Plot's inner ARIA attributes dropped. */
function finish(element: { outerHTML: string }, label: string): Chart {
  const rounded = element.outerHTML.replace(/(\d+\.\d)\d+/g, (_match, kept: string) => String(Number(Number(kept).toFixed(COORDINATE_DECIMALS))));
  const escaped = label.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  // Inside role="img" the children are presentational: Plot's own ARIA labels on its groups would be
  // prohibited attributes there, so they go, and the one label on the <svg> says everything.
  const svg = rounded
    .replace(/\saria-(?:label|description|hidden)="[^"]*"/g, '')
    .replace(/^<svg\b/, `<svg role="img" aria-label="${escaped}" focusable="false"`);
  return { svg, label };
}

/** The first line of a label in y tick text: long labels are cut so the margin stays small. */
const MAXIMUM_TICK_CHARACTERS = 8;

function shortLabel(text: string): string {
  const characters = [...text];
  return characters.length > MAXIMUM_TICK_CHARACTERS ? `${characters.slice(0, MAXIMUM_TICK_CHARACTERS - 1).join('')}…` : text;
}

const BAR_HEIGHT = 26;
const AXIS_SPACE = 40;

/** Horizontal bars of counts by label (category mix, projects), in the given order. */
export function barChart(rows: readonly { label: string; count: number }[], title: string, unit = '件'): Chart {
  const data = rows.map((row) => ({ label: shortLabel(row.label), count: row.count }));
  const svg = Plot.plot({
    document: emptyDocument(),
    width: CHART_WIDTH,
    height: Math.max(1, data.length) * BAR_HEIGHT + AXIS_SPACE,
    marginLeft: 120,
    marginRight: 40,
    style: { fontFamily: FONT_FAMILY, fontSize: '13px', background: 'transparent' },
    x: { label: `${unit} →`, grid: true, tickFormat: (value: number) => (Number.isInteger(value) ? String(value) : '') },
    y: { label: null, domain: data.map((row) => row.label) },
    marks: [
      Plot.barX(data, { x: 'count', y: 'label', fill: BAR_COLOUR }),
      Plot.text(data, { x: 'count', y: 'label', text: (row: { count: number }) => String(row.count), dx: 4, textAnchor: 'start', fill: 'currentColor' }),
      Plot.ruleX([0]),
    ],
  });
  return finish(svg as unknown as { outerHTML: string }, `${title}：${rows.map((row) => `${row.label} ${row.count} ${unit}`).join('，')}`);
}

/** `2026-10` → `10月`, January with its year (`2026年1月`) so the axis says where the year turns. */
export function monthTick(label: string): string {
  const [year, month] = label.split('-');
  return month === '01' ? `${year}年1月` : `${Number(month)}月`;
}

const TREND_HEIGHT = 220;

/** Monthly counts as columns (001 §4.2.3③a: trend across periods). */
export function countTrendChart(points: readonly { label: string; periodCount: number }[], title: string): Chart {
  // x is the full `YYYY-MM` (a 13-month range has two "11月"); only the tick text is shortened.
  const data = points.map((point) => ({ month: point.label, count: point.periodCount }));
  const svg = Plot.plot({
    document: emptyDocument(),
    width: CHART_WIDTH,
    height: TREND_HEIGHT,
    marginBottom: 36,
    style: { fontFamily: FONT_FAMILY, fontSize: '12px', background: 'transparent' },
    x: { label: null, domain: data.map((row) => row.month), tickFormat: monthTick },
    y: { label: '↑ 投诉数（件）', grid: true, tickFormat: (value: number) => (Number.isInteger(value) ? String(value) : '') },
    marks: [Plot.barY(data, { x: 'month', y: 'count', fill: BAR_COLOUR }), Plot.ruleY([0])],
  });
  return finish(svg as unknown as { outerHTML: string }, `${title}：${points.map((point) => `${point.label} ${point.periodCount} 件`).join('，')}`);
}

/** Monthly handling rates as a line with dots; months without complaints (no rate) are gaps. */
export function rateTrendChart(points: readonly { label: string; rate: number | null }[], title: string): Chart {
  const data = points.map((point) => ({ month: point.label, rate: point.rate === null ? NaN : point.rate * 100 }));
  const highest = Math.max(100, ...data.map((row) => (Number.isFinite(row.rate) ? row.rate : 0)));
  const svg = Plot.plot({
    document: emptyDocument(),
    width: CHART_WIDTH,
    height: TREND_HEIGHT,
    marginBottom: 36,
    style: { fontFamily: FONT_FAMILY, fontSize: '12px', background: 'transparent' },
    x: { type: 'point', label: null, domain: data.map((row) => row.month), padding: 0.5, tickFormat: monthTick },
    y: { label: '↑ 处理率（%）', grid: true, domain: [0, Math.ceil(highest / 10) * 10] },
    marks: [
      Plot.ruleY([0]),
      Plot.lineY(data, { x: 'month', y: 'rate', stroke: LINE_COLOUR, strokeWidth: 2 }),
      Plot.dot(data, { x: 'month', y: 'rate', fill: LINE_COLOUR, r: 3 }),
    ],
  });
  const described = points.map((point) => `${point.label} ${point.rate === null ? '无投诉' : `${(point.rate * 100).toFixed(1)}%`}`).join('，');
  return finish(svg as unknown as { outerHTML: string }, `${title}：${described}`);
}
