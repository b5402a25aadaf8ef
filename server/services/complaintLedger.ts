/**
 * Use cases of the 问题台账 (the handlers' ledger of open complaints): the rows, and the same rows as an XLSX
 * workbook. The responsible person is the handler a case is assigned to, the responsible unit that handler's
 * department.
 */
import mongoose from 'mongoose';
import { ComplaintRepository } from '../db/complaintRepository';
import type { Models } from '../db/models/index';
import { COMPLAINT_STATE_LABELS } from '../domain/vocabulary';
import { ledgerOrder, ledgerRow, type LedgerRow, type Responsible } from '../domain/complaintLedger';
import { ForbiddenError } from '../domain/errors';
import { isComplaintStaff } from '../domain/permissions/complaint';
import type { Actor } from '../domain/roles';
import { shanghaiDateOf } from '../domain/workingDays';
import { buildComplaintLedger } from '../../templates/complaint-ledger';
import type { ServiceDeps } from './deps';

type Deps = Pick<ServiceDeps, 'models' | 'clock'>;
const DEADLINE_LABELS = { supplement: '补正期限', verification: '核查期限' } as const;

/** Each handler's name and department, by user id. */
export async function responsibleByUser(models: Models, userIds: readonly string[]): Promise<Map<string, Responsible>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const users = await models.User.find({ _id: mongoose.trusted({ $in: ids }) }, { displayName: 1, departmentId: 1 }).lean();
  const departments = await models.Department.find({ _id: mongoose.trusted({ $in: [...new Set(users.map((u) => String(u.departmentId)))] }) }, { name: 1 }).lean();
  const unitName = new Map(departments.map((d) => [String(d._id), d.name]));
  return new Map(users.map((u) => [String(u._id), { person: u.displayName, unit: unitName.get(String(u.departmentId)) ?? '' }]));
}

export async function complaintLedger(deps: Deps, actor: Actor): Promise<{ items: LedgerRow[]; generatedAt: string }> {
  if (!isComplaintStaff(actor)) throw new ForbiddenError('forbidden', '只有举报处理人员、市场监管部门审查员或管理员可以查看问题台账');
  const now = deps.clock();
  const cases = await new ComplaintRepository(deps.models).openCases();
  const responsible = await responsibleByUser(deps.models, cases.flatMap((c) => (c.assigneeId ? [c.assigneeId] : [])));
  const items = cases.map((c) => ledgerRow(c, c.assigneeId ? responsible.get(c.assigneeId) ?? null : null, now)).sort(ledgerOrder);
  return { items, generatedAt: now.toISOString() };
}

export async function complaintLedgerWorkbook(deps: Deps, actor: Actor): Promise<{ filename: string; data: Buffer }> {
  const { items, generatedAt } = await complaintLedger(deps, actor);
  const today = shanghaiDateOf(new Date(generatedAt));
  const data = await buildComplaintLedger(items.map((row) => ({
    refNo: row.refNo,
    state: COMPLAINT_STATE_LABELS[row.state],
    receivedOn: shanghaiDateOf(new Date(row.receivedAt)),
    subject: row.subject,
    responsibleUnit: row.responsibleUnit || '未指派',
    responsiblePerson: row.responsiblePerson || '未指派',
    deadlineKind: row.deadlineKind ? DEADLINE_LABELS[row.deadlineKind] : '',
    dueDate: row.dueDate ?? '',
    daysLeft: row.daysLeft,
    overdue: row.overdue ? '已逾期' : '',
  })), today);
  return { filename: `举报问题台账-${today}.xlsx`, data };
}
