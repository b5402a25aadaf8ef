/**
 * The complaint workflow (条例22; 办法37–38) as pure decisions.
 *
 * A use case (server/services/complaints.ts) loads the complaint, calls `decideComplaintTransition(complaint,
 * actor, command, now, calendar)` and applies the returned decision (guard, changes, event) as ONE guarded update
 * (server/db/guardedUpdate.ts), the event sealed onto the case's chain.
 *
 * No match means someone else changed the case first: answer 409. `effects` are what must happen elsewhere
 * afterwards (open a policy recheck, schedule reminder jobs); each is idempotent on its own target, so a
 * retry after a crash is safe. Events never carry the reporter's identity.
 *
 * received ─┬─ request_supplement ─> supplement_requested ─┬─ submit_supplement ─> received
 *           │                                              └─ lapse (system, after the deadline) ─> not_accepted
 *           ├─ accept ─> accepted ─ start_verification ─> verifying ─┬─ conclude_violation ─> violation_confirmed
 *           │                                                        └─ conclude_no_violation ─> no_violation
 *           ├─ reject ─> not_accepted
 *           └─ transfer (also from supplement_requested, accepted, verifying) ─> transferred (terminal)
 * not_accepted | violation_confirmed | no_violation ─ reply ─> replied ─ close ─> closed
 * not_accepted | violation_confirmed | no_violation ─ close ─> closed
 * replied | closed ─ rate (the reporter, once, after the reply) ─> the same state
 * Without a state change: assign, extend (regulator), mark_reminded, mark_overdue and recount_deadline (system).
 *
 * Commands look like the policy workflow's ({ action, rev, comment?, ... }) and checks run in the same order
 * with the same error codes: state (409 wrong_state), revision (409 stale_rev), role and assignment
 * (403 forbidden), values (400 invalid_command), missing preconditions (422 missing_preconditions).
 *
 * Decisions:
 * - `transferred` is a terminal state, not a side record: once handed to another jurisdiction or competent body
 *   (办法37), nothing more happens to the case here, and the transfer record says where it went.
 * - An extension is performed by the approver (a regulator, or an admin): the approval IS the act, recorded with
 *   the approver, the previous date and the reason; there is no separate "request extension" step.
 * - The reminder and overdue jobs go through the same decision (`system` actor), so a repeated or stale job
 *   (one scheduled for a deadline since extended) is refused and never sends twice.
 * - Admins may act on any case: the issue names them among those who may handle complaints.
 * - A deadline counted Monday–Friday because a year it touches had no official schedule (provisional) is counted
 *   again when an administrator loads that year (`recount_deadline`, system): an event on the case says what
 *   changed, and the deadline's jobs are scheduled for the new dates.
 */
import { ConflictError, ValidationError } from './errors';
import { failMissing, forbid, throwIfInvalid, type Problem } from './guards';
import { COMPLAINT_STATE_LABELS } from '../../checklists/vocabulary';
import {
  RATING_GRADES,
  type AttachmentMeta,
  type Complaint,
  type ComplaintDeadlines,
  type ComplaintState,
  type ComplaintTarget,
  type RatingGrade,
  type TrackedDeadline,
  type UnsealedComplaintEvent,
} from './complaint';
import { COMPLAINT_RULES, complaintRefusal } from './permissions/complaint';
import { reporterActor, type SupervisionActor } from './supervisionActor';
import {
  deadlineOnDate,
  endOfShanghaiDay,
  isLocalDate,
  isPastDeadline,
  recountDeadline,
  shanghaiDateOf,
  supplementDeadline,
  verificationDeadline,
  type LocalDate,
  type WorkingDayCalendar,
} from './workingDays';

// ---------- commands ----------

/** `rev` is the revision the caller last saw; the decision refuses to act on a newer one. */
type Base = { rev: number; comment?: string };
export type DeadlineKind = keyof ComplaintDeadlines;

