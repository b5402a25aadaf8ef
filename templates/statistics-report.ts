/**
 * 公平竞争审查工作统计报告 for a period: the figures of GET /api/v1/stats/overview (issue 6) laid out for reporting
 * upward. The numbers arrive computed; this module only lays them out (shares of a table's total are the one sum it
 * does, since they are part of how a count table reads).
 */
import { type FileChild, type Paragraph } from 'docx';
import { COMPLAINT_STATE_LABELS, CONCLUSION_SHORT_LABELS, POLICY_STATE_LABELS, labelOf } from './labels.js';
import {
  SIZE,
  blankLine,
  body,
  columnWidths,
  dataRow,
  dateOrBlank,
  formatDate,
  formatNumber,
  formatPercent,
  headerRow,
  heading,
  labelled,
  packDocument,
  show,
  signature,
  subheading,
  subtitle,
  table,
  title,
  type DateLike,
  type Optional,
} from './style.js';

export interface CountRow {
  key: string;
  /** Display name; the built-in Chinese label for the key when omitted. */
  label?: Optional<string>;
  count: number;
}

export interface FlaggedItemRow {
  itemId: string;
  title?: Optional<string>;
  findings: number;
  confirmed?: Optional<number>;
  dismissed?: Optional<number>;
}

/** A rate as the statistics domain computes it; `rate` is null when the denominator is 0. */
export interface RateFigure {
  rate: number | null;
  numerator?: Optional<number>;
  denominator?: Optional<number>;
}

export interface StatisticsReportData {
  issuingBody?: Optional<string>;
  /** Which departments or region the figures cover. */
  scope?: Optional<string>;
  period: { from?: Optional<DateLike>; to?: Optional<DateLike> };
  generatedOn?: Optional<DateLike>;
  policies: { total?: Optional<number>; byState: readonly CountRow[]; byConclusion: readonly CountRow[] };
  flaggedItems: readonly FlaggedItemRow[];
  /** Share (0–1) of concluded policies that were revised before they could be issued. */
  revisionRate?: Optional<number | RateFigure>;
  turnaroundDays?: Optional<{ median?: Optional<number>; p90?: Optional<number>; reviews?: Optional<number> }>;
  complaints: { total?: Optional<number>; byState: readonly CountRow[] };
  overdue: { complaints?: Optional<number>; reviews?: Optional<number> };
  spotChecks?: Optional<{ checked?: Optional<number>; withProblems?: Optional<number>; problemRate?: Optional<number> }>;
  notes?: Optional<string>;
}

export const STATISTICS_TITLE = '公平竞争审查工作统计报告';

const COUNT_FRACTIONS = [0.12, 0.48, 0.2, 0.2] as const;
const COUNT_COLUMNS = columnWidths(COUNT_FRACTIONS);
const ITEM_FRACTIONS = [0.08, 0.14, 0.42, 0.12, 0.12, 0.12] as const;
const ITEM_COLUMNS = columnWidths(ITEM_FRACTIONS);

export function buildStatisticsReport(data: StatisticsReportData): Promise<Buffer> {
  const children: FileChild[] = [
    ...title(STATISTICS_TITLE),
    subtitle(`（${periodText(data.period)}）`),
    blankLine(),
    labelled('统计范围', data.scope),
    heading('一、总体情况'),
    ...body(overview(data)),
    heading('二、政策措施审查情况'),
    subheading('（一）按办理状态'),
    countTable('状态', data.policies.byState, POLICY_STATE_LABELS),
    subheading('（二）按审查结论'),
    countTable('审查结论', data.policies.byConclusion, CONCLUSION_SHORT_LABELS),
    heading('三、审查发现问题分布'),
    itemTable(data.flaggedItems),
    heading('四、审查质量与效率'),
    labelled('修改率', rateText(data.revisionRate)),
    labelled('审查用时中位数（天）', formatNumber(data.turnaroundDays?.median, 1)),
    labelled('审查用时第90百分位（天）', formatNumber(data.turnaroundDays?.p90, 1)),
    labelled('计入用时统计的审查件数', formatNumber(data.turnaroundDays?.reviews)),
    labelled('逾期未完成审查件数', formatNumber(data.overdue.reviews)),
    heading('五、举报处理情况'),
    labelled('收到举报件数', formatNumber(data.complaints.total ?? sum(data.complaints.byState))),
    countTable('办理状态', data.complaints.byState, COMPLAINT_STATE_LABELS),
    labelled('逾期未办结件数', formatNumber(data.overdue.complaints)),
    heading('六、抽查情况'),
    labelled('抽查政策措施件数', formatNumber(data.spotChecks?.checked)),
    labelled('发现问题件数', formatNumber(data.spotChecks?.withProblems)),
    labelled('问题发现率', formatPercent(data.spotChecks?.problemRate)),
    ...notes(data.notes),
    blankLine(),
    ...signature([data.issuingBody, dateOrBlank(data.generatedOn)]),
  ];
  return packDocument({ title: `${STATISTICS_TITLE}（${periodText(data.period)}）`, children });
}

