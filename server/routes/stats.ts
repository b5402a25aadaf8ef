/**
 * Statistics for supervisors: GET /api/v1/stats/overview?from=&to=&department= (regulators and admins). The
 * figures come from `loadOverview` (server/db/overview.ts), which the `statistics` DOCX report uses too.
 */
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { clockOf } from '../clock';
import { loadOverview } from '../db/overview';
import { statisticsRefusal } from '../domain/permissions/supervision';
import { ForbiddenError, ValidationError } from '../domain/errors';
import { ApiRouter } from '../http/endpoint';
import { isoDate, objectId } from '../http/schemas';

const overviewQuery = z.strictObject({
  from: isoDate.optional(),
  to: isoDate.optional(),
  department: objectId.optional(),
});

export function statsRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();
  const clock = clockOf(deps);

  api.endpoint({
    method: 'get',
    path: '/stats/overview',
    summary: '统计概览：政策措施按状态和结论、审查发现按审查标准、修改率、审查用时中位数和第90百分位、举报按状态、逾期数、抽查问题发现率',
    tag: 'stats',
    auth: 'user',
    query: overviewQuery,
    responses: { 400: '请求参数不合法', 403: '只有审查员或管理员可以查看统计' },
  }, async ({ actor, query }) => {
    const refusal = statisticsRefusal(actor);
    if (refusal) throw new ForbiddenError('forbidden', refusal);
    if (query.from && query.to && query.from > query.to) {
      throw new ValidationError('invalid_request', '统计期间的开始日期晚于结束日期', { issues: [{ path: 'query.from', message: '晚于 to' }] });
    }
    return loadOverview(deps.models, { from: query.from, to: query.to, departmentId: query.department }, clock());
  });

  return api;
}
