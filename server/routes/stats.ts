/**
 * Statistics for supervisors: GET /api/v1/stats/overview?from=&to=&department= (regulators and admins). The
 * figures come from `statisticsOverview` (server/services/statistics.ts); the `statistics` DOCX report shows them too.
 * GET /stats/charts: the figures the statistics page charts, for the same period and department.
 */
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { ApiRouter } from '../http/endpoint';
import { isoDate, objectId } from '../http/schemas';
import { statisticsCharts, statisticsOverview } from '../services/statistics';

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

  api.endpoint({
    method: 'get',
    path: '/stats/charts',
    summary: '统计图表数据（与统计概览同一期间和单位）：按月趋势、按起草单位、举报办理结果、举报限时办结情况',
    tag: 'stats',
    auth: 'user',
    query: overviewQuery,
    responses: { 400: '请求参数不合法', 403: '只有审查员或管理员可以查看统计' },
  }, ({ actor, query }) => statisticsCharts(deps, actor, query));

  return api;
}
