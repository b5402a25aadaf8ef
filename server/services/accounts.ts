/** Use cases of accounts and the directories: signing in, who is signed in, the user and department lists. */
import bcrypt from 'bcryptjs';
import mongoose from 'mongoose';
import { UnauthenticatedError, ForbiddenError } from '../domain/errors';
import { userAllowedActions } from '../domain/permissions/allowedActions';
import { listUsersRefusal } from '../domain/permissions/supervision';
import type { Actor, Role } from '../domain/roles';
import type { ServiceDeps } from './deps';

type Deps = Pick<ServiceDeps, 'models'>;

/** A hash of a password nobody has, so an unknown user costs as much time as a wrong password. */
const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', 10);

export function publicUser(user: { _id: unknown; username: string; displayName: string; role: string; departmentId: unknown }, departmentName?: string) {
  return { id: String(user._id), username: user.username, displayName: user.displayName, role: user.role, departmentId: String(user.departmentId), departmentName: departmentName ?? '' };
}

/**
 * The active account with this password and its session epoch (tokens are issued for it); the same 401 for an
 * unknown user and a wrong password.
 */
export async function checkCredentials(deps: Deps, username: string, password: string) {
  const user = await deps.models.User.findOne({ username, active: true }).lean();
  const ok = await bcrypt.compare(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok) throw new UnauthenticatedError('invalid_credentials', '用户名或密码错误');
  const department = await deps.models.Department.findById(user.departmentId).lean();
  return { user: publicUser(user, department?.name), sessionEpoch: user.sessionEpoch ?? 0 };
}

/** Signing out revokes every token issued to the user so far (the session epoch moves on). */
export async function revokeSessions(deps: Deps, actor: Actor): Promise<void> {
  await deps.models.User.updateOne({ _id: actor.id }, { $inc: { sessionEpoch: 1 } });
}

/**
 * A new password, given the current one; every earlier token is revoked. Returns the new session epoch, for the
 * token the caller keeps working with.
 */
export async function changePassword(deps: Deps, actor: Actor, currentPassword: string, newPassword: string): Promise<number> {
  const user = await deps.models.User.findById(actor.id).lean();
  if (!user || !(await bcrypt.compare(currentPassword, user.passwordHash))) throw new UnauthenticatedError('invalid_credentials', '当前密码错误');
  const updated = await deps.models.User.findOneAndUpdate(
    { _id: actor.id },
    { $set: { passwordHash: await bcrypt.hash(newPassword, 10) }, $inc: { sessionEpoch: 1 } },
    { new: true },
  ).lean();
  return updated?.sessionEpoch ?? 0;
}

/** The signed-in user and what they may start (allowedActions). */
export async function currentUser(deps: Deps, actor: Actor) {
  const user = await deps.models.User.findById(actor.id).lean();
  const department = await deps.models.Department.findById(actor.departmentId).lean();
  return { user: publicUser(user!, department?.name), allowedActions: userAllowedActions(actor) };
}

/** Active accounts of a role, for those who assign them (see listUsersRefusal). */
export async function listUsers(deps: Deps, actor: Actor, role: Role | undefined) {
  const refusal = listUsersRefusal(actor, role);
  if (refusal) throw new ForbiddenError('forbidden', refusal);
  const users = await deps.models.User.find({ active: true, ...(role ? { role } : {}) }).sort({ username: 1 }).lean();
  const departments = await deps.models.Department.find({ _id: mongoose.trusted({ $in: users.map((u) => u.departmentId) }) }).lean();
  const departmentName = new Map(departments.map((d) => [String(d._id), d.name]));
  return { items: users.map((u) => publicUser(u, departmentName.get(String(u.departmentId)))) };
}

export async function listDepartments(deps: Deps) {
  const departments = await deps.models.Department.find({}).sort({ code: 1 }).lean();
  return departments.map((d) => ({ id: String(d._id), code: d.code, name: d.name, kind: d.kind }));
}