export type ComplaintCommand =
  | (Base & { action: 'assign'; assignee: { id: string; role: string } })
  | (Base & { action: 'request_supplement'; items: string[] })
  | (Base & { action: 'submit_supplement'; note?: string; attachments?: AttachmentMeta[] })
  | (Base & { action: 'lapse' })
  | (Base & { action: 'accept' })
  | (Base & { action: 'reject'; reason: string })
  | (Base & { action: 'transfer'; toAuthority: string; reason: string })
  | (Base & { action: 'start_verification' })
  | (Base & { action: 'extend'; newDueDate: LocalDate; reason: string })
  | (Base & { action: 'conclude_violation'; summary: string; policyId?: string })
  | (Base & { action: 'conclude_no_violation'; summary: string })
  | (Base & { action: 'reply'; text: string })
  | (Base & { action: 'close' })
  /** `dueAt` is the deadline the job was scheduled for; a job for a deadline since extended is refused */
  | (Base & { action: 'mark_reminded'; deadline: DeadlineKind; dueAt: string })
  | (Base & { action: 'mark_overdue'; dueAt: string })
  | (Base & { action: 'recount_deadline'; deadline: DeadlineKind })
  /** the reporter's rating of the handling (好/中/差), once, after the reply; `remark` is their optional comment */
  | (Base & { action: 'rate'; grade: RatingGrade; remark?: string });

export type ComplaintEffect =
  /** 办法40: a confirmed breach goes back to the drafter; the policy workflow opens its recheck */
  | { kind: 'open_policy_recheck'; policyId: string; source: 'complaint'; refId: string; reason: string }
  /** enqueue (or replace) the delayed reminder and overdue jobs for this deadline */
  | { kind: 'schedule_deadline_jobs'; complaintId: string; deadline: DeadlineKind; remindAt: string; dueAt: string };

export interface ComplaintDecision {
  /** apply only where the stored document still has this state and revision */
  guard: { state: ComplaintState; rev: number };
  set: Partial<Complaint> & { state: ComplaintState; rev: number };
  event: UnsealedComplaintEvent;
  effects: ComplaintEffect[];
}

// ---------- who may do what, from where: permissions/complaint.ts ----------

export { availableComplaintActions, isAssignedHandler } from './permissions/complaint';

/** Which deadline is running in a state, if any. */
export function activeDeadlineKind(state: ComplaintState): DeadlineKind | null {
  if (state === 'supplement_requested') return 'supplement';
  if (state === 'accepted' || state === 'verifying') return 'verification';
  return null;
}

// ---------- the decision ----------

interface Outcome {
  to?: ComplaintState;
  set?: Partial<Complaint>;
  comment?: string;
  data?: Record<string, unknown>;
  effects?: ComplaintEffect[];
}

interface Context {
  complaint: Complaint;
  actor: SupervisionActor;
  now: Date;
  calendar: WorkingDayCalendar;
}

export function decideComplaintTransition(
  complaint: Complaint,
  actor: SupervisionActor,
  command: ComplaintCommand,
  now: Date,
  calendar: WorkingDayCalendar,
): ComplaintDecision {
  const rule = COMPLAINT_RULES[command.action];
  if (!rule) throw new ValidationError('unknown_action', `未知的操作：${String(command.action)}`, { action: command.action });
  if (!rule.from.includes(complaint.state)) {
    throw new ConflictError('wrong_state', `举报处于「${COMPLAINT_STATE_LABELS[complaint.state]}」状态，不能执行 ${command.action}`, {
      action: command.action,
      state: complaint.state,
      allowedFrom: [...rule.from],
    });
  }
  if (!Number.isInteger(command.rev)) {
    throw new ValidationError('invalid_command', '缺少版本号 rev 或格式不正确', { problems: [{ path: 'rev', message: '应为整数' }] });
  }
  if (command.rev !== complaint.rev) {
    throw new ConflictError('stale_rev', '举报已被他人修改，请刷新后重试', { expectedRev: complaint.rev, rev: command.rev });
  }
  const refusal = complaintRefusal(command.action, actor, complaint);
  if (refusal) forbid(command.action, refusal);

  const outcome = decideOutcome({ complaint, actor, now, calendar }, command);
  const to = outcome.to ?? complaint.state;
  return {
    guard: { state: complaint.state, rev: complaint.rev },
    set: { ...outcome.set, state: to, rev: complaint.rev + 1 },
    event: {
      actor: { id: actor.id, username: actor.username },
      action: command.action,
      from: complaint.state,
      to,
      at: now.toISOString(),
      comment: outcome.comment ?? command.comment?.trim() ?? '',
      data: outcome.data ?? {},
    },
    effects: outcome.effects ?? [],
  };
}

