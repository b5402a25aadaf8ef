/**
 * The user directory, for picking joint-review members, third-party evaluators and complaint handlers. Only those
 * who assign them may list them, and only the roles they assign: drafting leads and regulators the members and
 * evaluators (request_joint_review / request_evaluation), regulators also the complaint handlers (complaint
 * `assign`); administrators may list every account.
 */
import mongoose from 'mongoose';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { ForbiddenError } from '../errors';
import { ApiRouter } from '../http/endpoint';
import { roles, type Role } from '../db/models/user';

/** The roles each assigning role may list. */
const ASSIGNABLE_ROLES: Partial<Record<Role, readonly Role[]>> = {
  drafting_lead: ['committee_member', 'evaluator'],
  regulator: ['committee_member', 'evaluator', 'complaint_handler'],
};

const usersQuery = z.strictObject({
  role: z.enum(roles).optional(),
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
    if (actor.role !== 'admin') {
      const assignable = ASSIGNABLE_ROLES[actor.role];
      if (!assignable) {
        throw new ForbiddenError('forbidden', '只有起草单位负责人、市场监管部门或管理员可以查看用户列表');
      }
      if (!query.role || !assignable.includes(query.role)) {
        throw new ForbiddenError('forbidden', `只能查看您可以指派的用户（role=${assignable.join(' | ')}）`);
      }
    }
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
