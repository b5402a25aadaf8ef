/**
 * A policy's recheck (复查, 办法40) owed to a confirmed complaint or a spot-check problem: what is asked, and the
 * decision that opens it. The use case that carries it out is server/services/rechecks.ts.
 */
import type { PolicyPatch } from './patch';
import type { Policy } from './policy';
import { decideTransition } from './policyWorkflow';
import type { Actor } from './roles';

export interface RecheckRequest {
  policyId: string;
  source: 'complaint' | 'spot_check';
  refId: string;
  reason: string;
}

export type RecheckOutcome = { policyId: string; status: 'opened' | 'already_open' };

/**
 * A recheck that a recorded decision (a confirmed complaint, a spot-check problem) still owes: written in the same
 * update as the decision (outbox), cleared once the recheck is open.
 */
export interface OwedRecheck extends RecheckRequest {
  /** opened in this user's name */
  requestedBy: string;
}

/** What a starting worker did with one owed recheck: opened it, found it open, dropped it (refused for good), or kept it. */
export type SettledRecheck = RecheckOutcome | { policyId: string; status: 'dropped' | 'kept'; code: string };

/** The patch that would open the recheck now, or null when it is already open; throws the workflow's refusal. */
export function planRecheck(policy: Policy, actor: Actor, request: RecheckRequest, now: Date): PolicyPatch | null {
  if (policy.state === 'recheck') return null;
  return decideTransition(policy, actor, { action: 'open_recheck', rev: policy.rev, reason: request.reason, source: request.source, refId: request.refId }, now);
}

