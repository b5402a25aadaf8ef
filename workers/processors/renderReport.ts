/**
 * The reports job: renders one requested report with the `renderReport` use case (server/services/reports.ts).
 * A report whose own data is the problem fails for good (UnrecoverableError); anything else is retried.
 */
import { UnrecoverableError } from 'bullmq';
import { PermanentReportFailure, failReport, renderReport as render } from '../../server/services/reports';
import type { Processor } from '../processor';

export const renderReport: Processor<'reports'> = {
  queue: 'reports',
  async process(job, deps) {
    try {
      return await render(deps, job.data.reportId, { last: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) });
    } catch (err) {
      if (err instanceof PermanentReportFailure) throw new UnrecoverableError(err.message);
      throw err;
    }
  },
  // Also reached by a job that stalled too often to ever get into process().
  async onFinalFailure(job, err, deps) {
    await failReport(deps, job.data.reportId, err.message);
  },
};
