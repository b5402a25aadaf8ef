/**
 * Opens a policy's recheck (复查, 办法40) after a confirmed complaint or a spot-check problem: ONE conditional update
 * through the policy workflow's `open_recheck` decision. A policy already in recheck counts as done, so the step
 * is idempotent and a retry after a crash or a lost race is safe.
 */
import mongoose from 'mongoose';
import { NotFoundError } from '../errors';
import { toActor } from '../domain/roles';
import { ComplaintRepository } from './complaintRepository';
import type { Policy } from '../domain/policy';
import { decideTransition } from '../domain/policyWorkflow';
import type { PolicyPatch } from '../domain/patch';
import type { Actor } from '../domain/roles';
import type { Models } from './models/index';
import { PolicyRepository } from './policyRepository';

export interface RecheckRequest {
  policyId: string;
  source: 'complaint' | 'spot_check';
  refId: string;
  reason: string;
}

export type RecheckOutcome = { policyId: string; status: 'opened' | 'already_open' };

/** The patch that would open the recheck now, or null when it is already open; throws the workflow's refusal. */
export function planRecheck(policy: Policy, actor: Actor, request: RecheckRequest, now: Date): PolicyPatch | null {
  if (policy.state === 'recheck') return null;
  return decideTransition(policy, actor, { action: 'open_recheck', rev: policy.rev, reason: request.reason, source: request.source, refId: request.refId }, now);
}

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
    if (await repo.applyPatch(policy.id, patch)) return { policyId: policy.id, status: 'opened' };
    // Lost a race (a concurrent recheck, or any other change): decide again on what is stored now.
    if (attempt >= ATTEMPTS) throw new Error(`policy ${policy.id} kept changing while its recheck was opened`);
  }
}

/**
 * Opens the rechecks that confirmed complaints still owe (their `pendingRecheck`, written with the confirmation),
 * in the name of whoever confirmed each, and clears the record. The worker runs it when it starts, so a crash
 * between confirming a complaint and opening the recheck delays the recheck but never loses it.
 */
export async function openPendingRechecks(models: Models, now: Date): Promise<RecheckOutcome[]> {
  const repo = new ComplaintRepository(models);
  const pending = await models.Complaint.find({ pendingRecheck: mongoose.trusted({ $ne: null }) }, { pendingRecheck: 1 }).lean();
  const outcomes: RecheckOutcome[] = [];
  for (const { _id, pendingRecheck } of pending) {
    if (!pendingRecheck) continue;
    const confirmer = await models.User.findById(pendingRecheck.requestedBy).lean();
    if (!confirmer) continue;
    const { requestedBy: _requestedBy, ...request } = pendingRecheck;
    outcomes.push(await openPolicyRecheck(models, toActor(confirmer), request as RecheckRequest, now));
    await repo.clearPendingRecheck(String(_id), request.refId);
  }
  return outcomes;
}
