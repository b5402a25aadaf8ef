/**
 * Policies (政策措施): registration, lists, the record, workflow transitions and the audit history.
 * Thin over the domain: load with the repository, decide with `server/domain/policyWorkflow.ts`, commit the
 * returned patch as one guarded update.
 *
 * A policy the caller may not read answers 404 on every route, exactly like an unknown or malformed id, so
 * nobody learns what another department is drafting; 403 is kept for "you can see it, but may not do this".
 */
import mongoose from 'mongoose';
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { findingStatuses } from '../db/findingCounts';
import { notifyHandover } from '../services/handover';
import type { Models } from '../db/models/index';
import { isObjectIdHex, PolicyRepository } from '../db/policyRepository';
import { lastHash, verifyChain } from '../domain/eventChain';
import { throwIfInvalid, type Problem } from '../domain/guards';
import { quorumStatus } from '../domain/jointReview';
import {
  CONCLUSION_OUTCOMES,
  ISSUING_LEVELS,
  POLICY_KINDS,
  POLICY_STATES,
  RECHECK_SOURCES,
  latestVersion,
  type Policy,
} from '../domain/policy';
import { decideTransition, newPolicy } from '../domain/policyWorkflow';
import { policyAllowedActions } from '../domain/permissions/allowedActions';
import { availableTransitions } from '../domain/permissions/policy';
import type { Actor } from '../domain/roles';
import { policyListFilter } from '../domain/visibility';
import { ApiRouter } from '../http/endpoint';
import { objectId, paging, pathId } from '../http/schemas';

export const policyParams = z.strictObject({ id: pathId });

const text = (max = 2000) => z.string().max(max).optional();

const createBody = z.strictObject({
  title: z.string().max(200),
  kind: z.enum(POLICY_KINDS),
  issuingLevel: z.enum(ISSUING_LEVELS),
  industries: z.array(z.string().max(50)).max(20).optional(),
});

const listQuery = z.strictObject({
  state: z.enum(POLICY_STATES).optional(),
  department: objectId.optional(),
  text: z.string().max(100).optional(),
  ...paging,
});

// Fields the workflow checks are optional here: a missing one is the domain's 422 naming it; a wrong type is 400.
const commandBase = { rev: z.number().int().min(0), comment: text() };
const legalBasisBody = z.strictObject({ kind: text(64), citation: text(500) });
const exceptionBody = z.strictObject({
  restrictiveEffect: text(5000),
  situation: text(64),
  situationExplanation: text(5000),
  situationBasis: legalBasisBody.optional(),
  leastRestrictive: text(5000),
  periodReasonableness: text(5000),
  other: text(5000),
  endDate: text(40),
  terminationCondition: text(2000),
});

const transitionBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('start_review'), ...commandBase }),
  z.strictObject({
    action: z.literal('request_joint_review'),
    ...commandBase,
    members: z.array(z.string().max(64)).max(50).optional(),
    quorum: z.number().int().optional(),
    deadline: text(40),
  }),
  z.strictObject({ action: z.literal('request_evaluation'), ...commandBase, evaluatorId: text(64), scope: text(), deadline: text(40) }),
  z.strictObject({ action: z.literal('submit_evaluation'), ...commandBase, summary: text(20_000), reportFileId: text(64) }),
  z.strictObject({
    action: z.literal('conclude'),
    ...commandBase,
    outcome: z.enum(CONCLUSION_OUTCOMES).optional(),
    reasoning: text(20_000),
    exception: exceptionBody.nullable().optional(),
    undecidedFindings: z.array(z.strictObject({ findingId: text(64), reason: text(2000) })).max(500).optional(),
  }),
  z.strictObject({ action: z.literal('publish'), ...commandBase, docNumber: text(100), publishedOn: text(20) }),
  z.strictObject({ action: z.literal('open_recheck'), ...commandBase, reason: text(), source: z.enum(RECHECK_SOURCES).optional(), refId: text(64) }),
  z.strictObject({ action: z.literal('resume_after_recheck'), ...commandBase }),
  z.strictObject({ action: z.literal('close_recheck'), ...commandBase, reason: text() }),
  z.strictObject({ action: z.literal('abolish'), ...commandBase, reason: text() }),
  z.strictObject({ action: z.literal('withdraw'), ...commandBase, reason: text() }),
  z.strictObject({ action: z.literal('submit_to_lead'), ...commandBase }),
  z.strictObject({ action: z.literal('return_to_drafter'), ...commandBase, reason: text() }),
]);
type TransitionBody = z.infer<typeof transitionBody>;

