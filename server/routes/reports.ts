import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { ApiRouter } from '../http/endpoint';
import { idParams, objectId } from '../http/schemas';
import { attachmentDisposition, readFile } from '../db/files';
import { PolicyRepository } from '../db/policyRepository';
import type { Actor } from '../domain/roles';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionError, ValidationError } from '../domain/errors';
import { ComplaintRepository } from '../db/complaintRepository';
import { replyOutcome } from '../domain/complaint';
import { loadOverview, statisticsParams } from '../db/overview';
import { maySeeReporter, readReporter } from '../domain/confidentiality';
import { POLICY_REPORT_KINDS, policyReportPrecondition, type PolicyReportKind } from '../domain/permissions/allowedActions';
import { isComplaintStaff } from '../domain/permissions/complaint';
import { statisticsRefusal } from '../domain/permissions/supervision';

const isPolicyReportKind = (kind: string): kind is PolicyReportKind => (POLICY_REPORT_KINDS as readonly string[]).includes(kind);
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


/** What a report is about, and whether the caller may read it. Throws 404 for what the caller may not see. */
async function resolveSubject(deps: AppDeps, actor: Actor, body: z.infer<typeof requestBody>) {
  if (isPolicyReportKind(body.kind)) {
    if (!body.policyId) throw new ValidationError('policy_required', '该类报告需要指定 policyId');
    const policy = await new PolicyRepository(deps.models).findReadable(body.policyId, actor);
    const lacking = policyReportPrecondition(body.kind, policy);
    if (lacking) throw new PreconditionError(lacking.code, lacking.reason, { missing: [lacking.missing] });
    return { subjectKey: `policy:${policy.id}`, policyId: policy.id, revision: String(policy.rev), params: {} };
  }
  if (body.kind === 'complaint_reply') {
    if (!body.complaintId) throw new ValidationError('complaint_required', '答复函需要指定 complaintId');
    if (!isComplaintStaff(actor)) throw new ForbiddenError('forbidden', '只有举报处理人员、市场监管部门审查员或管理员可以生成答复函');
    const complaint = await new ComplaintRepository(deps.models).findById(body.complaintId);
    if (!complaint) throw new NotFoundError('complaint_not_found', '举报案件不存在');
    if (!replyOutcome(complaint)) throw new PreconditionError('complaint_not_concluded', '举报尚未办理出结果，不能生成答复函', { missing: ['finding'] });
    // A letter that names the reporter is a separate render, readable only by those who may see the reporter.
    const named = maySeeReporter(actor, complaint);
    return { subjectKey: `complaint:${complaint.id}`, complaintId: complaint.id, revision: `${complaint.rev}:${named ? 'named' : 'masked'}`, params: { named } };
  }
  if (statisticsRefusal(actor)) throw new ForbiddenError('forbidden', '只有市场监管部门审查员或管理员可以生成统计报告');
  const params = statisticsParams({ from: body.from, to: body.to, departmentId: body.departmentId });
  // The same period with the same figures is the same report; new data makes a new one.
  const { generatedAt: _generatedAt, ...figures } = await loadOverview(deps.models, params, new Date());
  const fingerprint = createHash('sha256').update(JSON.stringify(figures)).digest('hex').slice(0, 16);
  return { subjectKey: `statistics:${params.from ?? ''}:${params.to ?? ''}:${params.departmentId ?? ''}`, revision: fingerprint, params };
}

/** The report, if the caller may read its subject; 404 otherwise (as for an unknown id). */
async function readableReport(deps: AppDeps, actor: Actor, id: string) {
  const report = await deps.models.Report.findById(id).lean();
  if (!report) throw new NotFoundError('report_not_found', '报告不存在');
  if (report.policyId) await new PolicyRepository(deps.models).findReadable(String(report.policyId), actor);
  if (report.complaintId) {
    const complaint = await new ComplaintRepository(deps.models).findById(String(report.complaintId));
    const named = Boolean((report.params as { named?: boolean } | undefined)?.named);
    if (!complaint || !isComplaintStaff(actor) || (named && !maySeeReporter(actor, complaint))) throw new NotFoundError('report_not_found', '报告不存在');
  }
  if (report.kind === 'statistics' && statisticsRefusal(actor)) throw new NotFoundError('report_not_found', '报告不存在');
  return report;
}

