/**
 * The delayed jobs behind a complaint deadline: one to remind the assignee (at the deadline's `remindAt`, 3
 * working days before), one for when it passes (`dueAt`). Both live in Redis as BullMQ delayed jobs, so they
 * survive restarts of every process. Job ids are derived from the deadline, so scheduling the same deadline again
 * adds nothing, and an extended deadline gets new jobs while the old ones are refused by the domain when they fire.
 */
import type { JobsOptions, Queue } from 'bullmq';
import type { ComplaintEffect } from '../server/domain/complaintWorkflow';
import { shanghaiDateOf } from '../server/domain/workingDays';
import type { ReminderJob } from './queues';

export type ScheduleDeadline = Extract<ComplaintEffect, { kind: 'schedule_deadline_jobs' }>;

/** e.g. deadline:6650…:verification.remind.2027-01-21 (BullMQ allows at most two colons in a custom id). */
export function deadlineJobId(job: ReminderJob): string {
  return `deadline:${job.complaintId}:${job.deadline}.${job.step}.${shanghaiDateOf(new Date(job.dueAt))}`;
}

/** When a job should act: the reminder at remindAt, the expiry just after the last millisecond of the due date. */
export function actionTime(step: ReminderJob['step'], deadline: { remindAt: string; dueAt: string }): number {
  return step === 'remind' ? Date.parse(deadline.remindAt) : Date.parse(deadline.dueAt) + 1;
}

const jobOptions: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { count: 5000 },
  removeOnFail: { count: 5000 },
};

/**
 * Adds both jobs of a deadline. `now` is the deciding clock's time: the delay is how long until the job should
 * act by that clock (0 when already past, e.g. an extension to a date less than 3 working days away).
 */
export async function scheduleDeadlineJobs(queue: Queue<ReminderJob>, effect: ScheduleDeadline, now: Date): Promise<string[]> {
  const ids: string[] = [];
  for (const step of ['remind', 'due'] as const) {
    const job: ReminderJob = { complaintId: effect.complaintId, deadline: effect.deadline, step, dueAt: effect.dueAt };
    const jobId = deadlineJobId(job);
    const delay = Math.max(0, actionTime(step, effect) - now.getTime());
    await queue.add(`${effect.deadline}.${step}`, job, { ...jobOptions, jobId, delay });
    ids.push(jobId);
  }
  return ids;
}
