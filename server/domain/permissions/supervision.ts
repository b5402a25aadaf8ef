/**
 * Who may organise and see spot checks, read statistics, list users and request each kind of report: the one
 * place for the supervision side's role rules besides complaints (permissions/complaint.ts).
 */
import type { Actor, Role } from '../roles';
import type { SupervisionActor } from '../supervisionActor';

/** Regulators (who supervise, 条例21) and admins organise and see every spot check. */
const SPOT_CHECK_ORGANISERS: readonly Role[] = ['regulator', 'admin'];

export function organiseSpotCheckRefusal(actor: SupervisionActor): string | null {
  return actor.role === 'regulator' || actor.role === 'admin' ? null : '只有市场监管部门审查员或管理员可以组织抽查';
}

export function isSpotCheckOrganiser(actor: Actor): boolean {
  return SPOT_CHECK_ORGANISERS.includes(actor.role);
}

/** Organisers see every spot check; a reviewer sees those they are assigned to. */
export function canSeeSpotCheck(spotCheck: { entries: ReadonlyArray<{ reviewerIds: readonly string[] }> }, actor: Actor): boolean {
  return isSpotCheckOrganiser(actor) || spotCheck.entries.some((e) => e.reviewerIds.includes(actor.id));
}

/** Only the reviewers assigned to a drawn policy record its result: not even an admin records it for them. */
export function recordResultRefusal(entry: { reviewerIds: readonly string[] }, actor: SupervisionActor): string | null {
  return entry.reviewerIds.includes(actor.id) ? null : '只有被指派的审查人员可以登记该政策措施的抽查结果';
}

export function statisticsRefusal(actor: Actor): string | null {
  return actor.role === 'regulator' || actor.role === 'admin' ? null : '只有市场监管部门审查员或管理员可以查看统计';
}

/** The roles each assigning role may list in the user directory (admins list every account). */
export const ASSIGNABLE_ROLES: Readonly<Partial<Record<Role, readonly Role[]>>> = {
  drafting_lead: ['committee_member', 'evaluator'],
  regulator: ['committee_member', 'evaluator', 'complaint_handler'],
};

/** Why this actor may not list users of `role` (undefined: every role), or null when they may. */
export function listUsersRefusal(actor: Actor, role: Role | undefined): string | null {
  if (actor.role === 'admin') return null;
  const assignable = ASSIGNABLE_ROLES[actor.role];
  if (!assignable) return '只有起草单位负责人、市场监管部门或管理员可以查看用户列表';
  if (!role || !assignable.includes(role)) return `只能查看您可以指派的用户（role=${assignable.join(' | ')}）`;
  return null;
}
