/**
 * The user directory, for picking joint-review members, third-party evaluators and complaint handlers. Only those
 * who assign them may list them, and only the roles they assign: drafting leads and regulators the members and
 * evaluators (request_joint_review / request_evaluation), regulators also the complaint handlers (complaint
 * `assign`); administrators may list every account.
 */
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { ApiRouter } from '../http/endpoint';
import { ROLES } from '../domain/roles';
import { listUsers } from '../services/accounts';

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
  }, ({ actor, query }) => listUsers(deps, actor, query.role));

  return api;
}