function decideOutcome(ctx: Context, command: ComplaintCommand): Outcome {
  switch (command.action) {
    case 'assign':
      return assign(ctx, command.assignee);
    case 'request_supplement':
      return requestSupplement(ctx, command.items);
    case 'submit_supplement':
      return submitSupplement(ctx, command.note, command.attachments ?? []);
    case 'lapse':
      return lapse(ctx);
    case 'accept':
      return accept(ctx);
    case 'reject': {
      const reason = required(command.reason, 'reason', 'reject');
      return { to: 'not_accepted', set: { notAccepted: { reason, lapsed: false } }, comment: reason };
    }
    case 'transfer':
      return transfer(ctx, command.toAuthority, command.reason);
    case 'start_verification':
      return { to: 'verifying' };
    case 'extend':
      return extend(ctx, command.newDueDate, command.reason);
    case 'conclude_violation':
      return concludeViolation(ctx, command.summary, command.policyId);
    case 'conclude_no_violation': {
      const summary = required(command.summary, 'summary', 'conclude_no_violation');
      const finding = { outcome: 'no_violation' as const, summary, policyId: ctx.complaint.target.policyId ?? null, at: ctx.now.toISOString() };
      return { to: 'no_violation', set: { finding, overdue: false }, comment: summary };
    }
    case 'reply': {
      const text = required(command.text, 'text', 'reply');
      return { to: 'replied', set: { reply: { text, at: ctx.now.toISOString() } } };
    }
    case 'close':
      return { to: 'closed' };
    case 'mark_reminded':
      return markReminded(ctx, command.deadline, command.dueAt);
    case 'mark_overdue':
      return markOverdue(ctx, command.dueAt);
    case 'recount_deadline':
      return recount(ctx, command.deadline);
    case 'rate':
      return rate(ctx, command.grade, command.remark);
  }
}

/** 一事一评: one rating per case, and only once the reporter has had the reply. */
function rate({ complaint, now }: Context, grade: RatingGrade, remark: string | undefined): Outcome {
  if (complaint.rating) throw new ConflictError('already_rated', '该举报已评价：每件举报只能评价一次（一事一评）', { grade: complaint.rating.grade });
  if (!complaint.reply) throw new ConflictError('not_replied', '举报尚未答复，答复后方可评价办理情况');
  if (!(RATING_GRADES as readonly string[]).includes(grade)) throwIfInvalid([{ path: 'grade', message: '评价须为 good（好）、fair（中）或 poor（差）' }]);
  const comment = remark?.trim() ?? '';
  return { set: { rating: { grade, comment, at: now.toISOString() } }, comment, data: { grade } };
}

// ---------- one function per action ----------

function assign({ complaint, actor }: Context, assignee: { id: string; role: string }): Outcome {
  if (assignee.role !== 'complaint_handler') {
    throwIfInvalid([{ path: 'assignee.role', message: '只能指派给举报处理人员' }]);
  }
  if (actor.role === 'complaint_handler' && assignee.id !== actor.id) {
    forbid('assign', '举报处理人员只能认领未指派的案件给自己');
  }
  if (complaint.assigneeId === assignee.id) {
    throw new ConflictError('already_assigned', '案件已指派给该处理人员', { assigneeId: assignee.id });
  }
  return { set: { assigneeId: assignee.id }, data: { assigneeId: assignee.id, previousAssigneeId: complaint.assigneeId } };
}

