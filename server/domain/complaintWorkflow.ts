/**
 * The complaint workflow (条例22; 办法37–38) as pure decisions.
 *
 * A route loads the complaint, calls `decideComplaintTransition(complaint, actor, command, now, calendar)` and
 * either maps the thrown AppError to HTTP or applies the decision as ONE conditional single-document update:
 *
 *   findOneAndUpdate({ _id, state: guard.state, rev: guard.rev },
 *                    { $set: set, $push: { events: sealEvent(event, complaint.events) } })
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
 * Without a state change: assign, extend (regulator), mark_reminded and mark_overdue (system).
 */
import { ConflictError, ForbiddenError, PreconditionError, ValidationError } from '../errors';
import {
  COMPLAINT_STATES,
  TERMINAL_COMPLAINT_STATES,
  type AttachmentMeta,
  type Complaint,
  type ComplaintDeadlines,
  type ComplaintState,
  type ComplaintTarget,
  type Reporter,
  type TrackedDeadline,
  type UnsealedComplaintEvent,
} from './complaint';
import { reporterActor, type SupervisionActor } from './supervisionActor';
import {
  deadlineOnDate,
  endOfShanghaiDay,
  isLocalDate,
  isPastDeadline,
  shanghaiDateOf,
  supplementDeadline,
  verificationDeadline,
  type LocalDate,
  type WorkingDayCalendar,
} from './workingDays';

// ---------- commands ----------

type Base = { expectedRev: number; comment?: string };
export type DeadlineKind = keyof ComplaintDeadlines;

export type ComplaintCommand =
  | (Base & { type: 'assign'; assignee: { id: string; role: string } })
  | (Base & { type: 'request_supplement'; items: string[] })
  | (Base & { type: 'submit_supplement'; note?: string; attachments?: AttachmentMeta[] })
  | (Base & { type: 'lapse' })
  | (Base & { type: 'accept' })
  | (Base & { type: 'reject'; reason: string })
  | (Base & { type: 'transfer'; toAuthority: string; reason: string })
  | (Base & { type: 'start_verification' })
  | (Base & { type: 'extend'; newDueDate: LocalDate; reason: string })
  | (Base & { type: 'conclude_violation'; summary: string; policyId?: string })
  | (Base & { type: 'conclude_no_violation'; summary: string })
  | (Base & { type: 'reply'; text: string })
  | (Base & { type: 'close' })
  /** `dueAt` is the deadline the job was scheduled for; a job for a deadline since extended is refused */
  | (Base & { type: 'mark_reminded'; deadline: DeadlineKind; dueAt: string })
  | (Base & { type: 'mark_overdue'; dueAt: string });

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

// ---------- who may do what, from where ----------

type Permission = 'case' | 'case_or_reporter' | 'assign' | 'approve_extension' | 'system';

const NON_TERMINAL = COMPLAINT_STATES.filter((s) => !TERMINAL_COMPLAINT_STATES.includes(s));
const CONCLUDED: readonly ComplaintState[] = ['not_accepted', 'violation_confirmed', 'no_violation'];

const RULES: Record<ComplaintCommand['type'], { from: readonly ComplaintState[]; may: Permission }> = {
  assign: { from: NON_TERMINAL, may: 'assign' },
  request_supplement: { from: ['received'], may: 'case' },
  submit_supplement: { from: ['supplement_requested'], may: 'case_or_reporter' },
  lapse: { from: ['supplement_requested'], may: 'system' },
  accept: { from: ['received'], may: 'case' },
  reject: { from: ['received'], may: 'case' },
  transfer: { from: ['received', 'supplement_requested', 'accepted', 'verifying'], may: 'case' },
  start_verification: { from: ['accepted'], may: 'case' },
  extend: { from: ['accepted', 'verifying'], may: 'approve_extension' },
  conclude_violation: { from: ['verifying'], may: 'case' },
  conclude_no_violation: { from: ['verifying'], may: 'case' },
  reply: { from: CONCLUDED, may: 'case' },
  close: { from: [...CONCLUDED, 'replied'], may: 'case' },
  mark_reminded: { from: ['supplement_requested', 'accepted', 'verifying'], may: 'system' },
  mark_overdue: { from: ['accepted', 'verifying'], may: 'system' },
};

