/** Reports (DOCX): request one (rendered by the worker), its status and its file; use cases in server/services/reports.ts. */
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { attachmentDisposition } from '../db/files';
import { ApiRouter } from '../http/endpoint';
import { idParams, objectId } from '../http/schemas';
import { reportFile, reportStatus, requestReport } from '../services/reports';
import { REPORT_KINDS, type ReportKind } from '../../templates/index';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const requestBody = z.strictObject({
  kind: z.enum(REPORT_KINDS as [ReportKind, ...ReportKind[]]),
  /** review_form, annotated_draft, joint_review_opinion, evaluation_summary */
  policyId: objectId.optional(),
  /** complaint_reply */
  complaintId: objectId.optional(),
  /** statistics: the period (Shanghai dates) and an optional drafting department */
  from: localDate.optional(),
  to: localDate.optional(),
  departmentId: objectId.optional(),
});


export function reportRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();

  api.endpoint({
    method: 'post', path: '/reports', summary: '生成报告（审查表、批注稿、会审意见书、第三方评估摘要、举报答复函、统计报告），异步渲染', tag: 'reports', auth: 'user', body: requestBody, status: 202,
    responses: { 404: '对象不存在或无权查看', 422: '缺少生成该报告所需的内容' },
  }, ({ body, actor }) => requestReport(deps, actor, body));

  api.endpoint({ method: 'get', path: '/reports/:id', summary: '报告状态', tag: 'reports', auth: 'user', params: idParams, responses: { 404: '报告不存在' } }, ({ params, actor }) => reportStatus(deps, actor, params.id));

  api.endpoint({ method: 'get', path: '/reports/:id/file', summary: '下载报告 DOCX', tag: 'reports', auth: 'user', params: idParams, responses: { 404: '报告不存在', 409: '报告尚未生成' } }, async ({ params, actor, res }) => {
    const { filename, data } = await reportFile(deps, actor, params.id);
    res.setHeader('Content-Type', DOCX);
    res.setHeader('Content-Disposition', attachmentDisposition(filename));
    res.setHeader('Content-Length', String(data.length));
    res.end(data);
  });

  return api;
}
