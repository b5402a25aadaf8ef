/**
 * Spot checks (抽查, 条例21; 办法39-40): a regulator draws published policies in a scope at random and assigns
 * reviewers at random from a pool (never from the policy's drafting department); each assigned reviewer records
 * a result, and a `problem` opens the policy's recheck. The seed, the population and the pool are recorded, so
 * the draw can be replayed. Thin over `server/domain/spotCheck.ts`.
 */
import crypto from 'node:crypto';
import mongoose from 'mongoose';
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { clockOf } from '../clock';
import { isObjectIdHex } from '../db/complaintRepository';
import { assertRecheckPossible, openPolicyRecheck, type OwedRecheck, type RecheckOutcome } from '../services/rechecks';
import { SpotCheckRepository, type StoredSpotCheckView } from '../db/spotCheckRepository';
import { POLICY_KINDS } from '../domain/policy';
import { spotCheckAllowedActions } from '../domain/permissions/allowedActions';
import { mayOpenPolicyRecheck } from '../domain/permissions/policy';
import { canSeeSpotCheck, isSpotCheckOrganiser } from '../domain/permissions/supervision';
import { toActor, type Actor } from '../domain/roles';
import { SPOT_CHECK_OUTCOMES, createSpotCheck, decideSpotCheckResult, type Reviewer, type SpotCheckEffect, type SpotCheckScope } from '../domain/spotCheck';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, isAppError } from '../domain/errors';
import { ApiRouter } from '../http/endpoint';
import { objectId, paging } from '../http/schemas';

const localDate = z.iso.date();
const spotCheckParams = z.strictObject({ id: z.string().min(1).max(64) });

const createBody = z.strictObject({
  scope: z
    .strictObject({
      departmentIds: z.array(objectId).max(200).optional(),
      kinds: z.array(z.enum(POLICY_KINDS)).max(POLICY_KINDS.length).optional(),
      /** publication dates, inclusive */
      period: z.strictObject({ from: localDate.optional(), to: localDate.optional() }).optional(),
    })
    .optional(),
  sampleSize: z.number().int().optional(),
  rate: z.number().optional(),
  /** recorded; a random one is chosen when absent */
  seed: z.string().min(1).max(200).optional(),
  /** the reviewer pool; by default every active regulator and joint-review committee member */
  reviewerIds: z.array(objectId).max(500).optional(),
  reviewersPerPolicy: z.number().int().min(1).max(10).optional(),
});

const resultBody = z.strictObject({
  rev: z.number().int().min(0),
  policyId: z.string().max(64),
  outcome: z.enum(SPOT_CHECK_OUTCOMES),
  items: z.array(z.string().max(20)).max(100).optional(),
  notes: z.string().max(20_000).optional(),
});

const listQuery = z.strictObject({ ...paging });

type EffectOutcome = { kind: SpotCheckEffect['kind'] } & (RecheckOutcome | { policyId: string; status: 'failed'; code: string });

function view(spotCheck: StoredSpotCheckView, actor: Actor) {
  return {
    ...spotCheck,
    myEntries: spotCheck.entries.filter((e) => e.reviewerIds.includes(actor.id) && !e.result).map((e) => e.policyId),
    allowedActions: spotCheckAllowedActions(spotCheck, actor),
  };
}

