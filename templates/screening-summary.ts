/**
 * 存量政策清理情况报告: the summary of one screening batch — counts by department, by checklist item and by
 * suggested disposition, and the documents most in need of clean-up. Plain data in, DOCX out.
 */
import type { FileChild } from 'docx';
import {
  SIZE,
  blankLine,
  body,
  columnWidths,
  dataRow,
  dateOrBlank,
  formatNumber,
  formatPercent,
  headerRow,
  heading,
  packDocument,
  signature,
  subtitle,
  table,
  title,
  type DateLike,
  type Optional,
} from './style.js';

export interface ScreeningSummaryData {
  batchName: string;
  issuingBody?: Optional<string>;
  generatedOn?: Optional<DateLike>;
  files: number;
  documents: number;
  screened: number;
  failed: number;
  notScreened: number;
  /** disposition names, in the order the table shows them */
  dispositions: readonly string[];
  byDisposition: readonly { label: string; count: number }[];
  /** per department: documents, and documents per disposition (same order as `dispositions`) */
  byDepartment: readonly { department: string; documents: number; perDisposition: readonly number[] }[];
  byItem: readonly { itemId: string; title: string; documents: number; clauses: number }[];
  top: readonly { rank: number; path: string; department: string; disposition: string; maxScore: number; clauseCount: number; reason: string }[];
}

export const SCREENING_SUMMARY_TITLE = '存量政策措施清理情况报告';

export function buildScreeningSummary(data: ScreeningSummaryData): Promise<Buffer> {
  const children: FileChild[] = [
    ...title(SCREENING_SUMMARY_TITLE),
    subtitle(`（${data.batchName}）`),
    blankLine(),
    heading('一、总体情况'),
    ...body(overview(data)),
    heading('二、按清理意见'),
    countTable('清理意见', data.byDisposition),
    heading('三、按制定部门'),
    departmentTable(data),
    heading('四、按审查标准'),
    itemTable(data.byItem),
    heading('五、重点清理文件'),
    topTable(data.top),
    blankLine(),
    ...body('说明：清理意见由系统按审查标准自动筛查提出，供清理工作参考，应经人工审核确认后作出处理决定。'),
    blankLine(),
    ...signature([data.issuingBody, dateOrBlank(data.generatedOn)]),
  ];
  return packDocument({ title: `${SCREENING_SUMMARY_TITLE}（${data.batchName}）`, children });
}

function overview(data: ScreeningSummaryData): string {
  const parts = [`本批次共收到文件${formatNumber(data.files)}个，去除内容相同的重复文件后为${formatNumber(data.documents)}件`];
  parts.push(`完成筛查${formatNumber(data.screened)}件`);
  if (data.failed > 0) parts.push(`无法读取${formatNumber(data.failed)}件`);
  if (data.notScreened > 0) parts.push(`尚未筛查${formatNumber(data.notScreened)}件`);
  const flagged = data.byDisposition.filter((d) => d.label !== '保留').reduce((n, d) => n + d.count, 0);
  parts.push(`建议废止、修订或需人工判断的共${formatNumber(flagged)}件`);
  return `${parts.join('，')}。`;
}

const COUNT_FRACTIONS = [0.12, 0.48, 0.2, 0.2] as const;
const COUNT_COLUMNS = columnWidths(COUNT_FRACTIONS);

function countTable(header: string, rows: readonly { label: string; count: number }[]) {
  const total = rows.reduce((n, r) => n + r.count, 0);
  const row = (values: string[]) => dataRow(values, COUNT_COLUMNS, { size: SIZE.xiaosi, align: ['center', 'left', 'center', 'center'] });
  return table(
    [
      headerRow(['序号', header, '件数', '占比'], COUNT_COLUMNS, SIZE.xiaosi),
      ...rows.map((r, i) => row([String(i + 1), r.label, formatNumber(r.count), total > 0 ? formatPercent(r.count / total) : ''])),
      row(['', '合计', formatNumber(total), '']),
    ],
    COUNT_FRACTIONS,
  );
}

function departmentTable(data: ScreeningSummaryData) {
  const fractions = [0.08, 0.32, 0.12, ...data.dispositions.map(() => 0.48 / Math.max(1, data.dispositions.length))];
  const widths = columnWidths(fractions);
  const align = fractions.map((_, i) => (i === 1 ? 'left' : 'center') as 'left' | 'center');
  const row = (values: string[]) => dataRow(values, widths, { size: SIZE.xiaosi, align });
  return table(
    [
      headerRow(['序号', '制定部门', '文件数', ...data.dispositions], widths, SIZE.xiaosi),
      ...data.byDepartment.map((d, i) => row([String(i + 1), d.department || '（未注明）', formatNumber(d.documents), ...d.perDisposition.map((n) => formatNumber(n))])),
    ],
    fractions,
  );
}

function itemTable(rows: ScreeningSummaryData['byItem']) {
  const fractions = [0.08, 0.12, 0.5, 0.15, 0.15] as const;
  const widths = columnWidths(fractions);
  const row = (values: string[]) => dataRow(values, widths, { size: SIZE.xiaosi, align: ['center', 'center', 'left', 'center', 'center'] });
  return table(
    [
      headerRow(['序号', '审查项', '审查标准', '涉及文件数', '问题条款数'], widths, SIZE.xiaosi),
      ...rows.map((r, i) => row([String(i + 1), r.itemId, r.title, formatNumber(r.documents), formatNumber(r.clauses)])),
    ],
    fractions,
  );
}

function topTable(rows: ScreeningSummaryData['top']) {
  const fractions = [0.07, 0.3, 0.14, 0.1, 0.08, 0.31] as const;
  const widths = columnWidths(fractions);
  const row = (values: string[]) => dataRow(values, widths, { size: SIZE.wu, align: ['center', 'left', 'left', 'center', 'center', 'left'] });
  return table(
    [
      headerRow(['序号', '文件', '制定部门', '清理意见', '问题条款', '理由'], widths, SIZE.wu),
      ...rows.map((r) => row([String(r.rank), r.path, r.department || '（未注明）', r.disposition, formatNumber(r.clauseCount), r.reason])),
    ],
    fractions,
  );
}
