/**
 * Statistics for supervisors: GET /api/v1/stats/overview?from=&to=&department= (regulators and admins). The
 * figures come from `statisticsOverview` (server/services/statistics.ts); the `statistics` DOCX report shows them too.
 */
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { ApiRouter } from '../http/endpoint';
import { isoDate, objectId } from '../http/schemas';
import { statisticsOverview } from '../services/statistics';

const overviewQuery = z.strictObject({
  from: isoDate.optional(),
  to: isoDate.optional(),
  department: objectId.optional(),
});

export function statsRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();

  api.endpoint({
    method: 'get',
    path: '/stats/overview',
    summary: '统计概览：政策措施按状态和结论、审查发现按审查标准、修改率、审查用时中位数和第90百分位、举报按状态、逾期数、抽查问题发现率',
    tag: 'stats',
    auth: 'user',
    query: overviewQuery,
    responses: { 400: '请求参数不合法', 403: '只有审查员或管理员可以查看统计' },
  }, ({ actor, query }) => statisticsOverview(deps, actor, query));

  return api;
}