const RECORD_ACTIONS: readonly string[] = ['upload_version', 'update_self_review', 'sign_off'];

export async function departmentNames(models: Models, ids: readonly string[]): Promise<Map<string, string>> {
  const valid = [...new Set(ids)].filter(isObjectIdHex);
  const departments = await models.Department.find({ _id: mongoose.trusted({ $in: valid }) }).lean();
  return new Map(departments.map((d) => [String(d._id), d.name]));
}

/** The record as the caller sees it: without the event history (see /history), with what they may do next. */
export function policyView(policy: Policy, actor: Actor, departmentName = '') {
  const { events, ...record } = policy;
  const allowedActions = policyAllowedActions(policy, actor);
  return {
    ...record,
    draftingDepartmentName: departmentName,
    latestVersion: latestVersion(policy)?.n ?? null,
    eventCount: events.length,
    jointReviewStatus: policy.jointReview ? quorumStatus(policy.jointReview) : null,
    availableActions: availableTransitions(policy, actor),
    availableRecordActions: allowedActions.filter((a) => a.allowed && RECORD_ACTIONS.includes(a.action)).map((a) => a.action),
    allowedActions,
  };
}

/** `policyView` with the drafting department's name looked up: what the policy routes answer. */
export async function policyResponse(models: Models, policy: Policy, actor: Actor) {
  const names = await departmentNames(models, [policy.draftingDepartmentId]);
  return policyView(policy, actor, names.get(policy.draftingDepartmentId));
}

function summaryView(policy: Policy, departmentName: string) {
  const latest = latestVersion(policy);
  return {
    id: policy.id,
    title: policy.title,
    docNumber: policy.docNumber,
    kind: policy.kind,
    issuingLevel: policy.issuingLevel,
    industries: policy.industries,
    draftingDepartmentId: policy.draftingDepartmentId,
    draftingDepartmentName: departmentName,
    state: policy.state,
    rev: policy.rev,
    latestVersion: latest ? { n: latest.n, filename: latest.filename, status: latest.analysis.status, progress: latest.analysis.progress } : null,
    outcome: policy.conclusion?.outcome ?? null,
    publishedOn: policy.publication?.publishedOn ?? null,
  };
}

/**
 * Members and evaluators named in a command must be active accounts with that role. Looked up before the
 * decision (the store is async, decisions are not) and reported after it, so state, revision and permission
 * problems still come first.
 */
async function assigneeProblems(models: Models, command: TransitionBody): Promise<Problem[]> {
  const wanted: Array<{ path: string; id: string; role: 'committee_member' | 'evaluator' }> = [];
  if (command.action === 'request_joint_review') {
    for (const id of command.members ?? []) wanted.push({ path: 'members', id, role: 'committee_member' });
  }
  if (command.action === 'request_evaluation' && command.evaluatorId) {
    wanted.push({ path: 'evaluatorId', id: command.evaluatorId, role: 'evaluator' });
  }
  if (wanted.length === 0) return [];
  const ids = wanted.map((w) => w.id).filter(isObjectIdHex);
  const users = await models.User.find({ _id: mongoose.trusted({ $in: ids }), active: true }).lean();
  const roleOf = new Map(users.map((u) => [String(u._id), u.role]));
  return wanted
    .filter((w) => roleOf.get(w.id) !== w.role)
    .map((w) => ({ path: w.path, message: `${w.id} 不是有效的${w.role === 'evaluator' ? '第三方评估机构' : '会审成员'}账号` }));
}

