/**
 * The complaint deadline job (remind the assignee, or lapse / mark overdue when the deadline passes), carried out by
 * the `runDeadlineStep` use case (server/services/complaintDeadlines.ts). A job that comes early waits the rest of
 * its time in Redis.
 */
import { DelayedError } from 'bullmq';
import { runDeadlineStep } from '../../server/services/complaintDeadlines';
import type { Processor } from '../processor';

export const complaintDeadlines: Processor<'reminders'> = {
  queue: 'reminders',
  async process(job, deps) {
    const result = await runDeadlineStep(deps, job.data);
    if (result.outcome === 'early') {
      await job.moveToDelayed(Date.now() + result.waitMs, job.token);
      throw new DelayedError();
    }
    return result;
  },
};