function requestSupplement({ complaint, now, calendar }: Context, items: string[]): Outcome {
  const cleaned = (items ?? []).map((item) => item.trim()).filter(Boolean);
  if (cleaned.length === 0) failMissing('request_supplement', ['items']);
  const deadline = supplementDeadline(now, calendar);
  return {
    to: 'supplement_requested',
    set: {
      supplementRequest: { items: cleaned, requestedAt: now.toISOString() },
      deadlines: { ...complaint.deadlines, supplement: deadline },
    },
    data: { items: cleaned, dueDate: deadline.dueDate },
    effects: [scheduleJobs(complaint, 'supplement', deadline)],
  };
}

function submitSupplement({ complaint, now }: Context, note: string | undefined, attachments: AttachmentMeta[]): Outcome {
  const deadline = complaint.deadlines.supplement;
  if (deadline && isPastDeadline(deadline, now)) {
    throw new ConflictError('supplement_deadline_passed', `补正期限（${deadline.dueDate}）已过`, { dueDate: deadline.dueDate });
  }
  const text = note?.trim() ?? '';
  if (text === '' && attachments.length === 0) failMissing('submit_supplement', ['note']);
  return {
    to: 'received',
    set: { attachments: [...complaint.attachments, ...attachments] },
    comment: text,
    data: { attachmentFileIds: attachments.map((a) => a.fileId) },
  };
}

function lapse({ complaint, now }: Context): Outcome {
  const deadline = complaint.deadlines.supplement;
  if (!deadline || !isPastDeadline(deadline, now)) {
    throw new ConflictError('deadline_not_passed', '补正期限尚未届满', { dueDate: deadline?.dueDate ?? null });
  }
  const reason = `逾期未补正（期限 ${deadline.dueDate}），不予核查`;
  return { to: 'not_accepted', set: { notAccepted: { reason, lapsed: true } }, comment: reason };
}

function accept({ complaint, now, calendar }: Context): Outcome {
  // reminders need someone to go to
  if (complaint.assigneeId === null) failMissing('accept', ['assignee']);
  const deadline = verificationDeadline(now, calendar);
  return {
    to: 'accepted',
    set: { deadlines: { ...complaint.deadlines, verification: deadline }, overdue: false },
    data: { dueDate: deadline.dueDate },
    effects: [scheduleJobs(complaint, 'verification', deadline)],
  };
}

function transfer({ now }: Context, toAuthority: string, reason: string): Outcome {
  const authority = required(toAuthority, 'toAuthority', 'transfer');
  const why = required(reason, 'reason', 'transfer');
  return {
    to: 'transferred',
    set: { transfer: { toAuthority: authority, reason: why, at: now.toISOString() }, overdue: false },
    comment: why,
    data: { toAuthority: authority },
  };
}

function extend({ complaint, actor, now, calendar }: Context, newDueDate: LocalDate, reason: string): Outcome {
  const current = complaint.deadlines.verification;
  if (!current) failMissing('extend', ['verification_deadline']);
  if (newDueDate === undefined || newDueDate === '') failMissing('extend', ['newDueDate']);
  throwIfInvalid(extensionDateProblems(newDueDate, current.dueDate, now));
  const why = required(reason, 'reason', 'extend');
  const extended: TrackedDeadline = {
    ...deadlineOnDate(now, newDueDate, calendar),
    extension: { approvedBy: actor.id, approvedAt: now.toISOString(), previousDueDate: current.dueDate, reason: why },
  };
  return {
    set: { deadlines: { ...complaint.deadlines, verification: extended }, overdue: false },
    comment: why,
    data: { previousDueDate: current.dueDate, dueDate: newDueDate, approvedBy: actor.id },
    effects: [scheduleJobs(complaint, 'verification', extended)],
  };
}