export function policyRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();
  const repo = new PolicyRepository(deps.models);
  const respond = (policy: Policy, actor: Actor) => policyResponse(deps.models, policy, actor);

  api.endpoint({
    method: 'post',
    path: '/policies',
    summary: '登记政策措施草案（起草单位）',
    tag: 'policies',
    auth: 'user',
    body: createBody,
    status: 201,
    responses: { 400: '请求参数不合法', 403: '只有起草单位可以登记' },
  }, async ({ actor, body }) => {
    const policy = await repo.create(newPolicy(actor, body, new Date()));
    return respond(policy, actor);
  });

  api.endpoint({
    method: 'get',
    path: '/policies',
    summary: '政策措施列表（按可见范围；可按状态、起草单位、标题或文号筛选，分页）',
    tag: 'policies',
    auth: 'user',
    query: listQuery,
  }, async ({ actor, query }) => {
    const filter = policyListFilter(actor, { state: query.state, departmentId: query.department, text: query.text });
    const { items, total } = await repo.list(filter, query.page, query.pageSize);
    const names = await departmentNames(deps.models, items.map((p) => p.draftingDepartmentId));
    return {
      items: items.map((p) => summaryView(p, names.get(p.draftingDepartmentId) ?? '')),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  });

  api.endpoint({
    method: 'get',
    path: '/policies/:id',
    summary: '政策措施详情（含当前用户可执行的操作）',
    tag: 'policies',
    auth: 'user',
    params: policyParams,
    responses: { 404: '不存在或无权查看' },
  }, async ({ actor, params }) => respond(await repo.findReadable(params.id, actor), actor));

  api.endpoint({
    method: 'post',
    path: '/policies/:id/transitions',
    summary: '流转审查流程（start_review、request_joint_review、request_evaluation、submit_evaluation、conclude、publish、open_recheck、resume_after_recheck、close_recheck、abolish、withdraw）',
    tag: 'policies',
    auth: 'user',
    params: policyParams,
    body: transitionBody,
    responses: { 403: '角色或单位无权执行', 404: '不存在或无权查看', 409: '状态不符或版本号 rev 已过期', 422: '缺少必要条件（details.missing）' },
  }, async ({ actor, params, body }) => {
    const invalidAssignees = await assigneeProblems(deps.models, body);
    const updated = await repo.commit(params.id, actor, async (policy) => {
      // A conclusion is checked against the decisions on the latest version's findings (their own collection).
      const facts = body.action === 'conclude' ? { latestFindings: await findingStatuses(deps.models, policy.id, latestVersion(policy)?.n) } : {};
      const patch = decideTransition(policy, actor, body, new Date(), facts);
      throwIfInvalid(invalidAssignees);
      return patch;
    });
    // Telling the next people is a courtesy after the fact: a failure is logged, the transition stands.
    await notifyHandover(deps.models, updated, body.action, new Date()).catch((err: Error) => deps.logger.warn({ err, policyId: updated.id }, 'handover notification failed'));
    return respond(updated, actor);
  });

  api.endpoint({
    method: 'get',
    path: '/policies/:id/history',
    summary: '审查历史（哈希链事件记录）',
    tag: 'policies',
    auth: 'user',
    params: policyParams,
    responses: { 404: '不存在或无权查看' },
  }, async ({ actor, params }) => {
    const policy = await repo.findReadable(params.id, actor);
    return { events: policy.events, length: policy.events.length };
  });

  api.endpoint({
    method: 'get',
    path: '/policies/:id/history/verify',
    summary: '校验审查历史的哈希链',
    tag: 'policies',
    auth: 'user',
    params: policyParams,
    responses: { 404: '不存在或无权查看' },
  }, async ({ actor, params }) => {
    const { events } = await repo.findReadable(params.id, actor);
    return { ...verifyChain(events), lastHash: lastHash(events) };
  });

  return api;
}