function periodText(period: StatisticsReportData['period']): string {
  return `${formatDate(period.from)}至${formatDate(period.to)}`;
}

function rateOf(value: StatisticsReportData['revisionRate']): number | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'number' ? value : value.rate;
}

/** "30.8%（9/28）" when the counts behind the rate are known. */
function rateText(value: StatisticsReportData['revisionRate']): string {
  const percent = formatPercent(rateOf(value));
  if (!percent || typeof value !== 'object' || value === null) return percent;
  const known = typeof value.numerator === 'number' && typeof value.denominator === 'number';
  return known ? `${percent}（${value.numerator}/${value.denominator}）` : percent;
}

function sum(rows: readonly CountRow[]): number {
  return rows.reduce((total, row) => total + (Number.isFinite(row.count) ? row.count : 0), 0);
}

/** One sentence per figure that is known; unknown figures are left out of the prose (the tables show them blank). */
function overview(data: StatisticsReportData): string {
  const parts: string[] = [];
  const policies = data.policies.total ?? sum(data.policies.byState);
  parts.push(`本期纳入统计的政策措施${formatNumber(policies)}件`);
  const concluded = sum(data.policies.byConclusion);
  if (concluded > 0) parts.push(`作出审查结论${formatNumber(concluded)}件`);
  if (rateOf(data.revisionRate) !== null) parts.push(`修改率${formatPercent(rateOf(data.revisionRate))}`);
  if (data.turnaroundDays?.median !== null && data.turnaroundDays?.median !== undefined) {
    parts.push(`审查用时中位数${formatNumber(data.turnaroundDays.median, 1)}天`);
  }
  const findings = data.flaggedItems.reduce((total, row) => total + row.findings, 0);
  parts.push(`标注涉嫌违反审查标准的问题${formatNumber(findings)}处`);
  parts.push(`收到举报${formatNumber(data.complaints.total ?? sum(data.complaints.byState))}件`);
  if (data.spotChecks?.checked !== null && data.spotChecks?.checked !== undefined) {
    parts.push(`抽查政策措施${formatNumber(data.spotChecks.checked)}件`);
  }
  return `${parts.join('，')}。`;
}

function countTable(header: string, rows: readonly CountRow[], labels: Readonly<Record<string, string>>) {
  const total = sum(rows);
  const row = (values: string[]) => dataRow(values, COUNT_COLUMNS, { size: SIZE.xiaosi, align: ['center', 'left', 'center', 'center'] });
  return table(
    [
      headerRow(['序号', header, '件数', '占比'], COUNT_COLUMNS, SIZE.xiaosi),
      ...rows.map((r, i) => row([String(i + 1), show(r.label) || labelOf(labels, r.key), formatNumber(r.count), share(r.count, total)])),
      row(['', '合计', formatNumber(total), rows.length > 0 ? share(total, total) : '']),
    ],
    COUNT_FRACTIONS,
  );
}

function share(count: number, total: number): string {
  return total > 0 ? formatPercent(count / total) : '';
}

function itemTable(rows: readonly FlaggedItemRow[]) {
  const row = (values: string[]) =>
    dataRow(values, ITEM_COLUMNS, { size: SIZE.xiaosi, align: ['center', 'center', 'left', 'center', 'center', 'center'] });
  /** A column total, or blank when no row knows the figure. */
  const total = (pick: (r: FlaggedItemRow) => Optional<number>) =>
    rows.some((r) => typeof pick(r) === 'number') ? formatNumber(rows.reduce((n, r) => n + (pick(r) ?? 0), 0)) : '';
  return table(
    [
      headerRow(['序号', '检查项', '审查标准', '标注问题数', '确认问题数', '排除问题数'], ITEM_COLUMNS, SIZE.xiaosi),
      ...rows.map((r, i) =>
        row([String(i + 1), show(r.itemId), show(r.title), formatNumber(r.findings), formatNumber(r.confirmed), formatNumber(r.dismissed)]),
      ),
      row(['', '合计', '', total((r) => r.findings), total((r) => r.confirmed), total((r) => r.dismissed)]),
    ],
    ITEM_FRACTIONS,
  );
}

function notes(text: Optional<string>): Paragraph[] {
  return text ? [heading('七、其他说明'), ...body(text)] : [];
}
