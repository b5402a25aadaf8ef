/**
 * Use cases of 系统管理: administrators create accounts, change their name, department and role, disable and
 * enable them, reset passwords; and create and rename departments. Disabling an account and resetting its
 * password revoke every token issued to it so far (the session epoch moves on); a disabled account cannot sign in.
 */
import { rebuildPolicySummaries } from '../db/policySummaries';
import bcrypt from 'bcryptjs';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors';
import { manageAccountsRefusal, selfLockoutRefusal } from '../domain/permissions/accounts';
import type { Actor, DepartmentKind, Role } from '../domain/roles';
import { isObjectIdHex } from '../db/storedValues';
import type { ServiceDeps } from './deps';

type Deps = Pick<ServiceDeps, 'models'>;

export interface NewAccount { username: string; displayName: string; departmentId: string; role: Role; password: string }
export interface AccountChange { displayName?: string; departmentId?: string; role?: Role; active?: boolean }
export interface NewDepartment { code: string; name: string; kind: DepartmentKind }

function assertAdmin(actor: Actor): void {
  const refusal = manageAccountsRefusal(actor);
  if (refusal) throw new ForbiddenError('forbidden', refusal);
}

interface StoredAccount { _id: unknown; username: string; displayName: string; role: string; departmentId: unknown; active?: boolean | null; updatedAt?: Date }

function accountView(user: StoredAccount, departmentName: string) {
  return {
    id: String(user._id),
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    departmentId: String(user.departmentId),
    departmentName,
    active: user.active !== false,
  };
}

async function departmentNameOf(deps: Deps, departmentId: unknown): Promise<string> {
  const department = await deps.models.Department.findById(departmentId).lean();
  return department?.name ?? '';
}

/** The department a request names, or 400 naming the field: a body field that points nowhere is a wrong value. */
async function existingDepartment(deps: Deps, departmentId: string): Promise<void> {
  const found = isObjectIdHex(departmentId) && (await deps.models.Department.exists({ _id: departmentId }));
  if (!found) throw new ValidationError('unknown_department', '所属单位不存在，请从单位列表中选择', { issues: [{ path: 'body.departmentId', message: '所属单位不存在' }] });
}

async function loadAccount(deps: Deps, id: string): Promise<StoredAccount> {
  const user = isObjectIdHex(id) ? await deps.models.User.findById(id).lean<StoredAccount>() : null;
  if (!user) throw new NotFoundError('user_not_found', '账号不存在');
  return user;
}

/** Every account, disabled ones included, with its department's name. */
export async function listAccounts(deps: Deps, actor: Actor) {
  assertAdmin(actor);
  const [users, departments] = await Promise.all([
    deps.models.User.find({}).sort({ username: 1 }).lean<StoredAccount[]>(),
    deps.models.Department.find({}).lean(),
  ]);
  const names = new Map(departments.map((d) => [String(d._id), d.name]));
  return { items: users.map((u) => accountView(u, names.get(String(u.departmentId)) ?? '')) };
}

export async function createAccount(deps: Deps, actor: Actor, input: NewAccount) {
  assertAdmin(actor);
  await existingDepartment(deps, input.departmentId);
  // Checked first for a clear message; the unique index still decides a race between two creations.
  if (await deps.models.User.exists({ username: input.username })) throw new ConflictError('username_taken', `用户名“${input.username}”已被使用，请换一个`);
  try {
    const created = await deps.models.User.create({
      username: input.username,
      displayName: input.displayName,
      departmentId: input.departmentId,
      role: input.role,
      passwordHash: await bcrypt.hash(input.password, 10),
    });
    return accountView(created.toObject() as StoredAccount, await departmentNameOf(deps, input.departmentId));
  } catch (err) {
    if (err instanceof ConflictError && err.code === 'duplicate_key') throw new ConflictError('username_taken', `用户名“${input.username}”已被使用，请换一个`);
    throw err;
  }
}

/** Name, department, role, or enabled/disabled. Disabling revokes the account's tokens. */
export async function updateAccount(deps: Deps, actor: Actor, id: string, change: AccountChange) {
  assertAdmin(actor);
  await loadAccount(deps, id);
  const refusal = selfLockoutRefusal(actor, id, change);
  if (refusal) throw new ConflictError('self_lockout', refusal);
  if (change.departmentId !== undefined) await existingDepartment(deps, change.departmentId);
  const updated = await deps.models.User.findOneAndUpdate(
    { _id: id },
    { $set: change, ...(change.active === false ? { $inc: { sessionEpoch: 1 } } : {}) },
    { new: true },
  ).lean<StoredAccount>();
  return accountView(updated!, await departmentNameOf(deps, updated!.departmentId));
}

/** A new password set by an administrator; every earlier token of the account is revoked. */
export async function resetPassword(deps: Deps, actor: Actor, id: string, password: string) {
  assertAdmin(actor);
  await loadAccount(deps, id);
  const updated = await deps.models.User.findOneAndUpdate(
    { _id: id },
    { $set: { passwordHash: await bcrypt.hash(password, 10) }, $inc: { sessionEpoch: 1 } },
    { new: true },
  ).lean<StoredAccount>();
  return accountView(updated!, await departmentNameOf(deps, updated!.departmentId));
}

function departmentView(d: { _id: unknown; code: string; name: string; kind: string }) {
  return { id: String(d._id), code: d.code, name: d.name, kind: d.kind };
}

export async function createDepartment(deps: Deps, actor: Actor, input: NewDepartment) {
  assertAdmin(actor);
  if (await deps.models.Department.exists({ code: input.code })) throw new ConflictError('department_code_taken', `单位代码“${input.code}”已被使用，请换一个`);
  try {
    const created = await deps.models.Department.create(input);
    return departmentView(created.toObject());
  } catch (err) {
    if (err instanceof ConflictError && err.code === 'duplicate_key') throw new ConflictError('department_code_taken', `单位代码“${input.code}”已被使用，请换一个`);
    throw err;
  }
}

export async function renameDepartment(deps: Deps, actor: Actor, id: string, name: string) {
  assertAdmin(actor);
  const updated = isObjectIdHex(id) ? await deps.models.Department.findOneAndUpdate({ _id: id }, { $set: { name } }, { new: true }).lean() : null;
  if (!updated) throw new NotFoundError('department_not_found', '单位不存在');
  // the policy list's summaries carry the drafting department's name; a rename is rare, so all are compared again
  await rebuildPolicySummaries(deps.models);
  return departmentView(updated);
}
