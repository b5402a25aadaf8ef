import { z } from 'zod';
import type { AppDeps } from '../app';
import { ApiRouter } from '../http/endpoint';
import { idParams, objectId } from '../http/schemas';
import { attachmentDisposition, readFile } from '../db/files';
import { PolicyRepository } from '../db/policyRepository';
import type { Actor } from '../domain/roles';
import { NotFoundError, PreconditionError, ValidationError, ConflictError } from '../errors';
import { REPORT_KINDS, type ReportKind } from '../../templates/index';

const POLICY_KINDS: readonly ReportKind[] = ['review_form', 'annotated_draft', 'joint_review_opinion', 'evaluation_summary'];
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const requestBody = z.strictObject({
  kind: z.enum(REPORT_KINDS as [ReportKind, ...ReportKind[]]),
  policyId: objectId.optional(),
  complaintId: objectId.optional(),
});

/** What a report is about, and whether the caller may read it. Throws 404 for what the caller may not see. */
async function resolveSubject(deps: AppDeps, actor: Actor, body: z.infer<typeof requestBody>) {
  if (POLICY_KINDS.includes(body.kind)) {
    if (!body.policyId) throw new ValidationError('policy_required', '该类报告需要指定 policyId');
    const policy = await new PolicyRepository(deps.models).findReadable(body.policyId, actor);
    if (body.kind === 'joint_review_opinion' && !policy.jointReview) throw new PreconditionError('no_joint_review', '该政策措施未进行会审', { missing: ['jointReview'] });
    if (body.kind === 'evaluation_summary' && policy.evaluations.length === 0) throw new PreconditionError('no_evaluation', '该政策措施未委托第三方评估', { missing: ['evaluation'] });
    if (body.kind === 'annotated_draft' && !policy.versions.some((v) => v.analysis.status === 'analysed')) {
      throw new PreconditionError('not_analysed', '该政策措施尚无完成分析的文档版本', { missing: ['analysedVersion'] });
    }
    return { subjectKey: `policy:${policy.id}`, policyId: policy.id, revision: String(policy.rev) };
  }
  throw new PreconditionError('report_kind_unavailable', `暂不支持生成该类报告: ${body.kind}`);
}

/** The report, if the caller may read its subject; 404 otherwise (as for an unknown id). */
async function readableReport(deps: AppDeps, actor: Actor, id: string) {
  const report = await deps.models.Report.findById(id).lean();
  if (!report) throw new NotFoundError('report_not_found', '报告不存在');
  if (report.policyId) await new PolicyRepository(deps.models).findReadable(String(report.policyId), actor);
  return report;
}

function view(report: { _id: unknown; kind: string; status: string; error?: string | null; filename?: string | null; size?: number | null; revision: string; policyId?: unknown; createdAt?: Date; renderedAt?: Date | null }) {
  return {
    id: String(report._id), kind: report.kind, status: report.status, error: report.error ?? null, revision: report.revision,
    policyId: report.policyId ? String(report.policyId) : null, filename: report.filename ?? null, size: report.size ?? null,
    requestedAt: report.createdAt ?? null, renderedAt: report.renderedAt ?? null,
    fileUrl: report.status === 'ready' ? `/api/v1/reports/${String(report._id)}/file` : null,
  };
}

export function reportRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();
  const { Report } = deps.models;

  api.endpoint({
    method: 'post', path: '/reports', summary: '生成报告（审查表、批注稿、会审意见书、第三方评估摘要等），异步渲染', tag: 'reports', auth: 'user', body: requestBody, status: 202,
    responses: { 404: '对象不存在或无权查看', 422: '缺少生成该报告所需的内容' },
  }, async ({ body, actor }) => {
    const subject = await resolveSubject(deps, actor, body);
    const key = { kind: body.kind, subjectKey: subject.subjectKey, revision: subject.revision };
    let report;
    try {
      report = await Report.findOneAndUpdate(key, { $setOnInsert: { ...key, policyId: subject.policyId, requestedBy: actor.id, status: 'queued' } }, { upsert: true, new: true }).lean();
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      report = await Report.findOne(key).lean(); // a concurrent request inserted it first
    }
    if (!report) throw new Error('report upsert returned nothing');
    if (report.status === 'failed') {
      // A failed render may be asked for again: a new attempt, with a new job id.
      report = await Report.findOneAndUpdate({ _id: report._id, status: 'failed' }, { $set: { status: 'queued', error: null }, $inc: { attempt: 1 } }, { new: true }).lean() ?? report;
    }
    if (report.status === 'queued') {
      await deps.queues.reports.add('render', { reportId: String(report._id) }, { jobId: `report-${String(report._id)}-${report.attempt}` });
    }
    return view(report);
  });

  api.endpoint({ method: 'get', path: '/reports/:id', summary: '报告状态', tag: 'reports', auth: 'user', params: idParams, responses: { 404: '报告不存在' } }, async ({ params, actor }) =>
    view(await readableReport(deps, actor, params.id)));

  api.endpoint({ method: 'get', path: '/reports/:id/file', summary: '下载报告 DOCX', tag: 'reports', auth: 'user', params: idParams, responses: { 404: '报告不存在', 409: '报告尚未生成' } }, async ({ params, actor, res }) => {
    const report = await readableReport(deps, actor, params.id);
    if (report.status !== 'ready' || !report.fileId) throw new ConflictError('report_not_ready', report.status === 'failed' ? `报告生成失败: ${report.error ?? ''}` : '报告尚未生成完成，请稍后再试');
    const data = await readFile(deps.store, 'reports', String(report.fileId));
    res.setHeader('Content-Type', DOCX);
    res.setHeader('Content-Disposition', attachmentDisposition(report.filename ?? 'report.docx'));
    res.setHeader('Content-Length', String(data.length));
    res.end(data);
  });

  return api;
}
