/**
 * Who may manage accounts, departments and the working-day calendar (系统管理): administrators only. An administrator may not lock
 * themselves out: they cannot disable their own account or take the administrator role from it.
 */
import type { Actor, Role } from '../roles';

export function manageAccountsRefusal(actor: Actor): string | null {
  return actor.role === 'admin' ? null : '只有系统管理员可以管理账号和单位';
}

/** Why this change of an account would lock the acting administrator out, or null. */
export function selfLockoutRefusal(actor: Actor, accountId: string, change: { active?: boolean; role?: Role }): string | null {
  if (accountId !== actor.id) return null;
  if (change.active === false) return '不能停用自己的账号';
  if (change.role !== undefined && change.role !== 'admin') return '不能取消自己的系统管理员角色';
  return null;
}

/** Loading a year's official holiday schedule changes every deadline counted in it: administrators only. */
export function manageCalendarRefusal(actor: Actor): string | null {
  return actor.role === 'admin' ? null : '只有系统管理员可以载入放假安排';
}