export function spotCheckRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();
  const repo = new SpotCheckRepository(deps.models);
  const clock = clockOf(deps);

  async function loadVisible(id: string, actor: Actor): Promise<StoredSpotCheckView> {
    const spotCheck = await repo.findById(id);
    if (!spotCheck || !canSeeSpotCheck(spotCheck, actor)) throw new NotFoundError('spot_check_not_found', '抽查不存在或无权查看');
    return spotCheck;
  }

  async function reviewerPool(ids: string[] | undefined): Promise<Reviewer[]> {
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
  async function population(scope: SpotCheckScope): Promise<Array<{ id: string; departmentId: string }>> {
    const filter: Record<string, unknown> = { state: 'published' };
    if (scope.departmentIds?.length) filter.draftingDepartmentId = mongoose.trusted({ $in: scope.departmentIds });
    if (scope.kinds?.length) filter.kind = mongoose.trusted({ $in: scope.kinds });
    const range = { ...(scope.period?.from ? { $gte: scope.period.from } : {}), ...(scope.period?.to ? { $lte: scope.period.to } : {}) };
    if (Object.keys(range).length > 0) filter['publication.publishedOn'] = mongoose.trusted(range);
    const docs = await deps.models.Policy.find(filter, { draftingDepartmentId: 1 }).lean();
    return docs.map((d) => ({ id: String(d._id), departmentId: d.draftingDepartmentId }));
  }

  /** The reviewer if they may open rechecks, else the spot check's organiser if a regulator; null if nobody. */
  async function recheckOpener(spotCheck: StoredSpotCheckView, recorder: Actor): Promise<Actor | null> {
    if (mayOpenPolicyRecheck(recorder)) return recorder;
    const organiser = isObjectIdHex(spotCheck.createdBy) ? await deps.models.User.findOne({ _id: spotCheck.createdBy, active: true }).lean() : null;
    const organiserActor = organiser ? toActor(organiser) : null;
    return organiserActor && mayOpenPolicyRecheck(organiserActor) ? organiserActor : null;
  }

  /**
   * The rechecks a result owes, each with who will open it (checked now, before anything is written); a problem
   * nobody may open a recheck for is reported as a failed effect and the result is still recorded.
   */
  async function planRechecks(opener: Actor | null, wanted: readonly SpotCheckEffect[], now: Date) {
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

  api.endpoint({
    method: 'post',
    path: '/spot-checks',
    summary: '组织抽查：按范围（起草单位、性质、出台期间）随机抽取已出台政策措施并随机指派审查人员（不指派起草单位人员）',
    tag: 'spot-checks',
    auth: 'user',
    body: createBody,
    status: 201,
    responses: { 400: '请求参数不合法', 403: '只有审查员或管理员可以组织抽查', 422: '范围内没有政策措施或审查人员不足' },
  }, async ({ actor, body }) => {
    const now = clock();
    const scope: SpotCheckScope = {
      ...(body.scope?.departmentIds?.length ? { departmentIds: body.scope.departmentIds } : {}),
      ...(body.scope?.kinds?.length ? { kinds: body.scope.kinds } : {}),
      ...(body.scope?.period ? { period: body.scope.period } : {}),
    };
    const seed = body.seed ?? crypto.randomBytes(8).toString('hex');
    const [policies, pool] = await Promise.all([population(scope), reviewerPool(body.reviewerIds)]);
    const { spotCheck, event } = createSpotCheck(
      {
        id: new mongoose.Types.ObjectId().toHexString(),
        scope,
        policies,
        seed,
        pool,
        ...(body.sampleSize !== undefined ? { sampleSize: body.sampleSize } : {}),
        ...(body.rate !== undefined ? { rate: body.rate } : {}),
        ...(body.reviewersPerPolicy !== undefined ? { reviewersPerPolicy: body.reviewersPerPolicy } : {}),
      },
      actor,
      now,
    );
    const draw = { populationIds: policies.map((p) => p.id).sort(), pool, reviewersPerPolicy: body.reviewersPerPolicy ?? 1 };
    return view(await repo.insert(spotCheck, event, draw), actor);
  });

  api.endpoint({
    method: 'get',
    path: '/spot-checks',
    summary: '抽查列表（审查员和管理员看全部；审查人员看指派给自己的）',
    tag: 'spot-checks',
    auth: 'user',
    query: listQuery,
  }, async ({ actor, query }) => {
    const filter = isSpotCheckOrganiser(actor) ? {} : { 'entries.reviewerIds': actor.id };
    const [docs, total] = await Promise.all([
      deps.models.SpotCheck.find(filter, { events: 0 }).sort({ createdAt: -1, _id: -1 }).skip((query.page - 1) * query.pageSize).limit(query.pageSize).lean(),
      deps.models.SpotCheck.countDocuments(filter),
    ]);
    const items = docs.map(({ _id, draw: _draw, ...fields }) => ({
      id: String(_id),
      scope: fields.scope,
      seed: fields.seed,
      state: fields.state,
      rev: fields.rev,
      populationSize: fields.populationSize,
      sampleSize: fields.sampleSize,
      recorded: fields.entries.filter((e) => e.result).length,
      problems: fields.entries.filter((e) => e.result?.outcome === 'problem').length,
      createdBy: fields.createdBy,
      createdAt: fields.createdAt,
    }));
    return { items, total, page: query.page, pageSize: query.pageSize };
  });

  api.endpoint({
    method: 'get',
    path: '/spot-checks/:id',
    summary: '抽查详情：样本、指派、结果、种子和抽取依据、操作记录',
    tag: 'spot-checks',
    auth: 'user',
    params: spotCheckParams,
    responses: { 404: '抽查不存在或无权查看' },
  }, async ({ actor, params }) => view(await loadVisible(params.id, actor), actor));

  api.endpoint({
    method: 'post',
    path: '/spot-checks/:id/results',
    summary: '登记一项政策措施的抽查结果（仅被指派的审查人员；发现问题即开启该政策措施的复查）',
    tag: 'spot-checks',
    auth: 'user',
    params: spotCheckParams,
    body: resultBody,
    responses: { 400: '请求参数不合法', 403: '不是该政策措施的审查人员', 404: '抽查不存在', 409: '已登记或版本过期', 422: '缺少问题事项或说明' },
  }, async ({ actor, params, body }) => {
    const now = clock();
    const spotCheck = await loadVisible(params.id, actor);
    const decision = decideSpotCheckResult(spotCheck, actor, { action: 'record_result', ...body }, now);
    const opener = decision.effects.length > 0 ? await recheckOpener(spotCheck, actor) : null;
    const { owed, effects } = await planRechecks(opener, decision.effects, now);
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
    return { spotCheck: view(updated, actor), effects };
  });

  return api;
}
