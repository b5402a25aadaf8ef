/**
 * The department directory (GET /departments), for pickers: the drafting departments a spot check covers, the
 * department a statistics overview is limited to. Every signed-in user may read it; department names are not
 * confidential, but the list is not public either.
 */
import type { AppDeps } from '../appDeps';
import { ApiRouter } from '../http/endpoint';
import { listDepartments } from '../services/accounts';

export function departmentRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();

  api.endpoint({
    method: 'get',
    path: '/departments',
    summary: '单位列表（抽查范围、统计筛选）',
    tag: 'departments',
    auth: 'user',
  }, () => listDepartments(deps));

  return api;
}
