/**
 * Policies (政策措施): registration, lists, the record, workflow transitions and the audit history. Each endpoint is
 * its schema and one call of a use case in server/services/policies.ts.
 */
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { CONCLUSION_OUTCOMES, ISSUING_LEVELS, POLICY_KINDS, POLICY_STATES, RECHECK_SOURCES } from '../domain/policy';
import { POLICY_SORTS, SORT_ORDERS } from '../domain/policySummary';
import { listPolicies, policyHistory, readPolicy, registerPolicy, transitionPolicy, verifyPolicyHistory } from '../services/policies';
import { ApiRouter } from '../http/endpoint';
import { isoDate, objectId, paging, pathId } from '../http/schemas';

export const policyParams = z.strictObject({ id: pathId });

const text = (max = 2000) => z.string().max(max).optional();

const createBody = z.strictObject({
  title: z.string().max(200),
  kind: z.enum(POLICY_KINDS),
  issuingLevel: z.enum(ISSUING_LEVELS),
  industries: z.array(z.string().max(50)).max(20).optional(),
});

const listQuery = z.strictObject({
  state: z.enum(POLICY_STATES).optional().describe('当前状态'),
  department: objectId.optional().describe('起草单位 id'),
  q: z.string().max(100).optional().describe('标题或文号中包含的文字（按字面匹配）'),
  text: z.string().max(100).optional().describe('同 q（早期的参数名）'),
  hasOpenFindings: z.enum(['true', 'false']).optional().describe('最新版本是否还有未处理的问题'),
  deadlineBefore: isoDate.optional().describe('正在进行的会审或第三方评估的截止时间不晚于此（日期：上海时间当日结束）'),
  sort: z.enum(POLICY_SORTS).default('updatedAt').describe('排序：updatedAt 最近修改、deadline 截止时间（没有截止时间的排在最后）、title 标题'),
  order: z.enum(SORT_ORDERS).optional().describe('asc 升序或 desc 降序；缺省时 updatedAt 为 desc，其余为 asc'),
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
export function policyRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();

  api.endpoint({
    method: 'post',
    path: '/policies',
    summary: '登记政策措施草案（起草单位）',
    tag: 'policies',
    auth: 'user',
    body: createBody,
    status: 201,
    responses: { 400: '请求参数不合法', 403: '只有起草单位可以登记' },
  }, ({ actor, body }) => registerPolicy(deps, actor, body));

  api.endpoint({
    method: 'get',
    path: '/policies',
    summary: '政策措施列表（按可见范围；可按状态、起草单位、标题或文号、有无未处理问题、截止时间筛选，按最近修改、截止时间或标题排序，分页）',
    tag: 'policies',
    auth: 'user',
    query: listQuery,
  }, ({ actor, query: { q, text, hasOpenFindings, order, ...query } }) => listPolicies(deps, actor, {
    ...query,
    text: q ?? text,
    hasOpenFindings: hasOpenFindings === undefined ? undefined : hasOpenFindings === 'true',
    order: order ?? (query.sort === 'updatedAt' ? 'desc' : 'asc'),
  }));

  api.endpoint({
    method: 'get',
    path: '/policies/:id',
    summary: '政策措施详情（含当前用户可执行的操作）',
    tag: 'policies',
    auth: 'user',
    params: policyParams,
    responses: { 404: '不存在或无权查看' },
  }, ({ actor, params }) => readPolicy(deps, actor, params.id));

  api.endpoint({
    method: 'post',
    path: '/policies/:id/transitions',
    summary: '流转审查流程（start_review、request_joint_review、request_evaluation、submit_evaluation、conclude、publish、open_recheck、resume_after_recheck、close_recheck、abolish、withdraw）',
    tag: 'policies',
    auth: 'user',
    params: policyParams,
    body: transitionBody,
    responses: { 403: '角色或单位无权执行', 404: '不存在或无权查看', 409: '状态不符或版本号 rev 已过期', 422: '缺少必要条件（details.missing）' },
  }, ({ actor, params, body }) => transitionPolicy(deps, actor, params.id, body));

  api.endpoint({
    method: 'get',
    path: '/policies/:id/history',
    summary: '审查历史（哈希链事件记录）',
    tag: 'policies',
    auth: 'user',
    params: policyParams,
    responses: { 404: '不存在或无权查看' },
  }, ({ actor, params }) => policyHistory(deps, actor, params.id));

  api.endpoint({
    method: 'get',
    path: '/policies/:id/history/verify',
    summary: '校验审查历史的哈希链',
    tag: 'policies',
    auth: 'user',
    params: policyParams,
    responses: { 404: '不存在或无权查看' },
  }, ({ actor, params }) => verifyPolicyHistory(deps, actor, params.id));

  return api;
}
