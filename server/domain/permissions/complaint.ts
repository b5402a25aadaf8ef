/**
 * Who may do what to a complaint (举报), and from which states: the one place for it. The complaint workflow
 * checks these rules before deciding; `complaintAllowedActions` (allowedActions.ts) reports them to the client.
 */
import { COMPLAINT_STATES, TERMINAL_COMPLAINT_STATES, type Complaint, type ComplaintAction, type ComplaintState } from '../complaint';
import type { Actor, Role } from '../roles';
import { reporterActor, type SupervisionActor } from '../supervisionActor';

type Permission = 'case' | 'case_or_reporter' | 'reporter' | 'assign' | 'approve_extension' | 'system';

const NON_TERMINAL = COMPLAINT_STATES.filter((s) => !TERMINAL_COMPLAINT_STATES.includes(s));
const CONCLUDED: readonly ComplaintState[] = ['not_accepted', 'violation_confirmed', 'no_violation'];

const REFUSALS: Record<Permission, string> = {
  case: '只有被指派的举报处理人员或管理员可以办理该案件',
  case_or_reporter: '只有举报人本人、被指派的举报处理人员或管理员可以提交补正',
  reporter: '只有举报人本人可以评价办理情况',
  assign: '只有管理员或市场监管部门审查员可以指派；举报处理人员只能认领未指派的案件',
  approve_extension: '延期须经市场监管部门负责人（审查员）或管理员批准',
  system: '只能由系统期限任务执行',
};

/** Every command on a case (`receive` is the intake, which anyone may make). */
export type ComplaintCommandAction = Exclude<ComplaintAction, 'receive'>;

export const COMPLAINT_RULES: Readonly<Record<ComplaintCommandAction, { from: readonly ComplaintState[]; may: Permission }>> = {
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
  recount_deadline: { from: ['supplement_requested', 'accepted', 'verifying'], may: 'system' },
  rate: { from: ['replied', 'closed'], may: 'reporter' },
};

export function isAssignedHandler(actor: SupervisionActor, complaint: Pick<Complaint, 'assigneeId'>): boolean {
  return actor.role === 'complaint_handler' && complaint.assigneeId === actor.id;
}

function isPermitted(permission: Permission, actor: SupervisionActor, complaint: Complaint): boolean {
  switch (permission) {
    case 'case':
      return actor.role === 'admin' || isAssignedHandler(actor, complaint);
    case 'case_or_reporter':
      return isPermitted('case', actor, complaint) || isPermitted('reporter', actor, complaint);
    case 'reporter':
      return actor.id === reporterActor(complaint.refNo).id;
    case 'assign':
      // a handler may only claim an unassigned case for themselves (checked again in `assign`)
      return actor.role === 'admin' || actor.role === 'regulator' || (actor.role === 'complaint_handler' && complaint.assigneeId === null);
    case 'approve_extension':
      return actor.role === 'admin' || actor.role === 'regulator';
    case 'system':
      return actor.role === 'system';
  }
}

/** Why this actor may not take `action` on the case (403), or null when they may. */
export function complaintRefusal(action: ComplaintCommandAction, actor: SupervisionActor, complaint: Complaint): string | null {
  const { may } = COMPLAINT_RULES[action];
  return isPermitted(may, actor, complaint) ? null : REFUSALS[may];
}

/** The actions this actor may attempt now (state and permission only; values are checked on the attempt). */
export function availableComplaintActions(complaint: Complaint, actor: SupervisionActor): ComplaintCommandAction[] {
  return (Object.keys(COMPLAINT_RULES) as ComplaintCommandAction[]).filter(
    (action) => COMPLAINT_RULES[action].from.includes(complaint.state) && isPermitted(COMPLAINT_RULES[action].may, actor, complaint),
  );
}

/** Staff who work on complaints: the list, the cases, their attachments and reply letters. */
export const COMPLAINT_STAFF: readonly Role[] = ['complaint_handler', 'regulator', 'admin'];

export function isComplaintStaff(actor: Actor): boolean {
  return COMPLAINT_STAFF.includes(actor.role);
}

/** The reporter's identity: only the assigned handler and admins see it unmasked (every read is recorded). */
export function maySeeReporter(actor: SupervisionActor, complaint: Pick<Complaint, 'assigneeId'>): boolean {
  return actor.role === 'admin' || isAssignedHandler(actor, complaint);
}
