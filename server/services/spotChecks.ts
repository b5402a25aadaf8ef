/**
 * Use cases of spot checks (抽查, 条例21; 办法39-40): a regulator draws published policies in a scope at random and
 * assigns reviewers at random from a pool (never from the policy's drafting department); each assigned reviewer
 * records a result, and a `problem` opens the policy's recheck. The seed, the population and the pool are
 * recorded, so the draw can be replayed. Decisions are `server/domain/spotCheck.ts`'s.
 */
import crypto from 'node:crypto';
import mongoose from 'mongoose';
import { SpotCheckRepository, type StoredSpotCheckView } from '../db/spotCheckRepository';
import { isObjectIdHex } from '../db/storedValues';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, isAppError } from '../domain/errors';
import { spotCheckAllowedActions } from '../domain/permissions/allowedActions';
import { mayOpenPolicyRecheck } from '../domain/permissions/policy';
import { canSeeSpotCheck, isSpotCheckOrganiser } from '../domain/permissions/supervision';
import type { PolicyKind } from '../domain/policy';
import { toActor, type Actor } from '../domain/roles';
import { createSpotCheck, decideSpotCheckResult, type RecordResultCommand, type Reviewer, type SpotCheckEffect, type SpotCheckScope } from '../domain/spotCheck';
import type { ServiceDeps } from './deps';
import { displayNames, withActorNames } from './people';
import { assertRecheckPossible, openPolicyRecheck, type OwedRecheck, type RecheckOutcome } from './rechecks';

type Deps = Pick<ServiceDeps, 'models' | 'clock' | 'logger'>;
type EffectOutcome = { kind: SpotCheckEffect['kind'] } & (RecheckOutcome | { policyId: string; status: 'failed'; code: string });

export interface NewSpotCheckRequest {
  scope?: { departmentIds?: string[]; kinds?: PolicyKind[]; period?: { from?: string; to?: string } };
  sampleSize?: number;
  rate?: number;
  seed?: string;
  reviewerIds?: string[];
  reviewersPerPolicy?: number;
}

/** The spot check as its reader sees it, with `people`: the display name of everyone it names by id. */
async function view(deps: Deps, spotCheck: StoredSpotCheckView, actor: Actor) {
  const people = await displayNames(deps.models, [
    spotCheck.createdBy,
    ...spotCheck.entries.flatMap((e) => [...e.reviewerIds, e.result?.recordedBy]),
    ...spotCheck.events.map((e) => e.actor.id),
  ]);
  return {
    ...spotCheck,
    events: withActorNames(spotCheck.events, people),
    people,
    myEntries: spotCheck.entries.filter((e) => e.reviewerIds.includes(actor.id) && !e.result).map((e) => e.policyId),
    allowedActions: spotCheckAllowedActions(spotCheck, actor),
  };
}

async function loadVisible(deps: Deps, id: string, actor: Actor): Promise<StoredSpotCheckView> {
  const spotCheck = await new SpotCheckRepository(deps.models).findById(id);
  if (!spotCheck || !canSeeSpotCheck(spotCheck, actor)) throw new NotFoundError('spot_check_not_found', '抽查不存在或无权查看');
  return spotCheck;
}

/** The named reviewers (each an active account), or by default every active regulator and committee member. */
async function reviewerPool(deps: Deps, ids: string[] | undefined): Promise<Reviewer[]> {
  const filter = ids
    ? { _id: mongoose.trusted({ $in: ids }), active: true }
    : { role: mongoose.trusted({ $in: ['regulator', 'committee_member'] }), active: true };
  const users = await deps.models.User.find(filter).lean();
  if (ids) {
    const found = new Set(users.map((u) => String(u._id)));
    const unknown = ids.filter((id) => !found.has(id));
    if (unknown.length > 0) {
      throw new ValidationError('invalid_request', `reviewerIds：${unknown.join('、')} 不是有效账号`, { issues: unknown.map(() => ({ path: 'body.reviewerIds', message: '不是有效账号' })) });
    }
  }
  return users.map((u) => ({ id: String(u._id), departmentId: String(u.departmentId) }));
}

/** Published policies in the scope, as the draw needs them. */
async function population(deps: Deps, scope: SpotCheckScope): Promise<Array<{ id: string; departmentId: string }>> {
  const filter: Record<string, unknown> = { state: 'published' };
  if (scope.departmentIds?.length) filter.draftingDepartmentId = mongoose.trusted({ $in: scope.departmentIds });
  if (scope.kinds?.length) filter.kind = mongoose.trusted({ $in: scope.kinds });
  const range = { ...(scope.period?.from ? { $gte: scope.period.from } : {}), ...(scope.period?.to ? { $lte: scope.period.to } : {}) };
  if (Object.keys(range).length > 0) filter['publication.publishedOn'] = mongoose.trusted(range);
  const docs = await deps.models.Policy.find(filter, { draftingDepartmentId: 1 }).lean();
  return docs.map((d) => ({ id: String(d._id), departmentId: d.draftingDepartmentId }));
}