function concludeViolation({ complaint, actor, now }: Context, summary: string, policyIdArg: string | undefined): Outcome {
  const text = required(summary, 'summary', 'conclude_violation');
  const policyId = policyIdArg?.trim() || complaint.target.policyId;
  if (!policyId) failMissing('conclude_violation', ['policyId']);
  const target: ComplaintTarget = { ...complaint.target, policyId };
  const recheck = { policyId, source: 'complaint' as const, refId: complaint.id, reason: `举报 ${complaint.refNo} 核查属实：${text}` };
  return {
    to: 'violation_confirmed',
    set: { finding: { outcome: 'violation', summary: text, policyId, at: now.toISOString() }, target, overdue: false, pendingRecheck: { ...recheck, requestedBy: actor.id } },
    comment: text,
    data: { policyId },
    effects: [{ kind: 'open_policy_recheck', ...recheck }],
  };
}

function activeDeadline(complaint: Complaint, kind: DeadlineKind, dueAt: string): TrackedDeadline {
  const deadline = complaint.deadlines[kind];
  if (activeDeadlineKind(complaint.state) !== kind || !deadline) {
    throw new ConflictError('deadline_not_active', `当前状态下 ${kind} 期限不在计时`, { state: complaint.state, deadline: kind });
  }
  if (deadline.dueAt !== dueAt) {
    throw new ConflictError('deadline_changed', '期限已变更，此提醒作废', { dueAt: deadline.dueAt, jobDueAt: dueAt });
  }
  return deadline;
}

function markReminded({ complaint, now }: Context, kind: DeadlineKind, dueAt: string): Outcome {
  const deadline = activeDeadline(complaint, kind, dueAt);
  if (deadline.remindedAt) throw new ConflictError('already_reminded', '该期限已提醒过', { remindedAt: deadline.remindedAt });
  if (now.getTime() < Date.parse(deadline.remindAt)) {
    throw new ConflictError('reminder_not_due', '尚未到提醒时间', { remindAt: deadline.remindAt });
  }
  return {
    set: { deadlines: { ...complaint.deadlines, [kind]: { ...deadline, remindedAt: now.toISOString() } } },
    data: { deadline: kind, dueDate: deadline.dueDate, assigneeId: complaint.assigneeId },
  };
}

function markOverdue({ complaint, now }: Context, dueAt: string): Outcome {
  const deadline = activeDeadline(complaint, 'verification', dueAt);
  if (complaint.overdue) throw new ConflictError('already_overdue', '案件已标记为逾期', {});
  if (!isPastDeadline(deadline, now)) {
    throw new ConflictError('deadline_not_passed', '核查期限尚未届满', { dueDate: deadline.dueDate });
  }
  return { set: { overdue: true }, data: { deadline: 'verification', dueDate: deadline.dueDate } };
}

function recount({ complaint, calendar }: Context, kind: DeadlineKind): Outcome {
  const deadline = complaint.deadlines[kind];
  if (activeDeadlineKind(complaint.state) !== kind || !deadline) {
    throw new ConflictError('deadline_not_active', `当前状态下 ${kind} 期限不在计时`, { state: complaint.state, deadline: kind });
  }
  if (!deadline.provisional) throw new ConflictError('deadline_not_provisional', '该期限已按官方放假安排计算', { dueDate: deadline.dueDate });
  const recounted: TrackedDeadline = { ...deadline, ...recountDeadline(deadline, calendar) };
  if (recounted.dueDate === deadline.dueDate && recounted.remindAt === deadline.remindAt && recounted.provisional) {
    throw new ConflictError('deadline_unchanged', '现有放假安排仍未覆盖该期限，期限不变', { dueDate: deadline.dueDate });
  }
  return {
    set: { deadlines: { ...complaint.deadlines, [kind]: recounted } },
    comment: `按已载入的放假安排重新计算：期限由 ${deadline.dueDate} 改为 ${recounted.dueDate}${recounted.provisional ? '（仍有年份暂按周一至周五计算）' : ''}`,
    data: { deadline: kind, previousDueDate: deadline.dueDate, dueDate: recounted.dueDate, provisional: recounted.provisional },
    effects: [scheduleJobs(complaint, kind, recounted)],
  };
}

// ---------- helpers ----------

function scheduleJobs(complaint: Complaint, deadline: DeadlineKind, d: TrackedDeadline): ComplaintEffect {
  return { kind: 'schedule_deadline_jobs', complaintId: complaint.id, deadline, remindAt: d.remindAt, dueAt: d.dueAt };
}

