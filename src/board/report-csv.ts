import { toCsv, type CsvValue } from '../archive/csv.ts';
import type { MonthlyNotice } from './monthly-notice.ts';

/**
 * The monthly notice's tables as one CSV download (`reports/YYYY-MM.csv`): one record per figure, in
 * long form — table, row, measure, value, unit — so that the classification table, the data summary
 * and the nature breakdown share one file a spreadsheet or a script reads without guessing. Figures
 * only: no complaint titles. The writer is the archive's CSV writer (UTF-8 with BOM, CRLF, formulas
 * neutralised).
 */

export const REPORT_CSV_HEADERS = ['期间', '表格', '行', '指标', '数值', '单位'] as const;

const TABLE_CLASSIFICATION = '物业管理客户投诉分类统计表';
const TABLE_SUMMARY = '本期客户投诉数据概要';
const TABLE_NATURE = '投诉性质分布';

/** What a value of each summary measure is measured in. */
function summaryUnit(unit: 'count' | 'rate' | 'ratio', basis: 'households' | 'area' | null): string {
  if (unit === 'count') return '件';
  if (unit === 'ratio') return '比率';
  if (basis === 'households') return '件/户';
  if (basis === 'area') return '件/平方米';
  return '';
}

/** The CSV text of one month's notice. */
export function reportCsv(notice: MonthlyNotice): string {
  const rows: CsvValue[][] = [];
  for (const category of notice.categories) {
    rows.push([notice.label, TABLE_CLASSIFICATION, category.label, '投诉数', category.count, '件']);
    rows.push([notice.label, TABLE_CLASSIFICATION, category.label, '已关闭', category.closed, '件']);
    rows.push([notice.label, TABLE_CLASSIFICATION, category.label, '未关闭', category.open, '件']);
  }
  rows.push([notice.label, TABLE_CLASSIFICATION, '合计', '投诉数', notice.totals.count, '件']);
  rows.push([notice.label, TABLE_CLASSIFICATION, '合计', '已关闭', notice.totals.closed, '件']);
  rows.push([notice.label, TABLE_CLASSIFICATION, '合计', '未关闭', notice.totals.open, '件']);
  for (const measure of notice.summary) {
    measure.values.forEach((value, index) => {
      const column = notice.columns[index]!;
      rows.push([notice.label, TABLE_SUMMARY, column.name, measure.label.replace(/（件）$/, ''), value, summaryUnit(measure.unit, column.basis)]);
    });
  }
  for (const nature of notice.natures) rows.push([notice.label, TABLE_NATURE, nature.label, '投诉数', nature.count, '件']);
  return toCsv(REPORT_CSV_HEADERS, rows);
}
