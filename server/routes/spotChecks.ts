/**
 * Spot checks (抽查, 条例21; 办法39-40): organising one (a seeded random draw of published policies, reviewers
 * assigned from a pool), the list, the detail and recording a result. Each endpoint is its schema and one call of
 * a use case in server/services/spotChecks.ts.
 */
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { POLICY_KINDS } from '../domain/policy';
import { SPOT_CHECK_OUTCOMES } from '../domain/spotCheck';
import { ApiRouter } from '../http/endpoint';
import { objectId, paging } from '../http/schemas';
import { listSpotChecks, organiseSpotCheck, readSpotCheck, recordSpotCheckResult } from '../services/spotChecks';

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

export function spotCheckRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();

  api.endpoint({
    method: 'post',
    path: '/spot-checks',
    summary: '组织抽查：按范围（起草单位、性质、出台期间）随机抽取已出台政策措施并随机指派审查人员（不指派起草单位人员）',
    tag: 'spot-checks',
    auth: 'user',
    body: createBody,
    status: 201,
    responses: { 400: '请求参数不合法', 403: '只有审查员或管理员可以组织抽查', 422: '范围内没有政策措施或审查人员不足' },
  }, ({ actor, body }) => organiseSpotCheck(deps, actor, body));

  api.endpoint({
    method: 'get',
    path: '/spot-checks',
    summary: '抽查列表（审查员和管理员看全部；审查人员看指派给自己的）',
    tag: 'spot-checks',
    auth: 'user',
    query: listQuery,
  }, ({ actor, query }) => listSpotChecks(deps, actor, query.page, query.pageSize));

  api.endpoint({
    method: 'get',
    path: '/spot-checks/:id',
    summary: '抽查详情：样本、指派、结果、种子和抽取依据、操作记录',
    tag: 'spot-checks',
    auth: 'user',
    params: spotCheckParams,
    responses: { 404: '抽查不存在或无权查看' },
  }, ({ actor, params }) => readSpotCheck(deps, actor, params.id));

  api.endpoint({
    method: 'post',
    path: '/spot-checks/:id/results',
    summary: '登记一项政策措施的抽查结果（仅被指派的审查人员；发现问题即开启该政策措施的复查）',
    tag: 'spot-checks',
    auth: 'user',
    params: spotCheckParams,
    body: resultBody,
    responses: { 400: '请求参数不合法', 403: '不是该政策措施的审查人员', 404: '抽查不存在', 409: '已登记或版本过期', 422: '缺少问题事项或说明' },
  }, ({ actor, params, body }) => recordSpotCheckResult(deps, actor, params.id, body));

  return api;
}
