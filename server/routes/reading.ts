/**
 * The reading view's data: a version's full text with its 章/节/条 headings (the findings come from the
 * findings routes and point into this text by offset), and the clause-level comparison of two versions.
 */
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { ApiRouter } from '../http/endpoint';
import { compareVersionTexts, readVersionText } from '../services/reading';
import { versionParams } from './policyVersions';

const comparisonQuery = z.strictObject({
  with: z.coerce.number().int().min(1).max(999_999_999).optional(),
});

export function readingRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();

  api.endpoint({
    method: 'get',
    path: '/policies/:id/versions/:n/text',
    summary: '版本全文（与分析所读文本一致，问题的偏移量指向此文本）及章、节、条标题，供阅读视图使用',
    tag: 'versions',
    auth: 'user',
    params: versionParams,
    responses: { 404: '不存在或无权查看', 422: '文件无法读取' },
  }, ({ actor, params }) => readVersionText(deps, actor, params.id, params.n));

  api.endpoint({
    method: 'get',
    path: '/policies/:id/versions/:n/comparison',
    summary: '两个版本逐条比较：修改、新增、删除的条款，以及每处修改解决了较早版本的哪些疑似问题（with 缺省为上一个已分析的版本）',
    tag: 'versions',
    auth: 'user',
    params: versionParams,
    query: comparisonQuery,
    responses: { 400: '与自身比较', 404: '不存在或无权查看', 409: '版本尚未完成分析，或没有可比较的较早版本', 422: '文件无法读取' },
  }, ({ actor, params, query }) => compareVersionTexts(deps, actor, params.id, params.n, query.with));

  return api;
}
