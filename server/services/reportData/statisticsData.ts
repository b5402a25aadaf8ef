/**
 * The `statistics` report for a period: the same figures as GET /api/v1/stats/overview (one `loadOverview`),
 * with the names a printed report needs (issuing body, department, checklist item titles).
 */
import { loadChecklists } from '../../../checklists/index';
import type { Models } from '../../db/models/index';
import { loadOverview, type OverviewParams } from '../../db/overview';
import type { StatisticsReportData } from '../../../templates/index';

export { loadOverview };

let itemTitles: Map<string, string> | undefined;
function titleOf(itemId: string): string | null {
  itemTitles ??= new Map(loadChecklists().items.map((item) => [item.id, item.title]));
  return itemTitles.get(itemId) ?? null;
}

export async function loadStatisticsData(models: Models, params: OverviewParams, now: Date): Promise<StatisticsReportData> {
  const overview = await loadOverview(models, params, now);
  const regulator = await models.Department.findOne({ kind: 'regulator' }).sort({ _id: 1 }).lean();
  const department = params.departmentId && /^[a-f0-9]{24}$/i.test(params.departmentId) ? await models.Department.findById(params.departmentId).lean() : null;
  return {
    issuingBody: regulator?.name ?? null,
    scope: params.departmentId ? department?.name ?? params.departmentId : '全部起草单位',
    period: { from: params.from ?? null, to: params.to ?? null },
    generatedOn: now,
    policies: overview.policies,
    flaggedItems: overview.flaggedItems.map((row) => ({ ...row, title: titleOf(row.itemId) })),
    revisionRate: overview.revisionRate.rate,
    turnaroundDays: overview.turnaroundDays,
    complaints: overview.complaints,
    overdue: overview.overdue,
    spotChecks: overview.spotChecks,
  };
}