export function isAssignedHandler(actor: SupervisionActor, complaint: Pick<Complaint, 'assigneeId'>): boolean {
  return actor.role === 'complaint_handler' && complaint.assigneeId === actor.id;
}

function isPermitted(permission: Permission, actor: SupervisionActor, complaint: Complaint): boolean {
  switch (permission) {
    case 'case':
      return actor.role === 'admin' || isAssignedHandler(actor, complaint);
    case 'case_or_reporter':
      return isPermitted('case', actor, complaint) || actor.id === reporterActor(complaint.refNo).id;
    case 'assign':
      // a handler may only claim an unassigned case for themselves (checked again in `assign`)
      return actor.role === 'admin' || actor.role === 'regulator' || (actor.role === 'complaint_handler' && complaint.assigneeId === null);
    case 'approve_extension':
      return actor.role === 'admin' || actor.role === 'regulator';
    case 'system':
      return actor.role === 'system';
  }
}

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
  const rule = RULES[command.type];
  if (!rule) throw new ValidationError('unknown_action', `未知操作：${String(command.type)}`, { action: command.type });
  if (!isPermitted(rule.may, actor, complaint)) {
    throw new ForbiddenError('not_permitted', '无权对该举报执行此操作', { action: command.type, role: actor.role });
  }
  if (command.expectedRev !== complaint.rev) {
    throw new ConflictError('stale_revision', '举报已被他人修改，请刷新后重试', { expectedRev: command.expectedRev, rev: complaint.rev });
  }
  if (!rule.from.includes(complaint.state)) {
    throw new ConflictError('illegal_transition', `举报当前状态（${complaint.state}）不允许此操作`, {
      action: command.type,
      state: complaint.state,
      allowedFrom: rule.from,
    });
  }

  const outcome = decideOutcome({ complaint, actor, now, calendar }, command);
  const to = outcome.to ?? complaint.state;
  return {
    guard: { state: complaint.state, rev: complaint.rev },
    set: { ...outcome.set, state: to, rev: complaint.rev + 1 },
    event: {
      actor: { id: actor.id, username: actor.username },
      action: command.type,
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
  switch (command.type) {
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
      const reason = required(command.reason, 'reason');
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
      const summary = required(command.summary, 'summary');
      const finding = { outcome: 'no_violation' as const, summary, policyId: ctx.complaint.target.policyId ?? null, at: ctx.now.toISOString() };
      return { to: 'no_violation', set: { finding, overdue: false }, comment: summary };
    }
    case 'reply': {
      const text = required(command.text, 'text');
      return { to: 'replied', set: { reply: { text, at: ctx.now.toISOString() } } };
    }
    case 'close':
      return { to: 'closed' };
    case 'mark_reminded':
      return markReminded(ctx, command.deadline, command.dueAt);
    case 'mark_overdue':
      return markOverdue(ctx, command.dueAt);
  }
}

// ---------- one function per action ----------

function assign({ complaint, actor }: Context, assignee: { id: string; role: string }): Outcome {
  if (assignee.role !== 'complaint_handler') {
    throw new ValidationError('assignee_not_handler', '只能指派给举报处理人员', { assigneeId: assignee.id, role: assignee.role });
  }
  if (actor.role === 'complaint_handler' && assignee.id !== actor.id) {
    throw new ForbiddenError('not_permitted', '举报处理人员只能认领未指派的案件给自己', { assigneeId: assignee.id });
  }
  if (complaint.assigneeId === assignee.id) {
    throw new ConflictError('already_assigned', '案件已指派给该处理人员', { assigneeId: assignee.id });
  }
  return { set: { assigneeId: assignee.id }, data: { assigneeId: assignee.id, previousAssigneeId: complaint.assigneeId } };
}

