/**
 * The analysis job: one uploaded version of a policy (job id unique per version, see server/queues.ts), carried
 * out by the `analyseVersion` use case (server/services/analysis.ts). A document that cannot be read fails the job
 * for good (UnrecoverableError); any other fault is retried with backoff. A worker that dies mid-job loses its
 * lock, and BullMQ's stalled-job check gives the job to another worker; a job that stalls too often fails, and
 * `onFinalFailure` marks the version failed, so no version stays `analysing` while a worker is running.
 */
import { UnrecoverableError } from 'bullmq';
import { PermanentAnalysisFailure, analyseVersion, failAnalysis } from '../../server/services/analysis';
import type { Processor } from '../processor';


export const analysePolicyVersion: Processor<'analysis'> = {
  queue: 'analysis',
  async process(job, deps) {
    try {
      return await analyseVersion(deps, {
        policyId: job.data.policyId,
        n: job.data.version,
        attempt: job.attemptsMade + 1,
        attempts: job.opts.attempts ?? 1,
        reportProgress: (progress) => job.updateProgress(progress),
      });
    } catch (err) {
      if (err instanceof PermanentAnalysisFailure) throw new UnrecoverableError(err.message);
      throw err;
    }
  },
  async onFinalFailure(job, err, deps) {
    await failAnalysis(deps, job.data.policyId, job.data.version, err.message);
  },
};
