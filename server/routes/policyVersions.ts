/**
 * Document versions of a policy: upload (stored in GridFS, analysed in the background), analysis status and
 * summary, re-analysis of a failed version, and the original file; use cases in server/services/policyVersions.ts.
 */
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { attachmentDisposition } from '../db/files';
import { ApiRouter } from '../http/endpoint';
import { pathId } from '../http/schemas';
import { reanalyseVersion, uploadVersion, versionFile, versionSummary } from '../services/policyVersions';
import { policyParams } from './policies';

export const versionParams = z.strictObject({ id: pathId, n: z.string().max(12) });

export function policyVersionRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();
  api.endpoint({
    method: 'post',
    path: '/policies/:id/versions',
    summary: '上传新版本文档（multipart 字段 file；DOCX、PDF 或 TXT），排队分析',
    tag: 'versions',
    auth: 'user',
    params: policyParams,
    body: z.strictObject({}),
    upload: { field: 'file', maxBytes: deps.config.MAX_UPLOAD_BYTES },
    status: 202,
    responses: { 400: '缺少文件', 403: '只有起草单位可以上传', 404: '不存在或无权查看', 409: '当前状态不接受新版本', 413: '文件过大', 415: '文件类型不支持或与声明不符', 422: '文件无法读取' },
  }, ({ actor, params, file }) => uploadVersion(deps, actor, params.id, file));

  api.endpoint({
    method: 'get',
    path: '/policies/:id/versions/:n',
    summary: '版本的分析状态、进度、问题统计，以及与上一版相比已解决的问题',
    tag: 'versions',
    auth: 'user',
    params: versionParams,
    responses: { 404: '不存在或无权查看' },
  }, ({ actor, params }) => versionSummary(deps, actor, params.id, params.n));

  api.endpoint({
    method: 'post',
    path: '/policies/:id/versions/:n/analysis',
    summary: '重新分析：分析失败的版本，或任务已丢失（不在队列中）而停在排队/分析中的版本',
    tag: 'versions',
    auth: 'user',
    params: versionParams,
    status: 202,
    responses: { 403: '只有起草单位可以重新分析', 404: '不存在或无权查看', 409: '该版本已分析完成或正在分析' },
  }, ({ actor, params }) => reanalyseVersion(deps, actor, params.id, params.n));

  api.endpoint({
    method: 'get',
    path: '/policies/:id/versions/:n/file',
    summary: '下载版本原始文件',
    tag: 'versions',
    auth: 'user',
    params: versionParams,
    responses: { 404: '不存在或无权查看' },
  }, async ({ actor, params, res }) => {
    const { version, data } = await versionFile(deps, actor, params.id, params.n);
    res.status(200)
      .set({ 'Content-Type': version.mimeType, 'Content-Disposition': attachmentDisposition(version.filename), 'X-Content-Type-Options': 'nosniff', 'X-Checksum-Sha256': version.sha256 })
      .send(data);
  });

  return api;
}
