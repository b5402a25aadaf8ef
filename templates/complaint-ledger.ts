/**
 * 举报问题台账 as an XLSX workbook: one sheet, one row per open case with its responsible unit and person, time
 * limit, days left and whether it is overdue; filters on, header row frozen. Plain data in; imports nothing from
 * server/.
 */
import ExcelJS from 'exceljs';

export interface LedgerSheetRow {
  refNo: string;
  state: string;
  receivedOn: string;
  subject: string;
  responsibleUnit: string;
  responsiblePerson: string;
  deadlineKind: string;
  dueDate: string;
  daysLeft: number | null;
  overdue: string;
}

export const LEDGER_SHEET = '问题台账';

const COLUMNS: Array<{ header: string; key: keyof LedgerSheetRow; width: number }> = [
  { header: '举报编号', key: 'refNo', width: 20 },
  { header: '办理状态', key: 'state', width: 10 },
  { header: '收到日期', key: 'receivedOn', width: 12 },
  { header: '举报事项', key: 'subject', width: 48 },
  { header: '责任单位', key: 'responsibleUnit', width: 20 },
  { header: '责任人', key: 'responsiblePerson', width: 12 },
  { header: '期限类型', key: 'deadlineKind', width: 10 },
  { header: '办理期限', key: 'dueDate', width: 12 },
  { header: '剩余天数', key: 'daysLeft', width: 10 },
  { header: '是否逾期', key: 'overdue', width: 10 },
];

export async function buildComplaintLedger(rows: readonly LedgerSheetRow[], generatedOn: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'FairReview';
  const sheet = workbook.addWorksheet(LEDGER_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS;
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
  workbook.title = `举报问题台账（${generatedOn}）`;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
