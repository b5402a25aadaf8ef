/**
 * 待办: what awaits the signed-in user, one task per policy, complaint or spot check on which the API would let
 * them take a step of the work now (as `allowedActions` says), with the deadline that step runs against.
 * Pure: the service loads the candidates, this decides which are tasks and orders them (soonest deadline first).
 */
import type { Complaint } from './complaint';
import { complaintAllowedActions, policyAllowedActions, spotCheckAllowedActions } from './permissions/allowedActions';
import type { Policy, PolicyState } from './policy';
import type { ListSelection } from './policySummary';
import type { Actor } from './roles';
import type { SpotCheck } from './spotCheck';
import { canRead, readScope } from './visibility';

export interface Task {
  kind: 'policy' | 'complaint' | 'spot_check';
  id: string;
  title: string;
  /** the steps open to the user, as action names (their Chinese labels are in the shared vocabulary) */
  actions: string[];
  /** the deadline of the step, an instant or a Shanghai date; null when it has none */
  due: string | null;
  /** what the deadline is for, in Chinese */
  dueLabel: string;
  /** the deadline reaches a year without an official holiday schedule: counted Monday–Friday for now */
  provisional?: boolean;
}

/** Steps that are nobody's duty at any given moment, so not tasks: leaving, reopening, paperwork. */
const NOT_TASKS = new Set(['withdraw', 'abolish', 'open_recheck', 'request_report', 'reanalyse', 'decide_finding', 'upload_version']);

/** Policy states in which nobody has a step of the review to take. */
const SETTLED_POLICY_STATES: readonly PolicyState[] = ['published', 'abolished', 'withdrawn'];

/** The policies that may hold a task for the actor: those they may read that are not settled. */
export function taskCandidates(actor: Actor): ListSelection {
  return { key: JSON.stringify(['tasks', readScope(actor)]), matches: (s) => canRead(s, actor) && !SETTLED_POLICY_STATES.includes(s.state) };
}

export function policyTask(policy: Policy, actor: Actor): Task | null {
  const allowed = policyAllowedActions(policy, actor).filter((a) => a.allowed).map((a) => a.action);
  const actions = allowed.filter((a) => !NOT_TASKS.has(a));
  // A draft without a text: uploading one is the drafter's next step.
  if (policy.state === 'draft' && policy.versions.length === 0 && allowed.includes('upload_version')) actions.push('upload_version');
  if (actions.length === 0) return null;
  const evaluation = policy.evaluations.findLast((e) => e.status === 'requested' && e.evaluatorId === actor.id);
  const [due, dueLabel] = actions.includes('sign_off') && policy.jointReview ? [policy.jointReview.deadline, '会审截止']
    : actions.includes('submit_evaluation') && evaluation ? [evaluation.deadline, '评估截止']
      : [null, ''];
  return { kind: 'policy', id: policy.id, title: policy.title, actions, due, dueLabel };
}

export function complaintTask(complaint: Complaint, actor: Actor): Task | null {
  const actions = complaintAllowedActions(complaint, actor).filter((a) => a.allowed && !NOT_TASKS.has(a.action)).map((a) => a.action);
  if (actions.length === 0) return null;
  const { supplement, verification } = complaint.deadlines;
  const [deadline, dueLabel] = complaint.state === 'supplement_requested' && supplement ? [supplement, '补正期限']
    : verification && ['accepted', 'verifying'].includes(complaint.state) ? [verification, '核查期限']
      : [null, ''];
  return { kind: 'complaint', id: complaint.id, title: `举报 ${complaint.refNo}`, actions, due: deadline?.dueDate ?? null, dueLabel, provisional: Boolean(deadline?.provisional) };
}

export function spotCheckTask(spotCheck: Pick<SpotCheck, 'id' | 'state' | 'entries' | 'createdAt'>, actor: Actor): Task | null {
  const owed = spotCheckAllowedActions(spotCheck, actor);
  if (owed.length === 0) return null;
  return { kind: 'spot_check', id: spotCheck.id, title: `抽查（待登记 ${owed.length} 件）`, actions: ['record_result'], due: null, dueLabel: '' };
}

/** Soonest deadline first (dates compare as their day), tasks without one after, in the given order. */
export function orderTasks(tasks: readonly Task[]): Task[] {
  const day = (t: Task) => (t.due ? t.due.slice(0, 10) : '\uffff');
  return tasks.map((t, i) => ({ t, i })).sort((a, b) => day(a.t).localeCompare(day(b.t)) || a.i - b.i).map(({ t }) => t);
}
