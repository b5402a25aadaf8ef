/**
 * Roles and the acting user as the workflow rules see them.
 * The list mirrors `server/db/models/user.ts` (one role per user); the domain keeps its own copy so it imports
 * nothing that touches the store.
 */

export const ROLES = [
  'drafter', // 起草人: drafts and records the self-review for their own department
  'drafting_lead', // 起草单位负责人: signs off their department's self-review conclusion
  'regulator', // 市场监管部门审查员: joint review (会审), supervision, rechecks
  'committee_member', // 会审成员: signs off joint reviews they are assigned to
  'evaluator', // 第三方评估机构: evaluates policies they are assigned to
  'complaint_handler', // 举报处理人员: opens rechecks after a complaint
  'admin', // 系统管理员: accounts and departments; reads everything, makes no review decisions
] as const;

export type Role = (typeof ROLES)[number];

/** What a department is in the process (the store's enum in server/db/models/department.ts mirrors it). */
export const DEPARTMENT_KINDS = ['drafting', 'regulator', 'committee', 'evaluator', 'complaints', 'admin'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

export interface Actor {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  readonly departmentId: string;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function hasRole(actor: Actor, ...roles: readonly Role[]): boolean {
  return roles.includes(actor.role);
}

/** A user record as loaded from the store (ids may be ObjectIds). */
export interface UserLike {
  readonly id?: unknown;
  readonly _id?: unknown;
  readonly username: string;
  readonly role: string;
  readonly departmentId: unknown;
}

/** Builds the Actor for a loaded user; an unknown role is a data error, not something to guess around. */
export function toActor(user: UserLike): Actor {
  if (!isRole(user.role)) throw new TypeError(`unknown role: ${String(user.role)}`);
  return {
    id: String(user.id ?? user._id),
    username: user.username,
    role: user.role,
    departmentId: String(user.departmentId),
  };
}
