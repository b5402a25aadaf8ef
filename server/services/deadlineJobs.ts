/**
 * The delayed jobs behind a complaint deadline: one to remind the assignee (at the deadline's `remindAt`, 3
 * working days before), one for when it passes (`dueAt`). Both live in Redis as BullMQ delayed jobs, so they
 * survive restarts of every process. Job ids are derived from the deadline's dates, so scheduling the same deadline
 * again adds nothing, and an extended or recounted deadline gets new jobs while the old ones are refused by the
 * domain when they fire.
 */
import type { JobsOptions, Queue } from 'bullmq';
import mongoose from 'mongoose';
import type { Models } from '../db/models/index';
import type { Complaint } from '../domain/complaint';
import { activeDeadlineKind, type ComplaintEffect } from '../domain/complaintWorkflow';
import { shanghaiDateOf } from '../domain/workingDays';
import type { ReminderJob } from '../queues';

export type ScheduleDeadline = Extract<ComplaintEffect, { kind: 'schedule_deadline_jobs' }>;

/**
 * e.g. deadline:6650…:verification.due.2027-01-21, and for the reminder also the day it goes out:
 * deadline:6650…:verification.remind.2027-01-21.2027-01-18 (a recount can move the reminder alone).
 * BullMQ allows at most two colons in a custom id.
 */
export function deadlineJobId(job: ReminderJob, remindAt: string): string {
  const id = `deadline:${job.complaintId}:${job.deadline}.${job.step}.${shanghaiDateOf(new Date(job.dueAt))}`;
  return job.step === 'remind' ? `${id}.${shanghaiDateOf(new Date(remindAt))}` : id;
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
export async function scheduleDeadlineJobs(
  queue: Queue<ReminderJob>,
  effect: ScheduleDeadline,
  now: Date,
  steps: readonly ReminderJob['step'][] = ['remind', 'due'],
): Promise<string[]> {
  const ids: string[] = [];
  for (const step of steps) {
    const job: ReminderJob = { complaintId: effect.complaintId, deadline: effect.deadline, step, dueAt: effect.dueAt };
    const jobId = deadlineJobId(job, effect.remindAt);
    const delay = Math.max(0, actionTime(step, effect) - now.getTime());
    await queue.add(`${effect.deadline}.${step}`, job, { ...jobOptions, jobId, delay });
    ids.push(jobId);
  }
  return ids;
}

/**
 * Schedules the outstanding jobs of every running deadline again; the job ids make this a no-op for those still
 * in Redis. The worker runs it when it starts, so a deadline whose jobs could not be queued (Redis away just
 * after the case was updated) or were lost with Redis's data still gets its reminder and expiry.
 */
export async function resyncDeadlineJobs(models: Models, queue: Queue<ReminderJob>, now: Date): Promise<number> {
  const running = await models.Complaint.find(
    { state: mongoose.trusted({ $in: ['supplement_requested', 'accepted', 'verifying'] }) },
    { state: 1, deadlines: 1, overdue: 1 },
  ).lean<Array<Pick<Complaint, 'state' | 'deadlines' | 'overdue'> & { _id: unknown }>>();
  let scheduled = 0;
  for (const complaint of running) {
    const kind = activeDeadlineKind(complaint.state);
    const deadline = kind ? complaint.deadlines?.[kind] : undefined;
    if (!kind || !deadline) continue;
    const steps: ReminderJob['step'][] = [...(deadline.remindedAt ? [] : ['remind' as const]), ...(complaint.overdue ? [] : ['due' as const])];
    if (steps.length === 0) continue;
    const effect: ScheduleDeadline = { kind: 'schedule_deadline_jobs', complaintId: String(complaint._id), deadline: kind, remindAt: deadline.remindAt, dueAt: deadline.dueAt };
    scheduled += (await scheduleDeadlineJobs(queue, effect, now, steps)).length;
  }
  return scheduled;
}
