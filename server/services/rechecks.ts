/**
 * Use case: open a policy's recheck (复查, 办法40) after a confirmed complaint or a spot-check problem: ONE conditional update
 * through the policy workflow's `open_recheck` decision. A policy already in recheck counts as done, so the step
 * is idempotent and a retry after a crash or a lost race is safe.
 */
import mongoose from 'mongoose';
import { NotFoundError, isAppError } from '../domain/errors';
import type { Policy } from '../domain/policy';
import { planRecheck, type OwedRecheck, type RecheckOutcome, type RecheckRequest, type SettledRecheck } from '../domain/recheck';
import { toActor, type Actor } from '../domain/roles';
import { ComplaintRepository } from '../db/complaintRepository';
import type { Models } from '../db/models/index';
import { PolicyRepository } from '../db/policyRepository';
import { SpotCheckRepository } from '../db/spotCheckRepository';

export type { OwedRecheck, RecheckOutcome, RecheckRequest, SettledRecheck } from '../domain/recheck';

/** Loads the policy and checks the recheck could be opened by `actor` (throws 404/409/403 otherwise). */
export async function assertRecheckPossible(models: Models, actor: Actor, request: RecheckRequest, now: Date): Promise<Policy> {
  const policy = await new PolicyRepository(models).findById(request.policyId);
  if (!policy) throw new NotFoundError('policy_not_found', '关联的政策措施不存在', { policyId: request.policyId });
  planRecheck(policy, actor, request, now);
  return policy;
}

const ATTEMPTS = 5;

export async function openPolicyRecheck(models: Models, actor: Actor, request: RecheckRequest, now: Date): Promise<RecheckOutcome> {
  const repo = new PolicyRepository(models);
  for (let attempt = 1; ; attempt++) {
    const policy = await repo.findById(request.policyId);
    if (!policy) throw new NotFoundError('policy_not_found', '关联的政策措施不存在', { policyId: request.policyId });
    const patch = planRecheck(policy, actor, request, now);
    if (!patch) return { policyId: policy.id, status: 'already_open' };
    if (await repo.applyPatch(policy, patch)) return { policyId: policy.id, status: 'opened' };
    // Lost a race (a concurrent recheck, or any other change): decide again on what is stored now.
    if (attempt >= ATTEMPTS) throw new Error(`policy ${policy.id} kept changing while its recheck was opened`);
  }
}

/**
 * Carries out one owed recheck in its requester's name and clears it. A refusal by the workflow (policy gone,
 * abolished or withdrawn; requester no longer allowed) is final, so the record is dropped; any other failure keeps
 * it for the next start.
 */
async function settle(models: Models, owed: OwedRecheck, now: Date, clear: () => Promise<void>): Promise<SettledRecheck> {
  const { requestedBy, ...request } = owed;
  try {
    const requester = await models.User.findById(requestedBy).lean();
    if (!requester) throw new NotFoundError('requester_not_found', '申请复查的账号不存在', { requestedBy });
    const outcome = await openPolicyRecheck(models, toActor(requester), request, now);
    await clear();
    return outcome;
  } catch (err) {
    if (!isAppError(err)) return { policyId: owed.policyId, status: 'kept', code: err instanceof Error ? err.message : String(err) };
    await clear();
    return { policyId: owed.policyId, status: 'dropped', code: err.code };
  }
}

/**
 * Opens the rechecks that confirmed complaints and spot-check problems still owe. The worker runs it when it
 * starts, so a crash between recording the decision and opening the recheck delays the recheck but never loses
 * it; one record that cannot be carried out does not hold up the others.
 */
export async function openPendingRechecks(models: Models, now: Date): Promise<SettledRecheck[]> {
  const settled: SettledRecheck[] = [];
  const complaints = new ComplaintRepository(models);
  const owingComplaints = await models.Complaint.find({ pendingRecheck: mongoose.trusted({ $ne: null }) }, { pendingRecheck: 1 }).lean();
  for (const { _id, pendingRecheck } of owingComplaints) {
    if (!pendingRecheck) continue;
    settled.push(await settle(models, pendingRecheck as OwedRecheck, now, () => complaints.clearPendingRecheck(String(_id), pendingRecheck.refId)));
  }
  // Spot checks are few (a handful a year per region), so reading all their outboxes is cheap.
  const spotChecks = new SpotCheckRepository(models);
  for (const { _id, pendingRechecks } of await models.SpotCheck.find({}, { pendingRechecks: 1 }).lean()) {
    for (const owed of Object.values(pendingRechecks ?? {})) {
      settled.push(await settle(models, owed, now, () => spotChecks.clearOwedRecheck(String(_id), owed.policyId)));
    }
  }
  return settled;
}