/** The reviewer if they may open rechecks, else the spot check's organiser if a regulator; null if nobody. */
async function recheckOpener(deps: Deps, spotCheck: StoredSpotCheckView, recorder: Actor): Promise<Actor | null> {
  if (mayOpenPolicyRecheck(recorder)) return recorder;
  const organiser = isObjectIdHex(spotCheck.createdBy) ? await deps.models.User.findOne({ _id: spotCheck.createdBy, active: true }).lean() : null;
  const organiserActor = organiser ? toActor(organiser) : null;
  return organiserActor && mayOpenPolicyRecheck(organiserActor) ? organiserActor : null;
}

/**
 * The rechecks a result owes, each with who will open it (checked now, before anything is written); a problem
 * nobody may open a recheck for is reported as a failed effect and the result is still recorded.
 */
async function planRechecks(deps: Deps, opener: Actor | null, wanted: readonly SpotCheckEffect[], now: Date) {
  const owed: OwedRecheck[] = [];
  const effects: EffectOutcome[] = [];
  for (const { kind, ...request } of wanted) {
    try {
      if (!opener) throw new ForbiddenError('no_recheck_opener', '本次抽查的组织者和审查人员均无权启动复查');
      await assertRecheckPossible(deps.models, opener, request, now);
      owed.push({ ...request, requestedBy: opener.id });
    } catch (err) {
      if (!isAppError(err)) throw err;
      effects.push({ kind, policyId: request.policyId, status: 'failed', code: err.code });
    }
  }
  return { owed, effects };
}

export async function organiseSpotCheck(deps: Deps, actor: Actor, request: NewSpotCheckRequest) {
  const now = deps.clock();
  const scope: SpotCheckScope = {
    ...(request.scope?.departmentIds?.length ? { departmentIds: request.scope.departmentIds } : {}),
    ...(request.scope?.kinds?.length ? { kinds: request.scope.kinds } : {}),
    ...(request.scope?.period ? { period: request.scope.period } : {}),
  };
  const seed = request.seed ?? crypto.randomBytes(8).toString('hex');
  const [policies, pool] = await Promise.all([population(deps, scope), reviewerPool(deps, request.reviewerIds)]);
  const { spotCheck, event } = createSpotCheck(
    {
      id: new mongoose.Types.ObjectId().toHexString(),
      scope,
      policies,
      seed,
      pool,
      ...(request.sampleSize !== undefined ? { sampleSize: request.sampleSize } : {}),
      ...(request.rate !== undefined ? { rate: request.rate } : {}),
      ...(request.reviewersPerPolicy !== undefined ? { reviewersPerPolicy: request.reviewersPerPolicy } : {}),
    },
    actor,
    now,
  );
  const draw = { populationIds: policies.map((p) => p.id).sort(), pool, reviewersPerPolicy: request.reviewersPerPolicy ?? 1 };
  return view(deps, await new SpotCheckRepository(deps.models).insert(spotCheck, event, draw), actor);
}

/** Organisers see every spot check; a reviewer those they are assigned to. */
export async function listSpotChecks(deps: Deps, actor: Actor, page: number, pageSize: number) {
  const { items, total } = await new SpotCheckRepository(deps.models).list(isSpotCheckOrganiser(actor) ? null : actor.id, page, pageSize);
  return { items, total, page, pageSize };
}

export async function readSpotCheck(deps: Deps, actor: Actor, id: string) {
  return view(deps, await loadVisible(deps, id, actor), actor);
}

/** A reviewer's result; a problem owes the policy's recheck, written with the result and then opened. */
export async function recordSpotCheckResult(deps: Deps, actor: Actor, id: string, command: Omit<RecordResultCommand, 'action'>) {
  const now = deps.clock();
  const repo = new SpotCheckRepository(deps.models);
  const spotCheck = await loadVisible(deps, id, actor);
  const decision = decideSpotCheckResult(spotCheck, actor, { action: 'record_result', ...command }, now);
  const opener = decision.effects.length > 0 ? await recheckOpener(deps, spotCheck, actor) : null;
  const { owed, effects } = await planRechecks(deps, opener, decision.effects, now);
  const updated = await repo.apply(spotCheck, decision, owed);
  if (!updated) throw new ConflictError('stale_rev', '抽查已被他人修改，请刷新后重试');
  for (const recheck of owed) {
    // The result and the owed recheck are stored; a starting worker opens the recheck if this fails.
    try {
      effects.push({ kind: 'open_policy_recheck', ...(await openPolicyRecheck(deps.models, opener!, recheck, now)) });
      await repo.clearOwedRecheck(updated.id, recheck.policyId);
    } catch (err) {
      deps.logger.error({ err, policyId: recheck.policyId, spotCheckId: updated.id }, 'could not open the policy recheck');
      effects.push({ kind: 'open_policy_recheck', policyId: recheck.policyId, status: 'failed', code: isAppError(err) ? err.code : 'internal_error' });
    }
  }
  return { spotCheck: await view(deps, updated, actor), effects };
}
