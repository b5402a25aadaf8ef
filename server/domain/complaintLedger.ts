/**
 * 问题台账: every open complaint (not closed, not transferred) with who is responsible for it — the handler it
 * is assigned to and that handler's unit — its running time limit, the days left and whether it is overdue.
 * Pure: the case and the responsible person in, the row out.
 */
import { TERMINAL_COMPLAINT_STATES, type Complaint, type ComplaintState } from './complaint';
import { activeDeadlineKind } from './complaintWorkflow';
import { shanghaiDateOf, toDayNumber } from './workingDays';

export interface Responsible {
  /** the handler's name */
  person: string;
  /** the handler's department */
  unit: string;
}

export interface LedgerRow {
  id: string;
  refNo: string;
  state: ComplaintState;
  receivedAt: string;
  /** what was reported: the measure as the reporter named it */
  subject: string;
  assigneeId: string | null;
  responsibleUnit: string;
  responsiblePerson: string;
  /** which time limit runs now: 'supplement' (补正) or 'verification' (核查); null when none runs */
  deadlineKind: 'supplement' | 'verification' | null;
  /** last Shanghai date on which the limit is met */
  dueDate: string | null;
  /** calendar days from today (Shanghai) to the due date; negative once passed; null without a limit */
  daysLeft: number | null;
  overdue: boolean;
}

export function isOpenCase(state: ComplaintState): boolean {
  return !TERMINAL_COMPLAINT_STATES.includes(state);
}

export function ledgerRow(complaint: Pick<Complaint, 'id' | 'refNo' | 'state' | 'receivedAt' | 'target' | 'assigneeId' | 'deadlines'>, responsible: Responsible | null, now: Date): LedgerRow {
  const kind = activeDeadlineKind(complaint.state);
  const deadline = kind ? complaint.deadlines[kind] : undefined;
  return {
    id: complaint.id,
    refNo: complaint.refNo,
    state: complaint.state,
    receivedAt: complaint.receivedAt,
    subject: complaint.target.measureText ?? '',
    assigneeId: complaint.assigneeId,
    responsibleUnit: responsible?.unit ?? '',
    responsiblePerson: responsible?.person ?? '',
    deadlineKind: deadline ? kind : null,
    dueDate: deadline?.dueDate ?? null,
    daysLeft: deadline ? toDayNumber(deadline.dueDate) - toDayNumber(shanghaiDateOf(now)) : null,
    overdue: deadline !== undefined && Date.parse(deadline.dueAt) < now.getTime(),
  };
}

/** Overdue first, then the nearest limit, then cases without a running limit (oldest first). */
export function ledgerOrder(a: LedgerRow, b: LedgerRow): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  if (a.daysLeft !== null && b.daysLeft !== null && a.daysLeft !== b.daysLeft) return a.daysLeft - b.daysLeft;
  if ((a.daysLeft === null) !== (b.daysLeft === null)) return a.daysLeft === null ? 1 : -1;
  return a.receivedAt.localeCompare(b.receivedAt);
}
