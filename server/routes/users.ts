/**
 * The user directory, for picking joint-review members, third-party evaluators and complaint handlers. Only those
 * who assign them may list them, and only the roles they assign: drafting leads and regulators the members and
 * evaluators (request_joint_review / request_evaluation), regulators also the complaint handlers (complaint
 * `assign`); administrators may list every account.
 */
import mongoose from 'mongoose';
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { ForbiddenError } from '../domain/errors';
import { ApiRouter } from '../http/endpoint';
import { ROLES } from '../domain/roles';
import { listUsersRefusal } from '../domain/permissions/supervision';

const usersQuery = z.strictObject({
  role: z.enum(ROLES).optional(),
});

export function userRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();

  api.endpoint({
    method: 'get',
    path: '/users',
    summary: '用户列表（选择会审成员、第三方评估机构、举报承办人）',
    tag: 'users',
    auth: 'user',
    query: usersQuery,
    responses: { 403: '无权查看该类用户' },
  }, async ({ actor, query }) => {
    const refusal = listUsersRefusal(actor, query.role);
    if (refusal) throw new ForbiddenError('forbidden', refusal);
    const users = await deps.models.User.find({ active: true, ...(query.role ? { role: query.role } : {}) }).sort({ username: 1 }).lean();
    const departments = await deps.models.Department.find({ _id: mongoose.trusted({ $in: users.map((u) => u.departmentId) }) }).lean();
    const departmentName = new Map(departments.map((d) => [String(d._id), d.name]));
    return {
      items: users.map((u) => ({
        id: String(u._id),
        username: u.username,
        displayName: u.displayName,
        role: u.role,
        departmentId: String(u.departmentId),
        departmentName: departmentName.get(String(u.departmentId)) ?? '',
      })),
    };
  });

  return api;
}
