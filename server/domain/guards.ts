/**
 * The checks every workflow decision makes, each throwing the error type its failure maps to:
 * wrong state or stale revision → ConflictError (409), wrong role or department → ForbiddenError (403),
 * a value present but wrong → ValidationError (400), something required absent → PreconditionError (422).
 */
import { actionName, describeMissing, fieldName } from './fieldNames';
import { ConflictError, ForbiddenError, PreconditionError, ValidationError } from './errors';
import type { Actor } from './roles';
import type { Policy, PolicyState } from './policy';
import { POLICY_STATE_LABELS } from '../../checklists/vocabulary';
import { endOfShanghaiDay } from './workingDays';

export function assertState(policy: Pick<Policy, 'state'>, allowed: readonly PolicyState[], action: string): void {
  if (allowed.includes(policy.state)) return;
  throw new ConflictError('wrong_state', `政策措施处于「${POLICY_STATE_LABELS[policy.state]}」状态，不能执行 ${action}`, {
    action,
    state: policy.state,
    allowedFrom: [...allowed],
  });
}

export function assertRev(policy: Pick<Policy, 'rev'>, rev: unknown): void {
  if (!Number.isInteger(rev)) {
    throw new ValidationError('invalid_command', '缺少版本号 rev 或格式不正确', { problems: [{ path: 'rev', message: '应为整数' }] });
  }
  if (rev !== policy.rev) {
    throw new ConflictError('stale_rev', '政策措施已被他人修改，请刷新后重试', { expectedRev: policy.rev, rev });
  }
}

export function forbid(action: string, reason: string): never {
  throw new ForbiddenError('forbidden', `无权执行 ${action}：${reason}`, { action, reason });
}

/** A member of the policy's drafting department holding one of `roles`. */
export function isDraftingStaff(
  policy: Pick<Policy, 'draftingDepartmentId'>,
  actor: Actor,
  roles: readonly Actor['role'][] = ['drafter', 'drafting_lead'],
): boolean {
  return roles.includes(actor.role) && actor.departmentId === policy.draftingDepartmentId;
}

export function throwIfMissing(action: string, missing: readonly string[]): void {
  if (missing.length > 0) failMissing(action, missing);
}

export function failMissing(action: string, missing: readonly string[]): never {
  throw new PreconditionError('missing_preconditions', `${actionName(action)}缺少必要条件：${describeMissing(missing)}`, {
    action,
    missing: [...missing],
  });
}

export interface Problem {
  path: string;
  message: string;
}

export function throwIfInvalid(problems: readonly Problem[]): void {
  if (problems.length === 0) return;
  throw new ValidationError('invalid_command', problems.map((p) => `${fieldName(p.path)}：${p.message}`).join('；'), {
    problems: [...problems],
  });
}

export function isBlank(value: unknown): boolean {
  return typeof value !== 'string' || value.trim() === '';
}

/** Adds `name` to `missing` when `value` is absent; a present value that is not a string is a problem. */
export function checkText(value: unknown, name: string, missing: string[], problems: Problem[]): void {
  if (value === undefined || value === null) missing.push(name);
  else if (typeof value !== 'string') problems.push({ path: name, message: '应为文本' });
  else if (value.trim() === '') missing.push(name);
}

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Parses a deadline or date: a full ISO 8601 instant, or a calendar date 'YYYY-MM-DD' meaning the end of that
 * day in Asia/Shanghai (the convention of `workingDays.ts`). Returns a normalised ISO string, or undefined.
 */
export function parseInstant(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (LOCAL_DATE.test(value)) {
    return parseLocalDate(value) && endOfShanghaiDay(value).toISOString();
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** A real calendar date 'YYYY-MM-DD', or undefined. */
export function parseLocalDate(value: unknown): string | undefined {
  if (typeof value !== 'string' || !LOCAL_DATE.test(value)) return undefined;
  const ms = Date.parse(`${value}T00:00:00Z`);
  // Date.parse rolls 2025-02-30 over to March; a real date survives the round trip.
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value ? value : undefined;
}

/** A required future instant: absent → missing, unparseable or not after `now` → problem. */
export function checkFutureInstant(value: unknown, name: string, now: Date, missing: string[], problems: Problem[]): string | undefined {
  if (value === undefined || value === null || value === '') {
    missing.push(name);
    return undefined;
  }
  const instant = parseInstant(value);
  if (!instant) problems.push({ path: name, message: '日期格式不正确' });
  else if (Date.parse(instant) <= now.getTime()) problems.push({ path: name, message: '应晚于当前时间' });
  return instant;
}