function requestSupplement({ complaint, now, calendar }: Context, items: string[]): Outcome {
  const cleaned = (items ?? []).map((item) => item.trim()).filter(Boolean);
  if (cleaned.length === 0) throw missing('items', '请写明需要补正的内容');
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
  if (text === '' && attachments.length === 0) throw missing('note', '请填写补正说明或上传补正材料');
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
  if (complaint.assigneeId === null) throw missing('assignee', '请先指派处理人员');
  const deadline = verificationDeadline(now, calendar);
  return {
    to: 'accepted',
    set: { deadlines: { ...complaint.deadlines, verification: deadline }, overdue: false },
    data: { dueDate: deadline.dueDate },
    effects: [scheduleJobs(complaint, 'verification', deadline)],
  };
}

function transfer({ now }: Context, toAuthority: string, reason: string): Outcome {
  const authority = required(toAuthority, 'toAuthority');
  const why = required(reason, 'reason');
  return {
    to: 'transferred',
    set: { transfer: { toAuthority: authority, reason: why, at: now.toISOString() }, overdue: false },
    comment: why,
    data: { toAuthority: authority },
  };
}

function extend({ complaint, actor, now, calendar }: Context, newDueDate: LocalDate, reason: string): Outcome {
  const current = complaint.deadlines.verification;
  if (!current) throw missing('verification_deadline', '案件没有核查期限');
  if (!isLocalDate(newDueDate)) throw new ValidationError('invalid_date', '延期日期格式应为 YYYY-MM-DD', { newDueDate });
  if (newDueDate <= current.dueDate) {
    throw new ValidationError('extension_not_later', `延期日期须晚于当前期限 ${current.dueDate}`, { newDueDate, dueDate: current.dueDate });
  }
  if (endOfShanghaiDay(newDueDate).getTime() < now.getTime()) {
    throw new ValidationError('extension_in_past', '延期日期不能早于今天', { newDueDate, today: shanghaiDateOf(now) });
  }
  const why = required(reason, 'reason');
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

function concludeViolation({ complaint, now }: Context, summary: string, policyIdArg: string | undefined): Outcome {
  const text = required(summary, 'summary');
  const policyId = policyIdArg?.trim() || complaint.target.policyId;
  if (!policyId) throw missing('policyId', '核查属实须关联被举报的政策措施');
  const target: ComplaintTarget = { ...complaint.target, policyId };
  return {
    to: 'violation_confirmed',
    set: { finding: { outcome: 'violation', summary: text, policyId, at: now.toISOString() }, target, overdue: false },
    comment: text,
    data: { policyId },
    effects: [{ kind: 'open_policy_recheck', policyId, source: 'complaint', refId: complaint.id, reason: `举报 ${complaint.refNo} 核查属实：${text}` }],
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

// ---------- helpers ----------

function scheduleJobs(complaint: Complaint, deadline: DeadlineKind, d: TrackedDeadline): ComplaintEffect {
  return { kind: 'schedule_deadline_jobs', complaintId: complaint.id, deadline, remindAt: d.remindAt, dueAt: d.dueAt };
}

function missing(field: string, message: string): PreconditionError {
  return new PreconditionError('missing_precondition', message, { missing: [field] });
}

function required(value: string | undefined, field: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') throw missing(field, `缺少必填项：${field}`);
  return text;
}

// ---------- intake ----------

export interface NewComplaintInput {
  id: string;
  refNo: string;
  accessCodeHash: string;
  reporter: Reporter;
  target: ComplaintTarget;
  description: string;
  attachments: AttachmentMeta[];
}

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
  if (absent.length > 0) throw new ValidationError('invalid_complaint', '举报信息不完整', { missing: absent });
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
