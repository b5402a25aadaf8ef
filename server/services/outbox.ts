/**
 * The store is the outbox for background work. Saving a document version or a report request and queueing its job
 * are two steps with no transaction around them: if the API dies (or Redis is away) in between, the record says
 * `queued` while Redis holds no job, and a file saved before the record may be referenced by nothing. The worker
 * runs this sweep at start-up and periodically:
 * - a version `queued` or `analysing`, or a report `queued` or `rendering`, with no job behind it is queued again
 *   (job ids are unique per version and report attempt, so a job queued meanwhile is never doubled);
 * - documents of a running screening batch still queued while the screening queue is idle are queued again;
 * - an uploaded file (policy version, complaint attachment) that nothing references is removed once it is older
 *   than the grace period (an upload in progress saves its file a moment before the record naming it);
 * - a summary of the policy list's read model that differs from its policy (its writer died between changing the
 *   policy and publishing the summary) is published again: the first sweep of a worker compares every policy,
 *   later ones only the policies changed since shortly before the previous sweep (`CLOCK_MARGIN_MS` allows for
 *   the clocks of the processes that stamp the changes).
 */
import type { Queue } from 'bullmq';
import mongoose, { type Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Models } from '../db/models/index';
import { PolicyRepository } from '../db/policyRepository';
import { rebuildPolicySummaries, repairRecentSummaries } from '../db/policySummaries';
import { LIVE_JOB_STATES, analysisJobId, type Queues } from '../queues';
import { queueAnalysis } from './policyVersions';
import { requeueLostScreeningJobs } from './screening/documentJobs';

export interface OutboxDeps { models: Models; store: Connection; queues: Queues; config: Config; logger: Logger }
export interface SweepResult { versionsQueued: string[]; reportsQueued: string[]; screeningDocumentsQueued: number; filesRemoved: string[]; summariesRepaired: number }

const CLOCK_MARGIN_MS = 5 * 60_000;

/** `previousSweep`: when this worker's last completed sweep started; absent for its first. */
export async function sweepOutbox(deps: OutboxDeps, now: Date, previousSweep?: Date): Promise<SweepResult> {
  const versionsQueued = await requeueVersions(deps);
  const reportsQueued = await requeueReports(deps);
  const screeningDocumentsQueued = await requeueLostScreeningJobs({ ...deps, clock: () => now });
  const filesRemoved = await removeOrphanFiles(deps, new Date(now.getTime() - deps.config.ORPHAN_FILE_GRACE_MS));
  const summariesRepaired = previousSweep
    ? await repairRecentSummaries(deps.models, new Date(previousSweep.getTime() - CLOCK_MARGIN_MS))
    : await rebuildPolicySummaries(deps.models).then((repaired) => repaired.published + repaired.removed);
  return { versionsQueued, reportsQueued, screeningDocumentsQueued, filesRemoved, summariesRepaired };
}

const jobAlive = async (queue: Queue, jobId: string) => LIVE_JOB_STATES.includes(await queue.getJobState(jobId));

async function requeueVersions(deps: OutboxDeps): Promise<string[]> {
  const pending = await deps.models.Policy.find({ 'versions.analysis.status': mongoose.trusted({ $in: ['queued', 'analysing'] }) }, { 'versions.n': 1, 'versions.analysis.status': 1 }).lean();
  const repo = new PolicyRepository(deps.models);
  const queued: string[] = [];
  for (const policy of pending) {
    const policyId = String(policy._id);
    for (const version of policy.versions.filter((v) => v.analysis?.status === 'queued' || v.analysis?.status === 'analysing')) {
      const jobId = analysisJobId({ policyId, version: version.n });
      if (await jobAlive(deps.queues.analysis, jobId)) continue;
      // a finished job still holds the id; the version says it was never done, so it runs again
      await (await deps.queues.analysis.getJob(jobId))?.remove();
      if (!(await repo.setAnalysis(policyId, version.n, { status: 'queued', progress: 0 }, ['queued', 'analysing']))) continue;
      await queueAnalysis(deps, policyId, version.n);
      queued.push(jobId);
    }
  }
  return queued;
}

async function requeueReports(deps: OutboxDeps): Promise<string[]> {
  const pending = await deps.models.Report.find({ status: mongoose.trusted({ $in: ['queued', 'rendering'] }) }, { attempt: 1 }).lean();
  const queued: string[] = [];
  for (const report of pending) {
    const jobId = `report-${String(report._id)}-${report.attempt}`;
    if (await jobAlive(deps.queues.reports, jobId)) continue;
    await (await deps.queues.reports.getJob(jobId))?.remove();
    await deps.queues.reports.add('render', { reportId: String(report._id) }, { jobId });
    queued.push(jobId);
  }
  return queued;
}

/** Files of the upload buckets older than `before` that no record names. */
async function removeOrphanFiles(deps: OutboxDeps, before: Date): Promise<string[]> {
  const referenced = new Set<string>();
  for (const policy of await deps.models.Policy.find({}, { 'versions.fileId': 1 }).lean()) {
    for (const version of policy.versions) if (version.fileId) referenced.add(String(version.fileId));
  }
  for (const complaint of await deps.models.Complaint.find({}, { 'attachments.fileId': 1 }).lean()) {
    for (const attachment of complaint.attachments ?? []) if (attachment.fileId) referenced.add(String(attachment.fileId));
  }
  const removed: string[] = [];
  for (const name of ['policyVersions', 'complaintAttachments'] as const) {
    const bucket = new mongoose.mongo.GridFSBucket(deps.store.db!, { bucketName: name });
    for (const file of await bucket.find({ uploadDate: { $lt: before } }).toArray()) {
      if (referenced.has(String(file._id))) continue;
      await bucket.delete(file._id);
      removed.push(`${name}/${String(file._id)}`);
    }
  }
  if (removed.length > 0) deps.logger.warn({ removed }, 'outbox: removed uploaded files that no record references');
  return removed;
}
