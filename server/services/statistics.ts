/** Use case: the statistics overview for supervisors (the figures the `statistics` DOCX report shows too). */
import { loadOverview } from '../db/overview';
import { ForbiddenError, ValidationError } from '../domain/errors';
import { statisticsRefusal } from '../domain/permissions/supervision';
import type { Actor } from '../domain/roles';
import type { ServiceDeps } from './deps';

export async function statisticsOverview(deps: Pick<ServiceDeps, 'models' | 'clock'>, actor: Actor, query: { from?: string; to?: string; department?: string }) {
  const refusal = statisticsRefusal(actor);
  if (refusal) throw new ForbiddenError('forbidden', refusal);
  if (query.from && query.to && query.from > query.to) {
    throw new ValidationError('invalid_request', '统计期间的开始日期晚于结束日期', { issues: [{ path: 'query.from', message: '晚于 to' }] });
  }
  return loadOverview(deps.models, { from: query.from, to: query.to, departmentId: query.department }, deps.clock());
}
