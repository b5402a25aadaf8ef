/**
 * Use cases of the DOCX reports: request one (rendered once per kind, subject and revision by the reports worker),
 * read its status, fetch the file, and the rendering itself (workers/processors/renderReport.ts calls
 * `renderReport`). Readers are those who may read the report's subject: the policy's readers; complaint staff for
 * a reply letter (the reporter's name only for those who may see it); regulators and admins for statistics.
 */
import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import { buildReport, type ReportKind } from '../../templates/index';
import { ComplaintRepository } from '../db/complaintRepository';
import { deleteFiles, readFile, saveFile } from '../db/files';
import { loadOverview, statisticsParams } from '../db/overview';
import { PolicyRepository } from '../db/policyRepository';
import { replyOutcome } from '../domain/complaint';
import { maySeeReporter, readReporter } from '../domain/confidentiality';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionError, ValidationError, isAppError } from '../domain/errors';
import { POLICY_REPORT_KINDS, policyReportPrecondition, type PolicyReportKind } from '../domain/permissions/allowedActions';
import { isComplaintStaff } from '../domain/permissions/complaint';
import { statisticsRefusal } from '../domain/permissions/supervision';
import type { Actor } from '../domain/roles';
import type { ServiceDeps } from './deps';
import { loadReportData } from './reportData/loadReportData';

type Deps = ServiceDeps;

export interface ReportRequest {
  kind: ReportKind;
  policyId?: string;
  complaintId?: string;
  from?: string;
  to?: string;
  departmentId?: string;
}

const isPolicyReportKind = (kind: string): kind is PolicyReportKind => (POLICY_REPORT_KINDS as readonly string[]).includes(kind);

/** What a report is about, and whether the caller may read it. Throws 404 for what the caller may not see. */
async function resolveSubject(deps: Deps, actor: Actor, body: ReportRequest) {
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
async function readableReport(deps: Deps, actor: Actor, id: string) {
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
async function recordIdentityRead(deps: Deps, actor: Actor, report: { complaintId?: unknown; params?: unknown }): Promise<void> {
  if (!report.complaintId || !(report.params as { named?: boolean } | undefined)?.named) return;
  const repo = new ComplaintRepository(deps.models);
  const complaint = await repo.findById(String(report.complaintId));
  if (!complaint) throw new NotFoundError('report_not_found', '报告不存在');
  const { record } = readReporter(complaint, actor, 'reply_letter', deps.clock());
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


/** Requests a report: the same kind, subject and revision is rendered once; a failed or lost render is asked for again. */
export async function requestReport(deps: Deps, actor: Actor, body: ReportRequest) {
  const { Report } = deps.models;
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
}

export async function reportStatus(deps: Deps, actor: Actor, id: string) {
  return view(await readableReport(deps, actor, id));
}

export async function reportFile(deps: Deps, actor: Actor, id: string) {
  const report = await readableReport(deps, actor, id);
  if (report.status !== 'ready' || !report.fileId) throw new ConflictError('report_not_ready', report.status === 'failed' ? `报告生成失败: ${report.error ?? ''}` : '报告尚未生成完成，请稍后再试');
  await recordIdentityRead(deps, actor, report);
  return { filename: report.filename ?? 'report.docx', data: await readFile(deps.store, 'reports', String(report.fileId)) };
}

/**
 * Renders one requested report to DOCX and stores it in GridFS. Idempotent: a ready report is left alone, and
 * output of an earlier, interrupted attempt is replaced. Errors the data itself causes (a missing joint review, an
 * unreadable document) fail the report at once with their Chinese message (`final`); anything else is retried
 * unless this was the last attempt.
 */
export async function renderReport(deps: Deps, reportId: string, attempt: { last: boolean }) {
  const { Report } = deps.models;
  const report = await Report.findById(reportId).lean();
  if (!report || report.status === 'ready') return { skipped: true };
  try {
    // Filters are sanitised store-wide (request values can never be operators), so our own operators are marked trusted.
    await Report.updateOne({ _id: report._id, status: mongoose.trusted({ $ne: 'ready' }) }, { $set: { status: 'rendering', error: null } });
    const subject = { kind: report.kind, policyId: report.policyId ? String(report.policyId) : null, complaintId: report.complaintId ? String(report.complaintId) : null, params: report.params as Record<string, unknown>, requestedBy: String(report.requestedBy) };
    const { data, filename } = await loadReportData(subject, deps.models, deps.store, deps.clock());
    const docx = await buildReport(report.kind, data as never);
    await deleteFiles(deps.store, 'reports', { reportId: String(report._id) });
    const saved = await saveFile(deps.store, 'reports', filename, docx, { reportId: String(report._id) });
    await Report.updateOne({ _id: report._id }, { $set: { status: 'ready', fileId: saved.fileId, filename, size: saved.size, renderedAt: deps.clock() } });
    return { fileId: saved.fileId, size: saved.size };
  } catch (err) {
    if (isAppError(err) || attempt.last) {
      const message = isAppError(err) ? err.message : '报告生成失败，请稍后重试';
      await Report.updateOne({ _id: report._id }, { $set: { status: 'failed', error: message } });
    }
    if (isAppError(err)) throw new PermanentReportFailure(err.message);
    throw err;
  }
}

/** The report's own data is the problem: it is marked failed and trying again will not help. */
export class PermanentReportFailure extends Error {}

/** A render that failed for good without recording it (the job stalled too often). */
export async function failReport(deps: Pick<Deps, 'models'>, reportId: string, reason: string) {
  await deps.models.Report.updateOne({ _id: reportId, status: mongoose.trusted({ $ne: 'ready' }) }, { $set: { status: 'failed', error: `报告生成失败: ${reason}` } });
}