/** A required text field, trimmed; absent or blank is a missing precondition of `action`. */
function required(value: string | undefined, field: string, action: ComplaintCommand['action']): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') failMissing(action, [field]);
  return text;
}

function extensionDateProblems(newDueDate: string, currentDueDate: LocalDate, now: Date): Problem[] {
  if (!isLocalDate(newDueDate)) return [{ path: 'newDueDate', message: '应为 YYYY-MM-DD 格式的日期' }];
  if (newDueDate <= currentDueDate) return [{ path: 'newDueDate', message: `应晚于当前期限 ${currentDueDate}` }];
  if (endOfShanghaiDay(newDueDate).getTime() < now.getTime()) {
    return [{ path: 'newDueDate', message: `不能早于今天 ${shanghaiDateOf(now)}` }];
  }
  return [];
}

// ---------- intake ----------

/** What intake knows of a new case: its identity, the reporter's submission and the hashed access code. */
export type NewComplaintInput = Pick<Complaint, 'id' | 'refNo' | 'accessCodeHash' | 'reporter' | 'target' | 'description' | 'attachments'>;

/**
 * A new case in `received` with no events yet, and its first event: the repository inserts the document with
 * that event sealed onto the shared hash chain. The reporter's identity stays out of the event.
 */
export function createComplaint(
  input: NewComplaintInput,
  now: Date,
  actor: SupervisionActor = reporterActor(input.refNo),
): { complaint: Complaint; event: UnsealedComplaintEvent } {
  const absent = [
    ...(input.reporter.name?.trim() ? [] : ['reporter.name']),
    ...(input.reporter.contact?.trim() ? [] : ['reporter.contact']),
    ...(input.description?.trim() ? [] : ['description']),
    ...(input.target.policyId?.trim() || input.target.measureText?.trim() ? [] : ['target.policyId|target.measureText']),
  ];
  throwIfInvalid(absent.map((path) => ({ path, message: '必填' })));
  const at = now.toISOString();
  const complaint: Complaint = {
    ...input,
    description: input.description.trim(),
    state: 'received',
    rev: 0,
    receivedAt: at,
    assigneeId: null,
    deadlines: {},
    overdue: false,
    supplementRequest: null,
    notAccepted: null,
    transfer: null,
    finding: null,
    reply: null,
    pendingRecheck: null,
    events: [],
    reporterReads: [],
  };
  const event: UnsealedComplaintEvent = {
    actor: { id: actor.id, username: actor.username },
    action: 'receive',
    from: null,
    to: 'received',
    at,
    comment: '',
    data: { refNo: input.refNo, attachmentCount: input.attachments.length },
  };
  return { complaint, event };
}

/** e.g. JB-20261122-0007: 举报 + Shanghai date of receipt + the day's sequence number (from the store). */
export function generateRefNo(now: Date, seq: number): string {
  if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`sequence must be a positive integer: ${seq}`);
  return `JB-${shanghaiDateOf(now).replaceAll('-', '')}-${String(seq).padStart(4, '0')}`;
}

/** No 0/O, 1/I/L: the code is read off paper and typed by hand. */
export const ACCESS_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const ACCESS_CODE_LENGTH = 10;

/**
 * A random access code (31^10 ≈ 2^49). `randomBytes` is crypto.randomBytes in production. Bytes at or above
 * the largest multiple of the alphabet size are discarded, so every character is equally likely.
 */
export function generateAccessCode(randomBytes: (size: number) => Uint8Array): string {
  const n = ACCESS_CODE_ALPHABET.length;
  const limit = 256 - (256 % n);
  let code = '';
  while (code.length < ACCESS_CODE_LENGTH) {
    for (const byte of randomBytes(ACCESS_CODE_LENGTH * 2)) {
      if (byte < limit && code.length < ACCESS_CODE_LENGTH) code += ACCESS_CODE_ALPHABET[byte % n];
    }
  }
  return code;
}
