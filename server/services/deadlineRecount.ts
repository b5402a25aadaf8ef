/**
 * Use case: count provisional complaint deadlines again on the current calendar. A deadline reaching into a year
 * without an official holiday schedule is counted Monday–Friday and marked provisional; once an administrator
 * loads that year, the cases it concerns get their exact dates. It runs right after the load, and when a worker
 * starts (should the API have stopped in between).
 *
 * Each case goes through the domain (`recount_deadline`, system actor) and ONE guarded update, which records an
 * event saying what changed; its reminder and expiry jobs are then scheduled for the new dates.
 */
import { ComplaintRepository } from '../db/complaintRepository';
import { activeDeadlineKind, decideComplaintTransition, type ComplaintDecision } from '../domain/complaintWorkflow';
import { isAppError } from '../domain/errors';
import { SYSTEM_ACTOR } from '../domain/supervisionActor';
import type { LocalDate, WorkingDayCalendar } from '../domain/workingDays';
import { scheduleDeadlineJobs } from './deadlineJobs';
import type { ServiceDeps } from './deps';

export interface RecountedDeadline {
  refNo: string;
  deadline: 'supplement' | 'verification';
  previousDueDate: LocalDate;
  dueDate: LocalDate;
  provisional: boolean;
}

export async function recountProvisionalDeadlines(
  deps: Pick<ServiceDeps, 'models' | 'queues' | 'logger'>,
  calendar: WorkingDayCalendar,
  now: Date,
): Promise<RecountedDeadline[]> {
  const repo = new ComplaintRepository(deps.models);
  const recounted: RecountedDeadline[] = [];
  for (const complaint of await repo.withProvisionalDeadlines()) {
    const kind = activeDeadlineKind(complaint.state);
    if (!kind) continue;
    let decision: ComplaintDecision;
    try {
      decision = decideComplaintTransition(complaint, SYSTEM_ACTOR, { action: 'recount_deadline', rev: complaint.rev, deadline: kind }, now, calendar);
    } catch (err) {
      // the calendar still does not cover it, or it is not the running deadline: nothing to do
      if (isAppError(err)) continue;
      throw err;
    }
    // Changed by someone meanwhile: it stays provisional until the next load or worker start recounts it.
    if (!(await repo.apply(complaint, decision))) continue;
    for (const effect of decision.effects) {
      if (effect.kind !== 'schedule_deadline_jobs') continue;
      // A failure here is repaired by the worker, which schedules every running deadline's jobs when it starts.
      await scheduleDeadlineJobs(deps.queues.reminders, effect, now).catch((err: unknown) =>
        deps.logger.error({ err, complaintId: complaint.id }, 'could not schedule recounted deadline jobs'),
      );
    }
    const { previousDueDate, dueDate, provisional } = decision.event.data as Omit<RecountedDeadline, 'refNo' | 'deadline'>;
    recounted.push({ refNo: complaint.refNo, deadline: kind, previousDueDate, dueDate, provisional });
  }
  return recounted;
}
