/**
 * 存量政策清理 (screening batches): start a batch from a ZIP, follow its progress, pause / resume / cancel it, read
 * the ranked results, confirm or dismiss a document, turn a confirmed one into a policy in recheck, and download
 * the clean-up list (XLSX) and the summary report (DOCX). Each handler is one use-case call.
 */
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { attachmentDisposition } from '../db/files';
import { ISSUING_LEVELS, POLICY_KINDS } from '../domain/policy';
import { assertMayScreen } from '../domain/permissions/screening';
import { BATCH_COMMANDS } from '../domain/screeningBatch';
import { DISPOSITIONS, DOCUMENT_REVIEWS, DOCUMENT_STATUSES } from '../domain/screeningDocument';
import { ApiRouter } from '../http/endpoint';
import { paging, pathId } from '../http/schemas';
import { receiveFileStream } from '../http/streamUpload';
import { batchView, commandBatch, listBatches, readableBatch, startBatchFromZip } from '../services/screening/batches';
import { batchSummaryReport, exportBatchList } from '../services/screening/exports';
import { createRecheckPolicy, getBatchDocument, listBatchDocuments, reviewDocument } from '../services/screening/review';
import { readPolicy } from '../services/policies';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const batchParams = z.strictObject({ id: pathId });
const documentParams = z.strictObject({ id: pathId, documentId: pathId });
const commandBody = z.strictObject({ action: z.enum(BATCH_COMMANDS), rev: z.number().int().min(0), comment: z.string().max(2000).optional() });
const documentsQuery = z.strictObject({
  disposition: z.enum(DISPOSITIONS).optional(),
  review: z.enum(DOCUMENT_REVIEWS).optional(),
  status: z.enum(DOCUMENT_STATUSES).optional(),
  ...paging,
});
const reviewBody = z.strictObject({ decision: z.enum(['confirm', 'dismiss']), reason: z.string().max(2000).optional() });
const recheckBody = z.strictObject({
  departmentId: z.string().max(64).optional(),
  title: z.string().max(200).optional(),
  kind: z.enum(POLICY_KINDS).optional(),
  issuingLevel: z.enum(ISSUING_LEVELS).optional(),
  docNumber: z.string().max(100).optional(),
  reason: z.string().max(2000).optional(),
});

export function screeningRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();

  api.endpoint({
    method: 'post', path: '/screening-batches', tag: 'screening', auth: 'user', status: 202,
    summary: '发起存量政策清理批次：上传 ZIP（multipart 字段 file，可含多级文件夹；可选字段 name 须在 file 之前），由后台逐个筛查',
    responses: { 403: '仅限管理员或市场监管部门审查员', 413: '压缩包过大', 415: '不是 ZIP 压缩包' },
  }, async ({ actor, req }) => {
    assertMayScreen(actor, 'start_batch'); // before a byte of the upload is read
    const batch = await receiveFileStream(req, 'file', (file) =>
      startBatchFromZip(deps, actor, { stream: file.stream, filename: file.filename, name: file.fields.name, maxBytes: deps.config.MAX_BATCH_UPLOAD_BYTES }));
    return batchView(deps, batch, actor);
  });

  api.endpoint({ method: 'get', path: '/screening-batches', summary: '存量政策清理批次列表（最新在前）', tag: 'screening', auth: 'user', query: z.strictObject(paging) },
    async ({ actor, query }) => listBatches(deps, actor, query.page, query.pageSize));

  api.endpoint({ method: 'get', path: '/screening-batches/:id', summary: '批次进度（已完成、失败、总数、速度、剩余时间）', tag: 'screening', auth: 'user', params: batchParams, responses: { 404: '批次不存在' } },
    async ({ actor, params }) => batchView(deps, await readableBatch(deps, actor, params.id), actor));

  api.endpoint({
    method: 'post', path: '/screening-batches/:id/commands', summary: '暂停、继续或取消批次（带上看到的 rev）', tag: 'screening', auth: 'user', params: batchParams, body: commandBody,
    responses: { 404: '批次不存在', 409: '批次状态不允许或 rev 已过期' },
  }, async ({ actor, params, body }) => commandBatch(deps, actor, params.id, body));

  api.endpoint({ method: 'get', path: '/screening-batches/:id/documents', summary: '批次中的文件，风险最高的在前（可按清理意见、审核结论、状态筛选）', tag: 'screening', auth: 'user', params: batchParams, query: documentsQuery, responses: { 404: '批次不存在' } },
    async ({ actor, params, query }) => listBatchDocuments(deps, actor, params.id, query));

  api.endpoint({ method: 'get', path: '/screening-batches/:id/documents/:documentId', summary: '一个文件的筛查结果与问题条款', tag: 'screening', auth: 'user', params: documentParams, responses: { 404: '批次或文件不存在' } },
    async ({ actor, params }) => getBatchDocument(deps, actor, params.id, params.documentId));

  api.endpoint({
    method: 'post', path: '/screening-batches/:id/documents/:documentId/review', summary: '确认或排除一个文件的筛查结果（排除须说明理由）', tag: 'screening', auth: 'user', params: documentParams, body: reviewBody,
    responses: { 403: '仅限市场监管部门审查员', 404: '批次或文件不存在', 409: '文件未完成筛查、无问题条款或已转为复查', 422: '排除须说明理由' },
  }, async ({ actor, params, body }) => reviewDocument(deps, actor, params.id, params.documentId, body));

  api.endpoint({
    method: 'post', path: '/screening-batches/:id/documents/:documentId/recheck-policy', summary: '将已确认的文件转为处于复查状态的政策措施（附筛查发现的问题条款）', tag: 'screening', auth: 'user', params: documentParams, body: recheckBody, status: 201,
    responses: { 400: '起草单位不存在', 403: '仅限市场监管部门审查员', 404: '批次或文件不存在', 409: '文件尚未确认' },
  }, async ({ actor, params, body, res }) => {
    const { policy, created } = await createRecheckPolicy(deps, actor, params.id, params.documentId, body);
    const view = await readPolicy(deps, actor, policy.id);
    if (created) return view;
    res.status(200).json(view); // asked again: the policy made the first time
    return undefined;
  });

  api.endpoint({ method: 'get', path: '/screening-batches/:id/list.xlsx', summary: '下载清理清单 XLSX（文件清单、问题条款两张表，已开启筛选）', tag: 'screening', auth: 'user', params: batchParams, responses: { 404: '批次不存在' } },
    async ({ actor, params, res }) => {
      await exportBatchList(deps, actor, params.id, res, (filename) => {
        res.setHeader('Content-Type', XLSX);
        res.setHeader('Content-Disposition', attachmentDisposition(filename));
      });
      res.end();
    });

  api.endpoint({ method: 'get', path: '/screening-batches/:id/summary.docx', summary: '下载清理情况报告 DOCX（按部门、审查标准、清理意见统计及重点文件）', tag: 'screening', auth: 'user', params: batchParams, responses: { 404: '批次不存在' } },
    async ({ actor, params, res }) => {
      const { filename, docx } = await batchSummaryReport(deps, actor, params.id);
      res.setHeader('Content-Type', DOCX);
      res.setHeader('Content-Disposition', attachmentDisposition(filename));
      res.setHeader('Content-Length', String(docx.length));
      res.end(docx);
    });

  return api;
}
