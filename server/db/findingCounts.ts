import type { FindingCounts } from '../domain/policy';
import { sumBy } from './aggregate';
import type { Models } from './models/index';

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
