/**
 * 存量政策清理清单 as an XLSX workbook: one sheet of documents (highest risk first), one of flagged clauses, both
 * with filters on and the header row frozen. Written as a stream (exceljs's streaming writer): rows go out as they
 * arrive, so a list of any length is written in flat memory. Plain data in; imports nothing from server/.
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';

export interface ScreeningListDocument {
  rank: number;
  /** every path the content was found under, the first one first */
  paths: readonly string[];
  department: string;
  disposition: string;
  reason: string;
  maxScore: number | null;
  clauseCount: number;
  /** names of the flagged checklist items, most frequent first */
  items: readonly string[];
  status: string;
  error: string;
  format: string;
  chars: number | null;
  review: string;
}

export interface ScreeningListClause {
  rank: number;
  path: string;
  department: string;
  disposition: string;
  clausePath: string;
  page: number | null;
  itemId: string;
  item: string;
  score: number;
  text: string;
  evidence: readonly string[];
  basis: string;
  suggestion: string;
}

export const DOCUMENT_SHEET = '文件清单';
export const CLAUSE_SHEET = '问题条款';

const DOCUMENT_COLUMNS = [
  { header: '序号', key: 'rank', width: 7 },
  { header: '文件路径', key: 'path', width: 48 },
  { header: '制定部门', key: 'department', width: 18 },
  { header: '清理意见', key: 'disposition', width: 12 },
  { header: '理由', key: 'reason', width: 56 },
  { header: '最高风险分', key: 'maxScore', width: 11 },
  { header: '问题条款数', key: 'clauseCount', width: 11 },
  { header: '涉及审查标准', key: 'items', width: 40 },
  { header: '筛查状态', key: 'status', width: 12 },
  { header: '无法读取的原因', key: 'error', width: 36 },
  { header: '格式', key: 'format', width: 7 },
  { header: '字数', key: 'chars', width: 9 },
  { header: '重复文件', key: 'duplicates', width: 40 },
  { header: '人工审核', key: 'review', width: 10 },
];

const CLAUSE_COLUMNS = [
  { header: '文件序号', key: 'rank', width: 9 },
  { header: '文件路径', key: 'path', width: 40 },
  { header: '制定部门', key: 'department', width: 16 },
  { header: '清理意见', key: 'disposition', width: 11 },
  { header: '条款位置', key: 'clausePath', width: 22 },
  { header: '页码', key: 'page', width: 6 },
  { header: '审查项', key: 'itemId', width: 11 },
  { header: '审查标准', key: 'item', width: 36 },
  { header: '风险分', key: 'score', width: 8 },
  { header: '条款原文', key: 'text', width: 70 },
  { header: '关键词', key: 'evidence', width: 24 },
  { header: '依据', key: 'basis', width: 36 },
  { header: '修改建议', key: 'suggestion', width: 48 },
];

function sheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: typeof DOCUMENT_COLUMNS) {
  const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns;
  ws.getRow(1).font = { bold: true };
  return ws;
}

function columnLetter(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

/** Writes the workbook to `output` and resolves with the row counts once it is complete. */
export async function writeScreeningList(
  output: Writable,
  data: { title: string; documents: AsyncIterable<ScreeningListDocument>; clauses: () => AsyncIterable<ScreeningListClause> },
): Promise<{ documents: number; clauses: number }> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  workbook.title = data.title;
  workbook.creator = 'FairReview';

  const documents = sheet(workbook, DOCUMENT_SHEET, DOCUMENT_COLUMNS);
  let documentRows = 0;
  for await (const d of data.documents) {
    documents.addRow({
      rank: d.rank,
      path: d.paths[0] ?? '',
      department: d.department,
      disposition: d.disposition,
      reason: d.reason,
      maxScore: d.maxScore,
      clauseCount: d.clauseCount,
      items: d.items.join('；'),
      status: d.status,
      error: d.error,
      format: d.format,
      chars: d.chars,
      duplicates: d.paths.slice(1).join('；'),
      review: d.review,
    }).commit();
    documentRows++;
  }
  documents.autoFilter = `A1:${columnLetter(DOCUMENT_COLUMNS.length)}${documentRows + 1}`;
  documents.commit();

  const clauses = sheet(workbook, CLAUSE_SHEET, CLAUSE_COLUMNS);
  let clauseRows = 0;
  for await (const c of data.clauses()) {
    clauses.addRow({ ...c, evidence: c.evidence.join('、') }).commit();
    clauseRows++;
  }
  clauses.autoFilter = `A1:${columnLetter(CLAUSE_COLUMNS.length)}${clauseRows + 1}`;
  clauses.commit();

  await workbook.commit();
  return { documents: documentRows, clauses: clauseRows };
}
