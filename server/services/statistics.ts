/**
 * Use cases: the statistics overview for supervisors (the figures the `statistics` DOCX report shows too), and the
 * figures the statistics page charts for the same period and department.
 */
import { loadOverview, type OverviewParams } from '../db/overview';
import { ForbiddenError, ValidationError } from '../domain/errors';
import { statisticsRefusal } from '../domain/permissions/supervision';
import type { Actor } from '../domain/roles';
import type { ServiceDeps } from './deps';
import { loadChartFigures } from './statisticsCharts';

type StatisticsQuery = { from?: string; to?: string; department?: string };

/** Who may read statistics, and a period that does not end before it starts. */
function statisticsParams(actor: Actor, query: StatisticsQuery): OverviewParams {
  const refusal = statisticsRefusal(actor);
  if (refusal) throw new ForbiddenError('forbidden', refusal);
  if (query.from && query.to && query.from > query.to) {
    throw new ValidationError('invalid_request', '统计期间的开始日期晚于结束日期', { issues: [{ path: 'query.from', message: '晚于 to' }] });
  }
  return { from: query.from, to: query.to, departmentId: query.department };
}

export async function statisticsOverview(deps: Pick<ServiceDeps, 'models' | 'clock'>, actor: Actor, query: StatisticsQuery) {
  return loadOverview(deps.models, statisticsParams(actor, query), deps.clock());
}

export async function statisticsCharts(deps: Pick<ServiceDeps, 'models' | 'clock'>, actor: Actor, query: StatisticsQuery) {
  return loadChartFigures(deps.models, statisticsParams(actor, query), deps.clock());
}
