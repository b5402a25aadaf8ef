/**
 * Loads policies as the domain type and stores the domain's decisions. Every change is ONE guarded update
 * (guardedUpdate.ts); a lost race shows up as "no document matched" and `commit` decides again on a fresh read.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import { ConflictError, NotFoundError } from '../domain/errors';
import { sealEvent } from '../domain/eventChain';
import type { PolicyPatch } from '../domain/patch';
import { applyGuardedChange, type GuardedChange } from './guardedUpdate';
import type { Policy, VersionAnalysis } from '../domain/policy';
import type { Actor } from '../domain/roles';
import { canRead } from '../domain/visibility';
import type { Models } from './models/index';
import type { PolicyDoc } from './models/policy';
import { recordPolicySummary } from './policySummaries';
import { isObjectIdHex, plain } from './storedValues';

type StoredPolicy = PolicyDoc & { _id: unknown };

/** The domain aggregate from a stored document (drops `_id` and the store's timestamps). */
export function toPolicy(doc: StoredPolicy): Policy {
  const { _id, createdAt: _createdAt, updatedAt: _updatedAt, ...fields } = doc;
  return { id: String(_id), ...fields };
}

/**
 * A policy decision as the one guarded-update shape, its event sealed onto `events`: the chain of the policy the
 * decision was made on (the guard makes sure it is still the stored one).
 */
export function policyChange(patch: PolicyPatch, events: Policy['events']): GuardedChange {
  return { guard: { state: patch.from, rev: patch.rev }, to: patch.to, set: patch.set, push: patch.push, event: sealEvent(patch.event, events) };
}

/** How often `commit` decides again after losing a race before giving up with a 409. */
const COMMIT_ATTEMPTS = 25;

export class PolicyRepository {
  constructor(private readonly models: Models) {}

  /** The policy, or null for an unknown or malformed id. */
  async findById(id: string): Promise<Policy | null> {
    if (!isObjectIdHex(id)) return null;
    const doc = await this.models.Policy.findById(id).lean<StoredPolicy>();
    return doc ? toPolicy(doc) : null;
  }

  /**
   * The policy if this actor may read it. A policy the actor may not read answers the same 404 as one that does
   * not exist, so ids cannot be probed for what other departments are drafting.
   */
  async findReadable(id: string, actor: Actor): Promise<Policy> {
    const policy = await this.findById(id);
    if (!policy || !canRead(policy, actor)) throw new NotFoundError('policy_not_found', '政策措施不存在或无权查看');
    return policy;
  }

  /** Whether the id names a published measure (what the public may refer to); false for a malformed id. */
  async isPublished(id: string): Promise<boolean> {
    // an `_id` lookup: the embedded store reads the whole collection for any other filter
    return isObjectIdHex(id) && Boolean((await this.models.Policy.findById(id, { publication: 1 }).lean())?.publication);
  }

  /**
   * The policies with these ids, without their histories (what a list of them needs), in the order asked; ids of
   * policies that are gone are left out. One `_id` lookup each, which the embedded store answers from its index.
   */
  async findManyWithoutHistory(ids: readonly string[]): Promise<Policy[]> {
    const docs = await Promise.all(ids.map((id) => this.models.Policy.findById(id, { events: 0 }).lean<StoredPolicy>()));
    return docs.flatMap((doc) => (doc ? [toPolicy({ ...doc, events: [] })] : []));
  }

  /** Stores a new policy, under `id` when the caller reserved one (else the store assigns it), and publishes its summary. */
  async create(draft: Omit<Policy, 'id'>, id?: string): Promise<Policy> {
    const created = await this.models.Policy.create({ ...(id ? { _id: id } : {}), ...plain(draft) });
    const policy = toPolicy(created.toObject() as StoredPolicy);
    await recordPolicySummary(this.models, policy.id);
    return policy;
  }

  /**
   * Applies a decision as one guarded update, then publishes the policy's summary; null when the policy changed
   * since it was read. `policy` is the version the decision was made on: its events give the new event's prevHash.
   */
  async applyPatch(policy: Pick<Policy, 'id' | 'events'>, patch: PolicyPatch): Promise<Policy | null> {
    const doc = await applyGuardedChange(this.models.Policy, policy.id, policyChange(patch, policy.events));
    if (!doc) return null;
    await recordPolicySummary(this.models, policy.id);
    return toPolicy(doc as StoredPolicy);
  }

  /**
   * Reads the policy, lets `decide` turn it into a patch (the domain throws 409/403/400/422 itself) and applies it.
   * When another change won the race in between, it reads and decides again: a command carrying the `rev` it
   * was based on then fails as stale (409), while one without (a sign-off, an upload) is simply re-decided on
   * the new state, so concurrent sign-offs of different members never lose one another.
   */
  async commit(id: string, actor: Actor, decide: (policy: Policy) => PolicyPatch | Promise<PolicyPatch>): Promise<Policy> {
    return this.decideUntilApplied(() => this.findReadable(id, actor), decide);
  }

  /**
   * `commit` for a record no user makes (the analysis carrying decisions to a new version): nobody's reading
   * rights to check, and `decide` answers null when there is nothing (more) to record. Null for an unknown policy.
   */
  async commitAsSystem(id: string, decide: (policy: Policy) => PolicyPatch | null): Promise<Policy | null> {
    return this.decideUntilApplied(() => this.findById(id), decide);
  }

  private async decideUntilApplied<P extends Policy | null>(load: () => Promise<P>, decide: (policy: Policy) => PolicyPatch | null | Promise<PolicyPatch | null>): Promise<P> {
    for (let attempt = 1; attempt <= COMMIT_ATTEMPTS; attempt++) {
      const policy = await load();
      if (!policy) return policy;
      const patch = await decide(policy);
      if (!patch) return policy;
      const updated = await this.applyPatch(policy, patch);
      if (updated) return updated as P;
      await sleep(Math.random() * 3 * attempt);
    }
    throw new ConflictError('concurrent_update', '政策措施正被频繁修改，请稍后重试');
  }

  /**
   * Replaces one version's analysis record. The worker reports progress here without bumping `rev`: analysis
   * is not a review decision and must not make a reviewer's pending command stale. Versions are only ever
   * appended with n = position + 1, so the version is addressed by index and the filter checks its `n`.
   * `onlyIf` restricts the update to versions currently in one of those statuses. Returns whether it applied.
   */
  async setAnalysis(policyId: string, n: number, analysis: VersionAnalysis, onlyIf?: readonly VersionAnalysis['status'][]): Promise<boolean> {
    if (!isObjectIdHex(policyId) || !Number.isInteger(n) || n < 1) return false;
    const at = `versions.${n - 1}`;
    const filter: Record<string, unknown> = { _id: policyId, [`${at}.n`]: n };
    if (onlyIf) filter[`${at}.analysis.status`] = mongoose.trusted({ $in: [...onlyIf] });
    const result = await this.models.Policy.updateOne(filter, { $set: { [`${at}.analysis`]: plain(analysis) } });
    if (result.matchedCount !== 1) return false;
    await recordPolicySummary(this.models, policyId);
    return true;
  }
}
