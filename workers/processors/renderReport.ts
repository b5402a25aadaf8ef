/**
 * Renders one requested report to DOCX and stores it in GridFS. Idempotent: a ready report is left alone, and
 * output of an earlier, interrupted attempt is replaced. Errors the data itself causes (a missing joint review,
 * an unreadable document) fail the report at once with their Chinese message; anything else is retried.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import mongoose from 'mongoose';
import { isAppError } from '../../server/domain/errors';
import { deleteFiles, saveFile } from '../../server/db/files';
import { buildReport } from '../../templates/index';
import type { Processor, WorkerDeps } from '../processor';
import type { ReportJob } from '../../server/queues';
import { loadReportData } from '../reports/loadReportData';

export const renderReport: Processor<'reports'> = {
  queue: 'reports',
  async process(job: Job<ReportJob>, deps: WorkerDeps) {
    const { Report } = deps.models;
    const report = await Report.findById(job.data.reportId).lean();
    if (!report || report.status === 'ready') return { skipped: true };
    try {
      // Filters are sanitised store-wide (request values can never be operators), so our own operators are marked trusted.
      await Report.updateOne({ _id: report._id, status: mongoose.trusted({ $ne: 'ready' }) }, { $set: { status: 'rendering', error: null } });
      const subject = { kind: report.kind, policyId: report.policyId ? String(report.policyId) : null, complaintId: report.complaintId ? String(report.complaintId) : null, params: report.params as Record<string, unknown>, requestedBy: String(report.requestedBy) };
      const { data, filename } = await loadReportData(subject, deps.models, deps.store, new Date());
      const docx = await buildReport(report.kind, data as never);
      await deleteFiles(deps.store, 'reports', { reportId: String(report._id) });
      const saved = await saveFile(deps.store, 'reports', filename, docx, { reportId: String(report._id) });
      await Report.updateOne({ _id: report._id }, { $set: { status: 'ready', fileId: saved.fileId, filename, size: saved.size, renderedAt: new Date() } });
      return { fileId: saved.fileId, size: saved.size };
    } catch (err) {
      const finalAttempt = isAppError(err) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (finalAttempt) {
        const message = isAppError(err) ? err.message : '报告生成失败，请稍后重试';
        await Report.updateOne({ _id: report._id }, { $set: { status: 'failed', error: message } });
      }
      if (isAppError(err)) throw new UnrecoverableError(err.message);
      throw err;
    }
  },
  // Also reached by a job that stalled too often to ever get into process().
  async onFinalFailure(job, err, deps) {
    await deps.models.Report.updateOne(
      { _id: job.data.reportId, status: mongoose.trusted({ $ne: 'ready' }) },
      { $set: { status: 'failed', error: `报告生成失败: ${err.message}` } },
    );
  },
};
