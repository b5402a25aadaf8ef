/**
 * Findings of the analyser, per version, and the reviewer's decision on each (confirm or dismiss with a reason);
 * use cases in server/services/findings.ts.
 */
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { ApiRouter } from '../http/endpoint';
import { pathId } from '../http/schemas';
import { decideFinding, listFindings } from '../services/findings';
import { policyParams } from './policies';
import { versionParams } from './policyVersions';

const findingsQuery = z.strictObject({
  status: z.enum(['pending', 'confirmed', 'dismissed']).optional(),
  itemId: z.string().max(32).optional(),
});

const decisionBody = z.strictObject({
  status: z.enum(['confirmed', 'dismissed']),
  reason: z.string().max(5000).optional(),
});

export function findingRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();

  api.endpoint({
    method: 'get',
    path: '/policies/:id/versions/:n/findings',
    summary: '某一版本的问题清单（可按处理状态、检查项筛选）',
    tag: 'findings',
    auth: 'user',
    params: versionParams,
    query: findingsQuery,
    responses: { 404: '不存在或无权查看' },
  }, ({ actor, params, query }) => listFindings(deps, actor, params.id, params.n, query));

  api.endpoint({
    method: 'get',
    path: '/policies/:id/findings',
    summary: '最新版本的问题清单',
    tag: 'findings',
    auth: 'user',
    params: policyParams,
    query: findingsQuery,
    responses: { 404: '不存在或无权查看' },
  }, ({ actor, params, query }) => listFindings(deps, actor, params.id, 'latest', query));

  api.endpoint({
    method: 'patch',
    path: '/policies/:id/findings/:fid',
    summary: '确认或排除一个问题（排除须说明理由）',
    tag: 'findings',
    auth: 'user',
    params: z.strictObject({ id: pathId, fid: pathId }),
    body: decisionBody,
    responses: { 403: '无权处理', 404: '不存在或无权查看', 409: '已作出审查结论或版本未分析完成', 422: '排除时缺少理由' },
  }, ({ actor, params, body }) => decideFinding(deps, actor, params.id, params.fid, body));

  return api;
}
