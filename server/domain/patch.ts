/**
 * What a policy decision returns: the fields to set, the target state and its event. The repository seals the
 * event onto the policy's chain and applies it all as ONE guarded update (server/db/guardedUpdate.ts), as for
 * complaints and spot checks; if the guard no longer holds, some other change won the race and the caller answers
 * 409 (or, for sign-offs, reloads and decides again).
 */
import { sealEvent, type UnsealedEvent } from './eventChain';
import type { Actor } from './roles';
import type { EventAction, Policy, PolicyEvent, PolicyState, PolicyVersion } from './policy';

/** Top-level fields a decision may replace (whole values: every update is guarded by `rev`, so nothing is lost). */
export type PolicySet = Partial<
  Pick<Policy, 'docNumber' | 'selfReview' | 'jointReview' | 'evaluations' | 'conclusion' | 'publication' | 'recheck' | 'handover'>
>;

/**
 * Array elements to append. `versions` is appended, never replaced: the analysis worker updates a version's
 * status without bumping `rev`, and replacing the array would put back the status read before.
 */
export interface PolicyPush {
  versions?: PolicyVersion;
}

export interface PolicyPatch {
  /** expected state and revision: the update applies only if both still hold */
  from: PolicyState;
  rev: number;
  to: PolicyState;
  set: PolicySet;
  push: PolicyPush;
  /** sealed onto the chain where it is stored (the repository), or by `applyPatch` in memory */
  event: UnsealedEvent<PolicyEvent>;
}

export interface Change {
  action: EventAction;
  to: PolicyState;
  set?: PolicySet;
  push?: PolicyPush;
  comment?: string;
  data?: Record<string, unknown>;
}

/** `actor` is whoever the history names: a user, or the system for what no user did (e.g. carried decisions). */
export function makePatch(policy: Policy, actor: Pick<Actor, 'id' | 'username'>, change: Change, now: Date): PolicyPatch {
  const event = {
    actor: { id: actor.id, username: actor.username },
    action: change.action,
    from: policy.state,
    to: change.to,
    at: now.toISOString(),
    comment: change.comment ?? '',
    data: change.data ?? {},
  };
  return { from: policy.state, rev: policy.rev, to: change.to, set: change.set ?? {}, push: change.push ?? {}, event };
}

/** The same update applied in memory: what the store holds afterwards. */
export function applyPatch(policy: Policy, patch: PolicyPatch): Policy {
  if (policy.state !== patch.from || policy.rev !== patch.rev) {
    throw new Error(`patch expects ${patch.from}@${patch.rev}, policy is ${policy.state}@${policy.rev}`);
  }
  const versions = patch.push.versions ? [...policy.versions, patch.push.versions] : policy.versions;
  return { ...policy, ...patch.set, versions, state: patch.to, rev: policy.rev + 1, events: [...policy.events, sealEvent(patch.event, policy.events)] };
}
