/**
 * Use cases of the analyser's findings: list a version's findings, a reviewer's decision on one (confirm, or
 * dismiss with a reason), recorded as a decide_finding event of the policy's hash chain and then on the finding,
 * and carrying the previous version's decisions to the unchanged clauses of a newly analysed version (one
 * carry_decisions event). The version's tally (`findingCounts`, shown in lists) is recounted after each decision.
 */
import { FindingRepository, type FindingFilter } from '../db/findingRepository';
import { PolicyRepository } from '../db/policyRepository';
import { NotFoundError } from '../domain/errors';
import {
  carriedDecision,
  carryDecisionsRecord,
  decideFindingRecord,
  planCarriedDecisions,
  recordedCarry,
  type CarriedDecision,
  type FindingDecision,
  type FindingDecisionInput,
} from '../domain/findingReview';
import { latestVersion } from '../domain/policy';
import type { Actor } from '../domain/roles';
import type { ServiceDeps } from './deps';
import { displayNames } from './people';
import { findVersion } from './policyVersions';

type Deps = Pick<ServiceDeps, 'models' | 'clock'>;

/** The findings of version `n`, or of the latest version when `n` is 'latest'. */
export async function listFindings(deps: Deps, actor: Actor, policyId: string, n: string | 'latest', filter: FindingFilter) {
  const policy = await new PolicyRepository(deps.models).findReadable(policyId, actor);
  const version = n === 'latest' ? latestVersion(policy) : findVersion(policy, n);
  if (!version) return { versionN: null, status: null, items: [] };
  const found = await new FindingRepository(deps.models).list(policy.id, version.n, filter);
  const names = await displayNames(deps.models, found.flatMap((f) => [f.decision?.by, f.decision?.carriedFrom?.by]));
  const named = (by: string | null | undefined) => (by ? names[by] : undefined);
  const items = found.map((f) => (f.decision && f.decision.status !== 'pending'
    ? { ...f, decision: { ...f.decision, byDisplayName: named(f.decision.by), ...(f.decision.carriedFrom ? { carriedFrom: { ...f.decision.carriedFrom, byDisplayName: named(f.decision.carriedFrom.by) } } : {}) } }
    : f));
  return { versionN: version.n, status: version.analysis.status, items };
}

export async function decideFinding(deps: Deps, actor: Actor, policyId: string, findingId: string, input: FindingDecisionInput) {
  const policies = new PolicyRepository(deps.models);
  const findings = new FindingRepository(deps.models);
  const policy = await policies.findReadable(policyId, actor);
  const finding = await findings.find(policy.id, findingId);
  if (!finding) throw new NotFoundError('finding_not_found', '问题不存在');
  // The decision goes into the policy's hash chain first (the history is the record), then onto the finding.
  let decision: FindingDecision | undefined;
  await policies.commit(policy.id, actor, (current) => {
    const decided = decideFindingRecord(current, actor, { id: finding.id, versionN: finding.versionN, itemId: finding.itemId, path: finding.path ?? '' }, input, deps.clock());
    decision = decided.decision;
    return decided.patch;
  });
  const updated = await findings.setDecision(finding.id, decision!);
  if (!updated) throw new NotFoundError('finding_not_found', '问题不存在');
  // The tally on the version follows the decisions: recounted, never incremented.
  const version = policy.versions.find((v) => v.n === finding.versionN);
  if (version) {
    const findingCounts = await findings.count(policy.id, finding.versionN);
    await policies.setAnalysis(policy.id, finding.versionN, { ...version.analysis, findingCounts }, ['analysed']);
  }
  return updated;
}

/**
 * Carries the decisions of the latest earlier analysed version to version `n` (its findings just written by the
 * analysis), where item and clause text are unchanged. The carry is recorded first, as one carry_decisions event
 * of the hash chain, then set on the findings. A retried analysis finds the event and only completes the
 * findings, so a carry is recorded once; a finding a reviewer already decided keeps that decision.
 */
export async function carryDecisions(deps: Deps, policyId: string, n: number): Promise<CarriedDecision[]> {
  const policies = new PolicyRepository(deps.models);
  const findings = new FindingRepository(deps.models);
  const policy = await policies.findById(policyId);
  const previous = policy?.versions.filter((v) => v.n < n && v.analysis.status === 'analysed').at(-1);
  if (!policy || !previous) return [];
  const plan = planCarriedDecisions(previous.n, await findings.clauseDecisions(policyId, previous.n), await findings.clauseDecisions(policyId, n));
  let carry = recordedCarry(policy, n);
  if (!carry && plan.length > 0) {
    const at = deps.clock();
    const updated = await policies.commitAsSystem(policyId, (current) => (recordedCarry(current, n) ? null : carryDecisionsRecord(current, n, plan, at)));
    carry = updated ? recordedCarry(updated, n) : null;
  }
  if (!carry) return [];
  for (const c of carry.carried) await findings.setDecisionIfPending(policyId, c.findingId, carriedDecision(c, carry.at));
  return carry.carried;
}
