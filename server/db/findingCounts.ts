import type { FindingStatus } from '../domain/conclusion';
import type { FindingCounts } from '../domain/policy';
import { sumBy } from './aggregate';
import type { Models } from './models/index';

/** Each finding of one version with its decision status (what a conclusion is checked against). */
export async function findingStatuses(models: Models, policyId: string, versionN: number | undefined): Promise<FindingStatus[]> {
  if (versionN === undefined) return [];
  const findings = await models.Finding.find({ policyId, versionN }, { itemId: 1, path: 1, decision: 1 }).sort({ start: 1, itemId: 1 }).lean();
  return findings.map((f) => ({ id: String(f._id), itemId: f.itemId, path: f.path ?? '', status: f.decision?.status ?? 'pending' }));
}

/** The findings of one version by reviewer decision (one $group, one accumulator: see sumBy). */
export async function countFindings(models: Models, policyId: string, versionN: number): Promise<FindingCounts> {
  const byStatus = await sumBy(models.Finding, { policyId, versionN }, '$decision.status');
  const count = (status: string) => byStatus.get(status) ?? 0;
  return {
    total: count('pending') + count('confirmed') + count('dismissed'),
    open: count('pending'),
    confirmed: count('confirmed'),
    dismissed: count('dismissed'),
  };
}