/**
 * A reply letter that names the reporter shows their identity: its download is a read of the identity, recorded
 * on the complaint like a read of the case detail, before the file is sent.
 */
async function recordIdentityRead(deps: AppDeps, actor: Actor, report: { complaintId?: unknown; params?: unknown }): Promise<void> {
  if (!report.complaintId || !(report.params as { named?: boolean } | undefined)?.named) return;
  const repo = new ComplaintRepository(deps.models);
  const complaint = await repo.findById(String(report.complaintId));
  if (!complaint) throw new NotFoundError('report_not_found', '报告不存在');
  const { record } = readReporter(complaint, actor, 'reply_letter', new Date());
  if (record) await repo.recordReporterRead(complaint.id, record);
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
    method: 'post', path: '/reports', summary: '生成报告（审查表、批注稿、会审意见书、第三方评估摘要、举报答复函、统计报告），异步渲染', tag: 'reports', auth: 'user', body: requestBody, status: 202,
    responses: { 404: '对象不存在或无权查看', 422: '缺少生成该报告所需的内容' },
  }, async ({ body, actor }) => {
    const subject = await resolveSubject(deps, actor, body);
    const key = { kind: body.kind, subjectKey: subject.subjectKey, revision: subject.revision };
    let report;
    try {
      report = await Report.findOneAndUpdate(key, { $setOnInsert: { ...key, policyId: subject.policyId ?? null, complaintId: subject.complaintId ?? null, params: subject.params, requestedBy: actor.id, status: 'queued' } }, { upsert: true, new: true }).lean();
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      report = await Report.findOne(key).lean(); // a concurrent request inserted it first
    }
    if (!report) throw new Error('report upsert returned nothing');
    const jobId = (attempt: number) => `report-${String(report!._id)}-${attempt}`;
    // A failed render, or one whose job is gone (failed before it could say so, or lost from Redis), may be asked
    // for again: a new attempt, with a new job id.
    const job = report.status === 'ready' ? undefined : await deps.queues.reports.getJob(jobId(report.attempt));
    const jobGone = report.status !== 'ready' && report.status !== 'failed' && (!job || (await job.isFailed()) || (await job.isCompleted()));
    if (report.status === 'failed' || jobGone) {
      report = await Report.findOneAndUpdate({ _id: report._id, attempt: report.attempt }, { $set: { status: 'queued', error: null }, $inc: { attempt: 1 } }, { new: true }).lean() ?? report;
    }
    if (report.status === 'queued') {
      await deps.queues.reports.add('render', { reportId: String(report._id) }, { jobId: jobId(report.attempt) });
    }
    return view(report);
  });

  api.endpoint({ method: 'get', path: '/reports/:id', summary: '报告状态', tag: 'reports', auth: 'user', params: idParams, responses: { 404: '报告不存在' } }, async ({ params, actor }) =>
    view(await readableReport(deps, actor, params.id)));

  api.endpoint({ method: 'get', path: '/reports/:id/file', summary: '下载报告 DOCX', tag: 'reports', auth: 'user', params: idParams, responses: { 404: '报告不存在', 409: '报告尚未生成' } }, async ({ params, actor, res }) => {
    const report = await readableReport(deps, actor, params.id);
    if (report.status !== 'ready' || !report.fileId) throw new ConflictError('report_not_ready', report.status === 'failed' ? `报告生成失败: ${report.error ?? ''}` : '报告尚未生成完成，请稍后再试');
    await recordIdentityRead(deps, actor, report);
    const data = await readFile(deps.store, 'reports', String(report.fileId));
    res.setHeader('Content-Type', DOCX);
    res.setHeader('Content-Disposition', attachmentDisposition(report.filename ?? 'report.docx'));
    res.setHeader('Content-Length', String(data.length));
    res.end(data);
  });

  return api;
}
