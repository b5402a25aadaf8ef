/**
 * The reading view's data: a version's full text with its 章/节/条 headings (the findings come from the
 * findings routes and point into this text by offset).
 */
import type { AppDeps } from '../appDeps';
import { PolicyRepository } from '../db/policyRepository';
import { ApiRouter } from '../http/endpoint';
import { readVersionText } from '../services/reading';
import { findVersion, versionParams } from './policyVersions';

export function readingRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();
  const repo = new PolicyRepository(deps.models);

  api.endpoint({
    method: 'get',
    path: '/policies/:id/versions/:n/text',
    summary: '版本全文（与分析所读文本一致，问题的偏移量指向此文本）及章、节、条标题，供阅读视图使用',
    tag: 'versions',
    auth: 'user',
    params: versionParams,
    responses: { 404: '不存在或无权查看', 422: '文件无法读取' },
  }, async ({ actor, params }) => {
    const version = findVersion(await repo.findReadable(params.id, actor), params.n);
    return readVersionText(deps.store, version, deps.config.MAX_UPLOAD_BYTES);
  });

  return api;
}
