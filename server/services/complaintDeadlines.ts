/**
 * Use case of the complaint deadline jobs (scheduled by deadlineJobs.ts): remind the assignee 3 working days before a deadline,
 * and when it passes, lapse the supplement request or mark the verification overdue.
 *
 * Every effect goes through the domain decision with the system actor and ONE guarded update, so a job that runs
 * twice (a retry after a crash, a duplicate) or late (the deadline was extended, the step already done) is refused
 * by the domain and changes nothing. The reminder is recorded twice over: as a `mark_reminded` event on the case
 * and as a Notification to the assignee, whose unique key makes a second insert a no-op.
 */
import { ComplaintRepository } from '../db/complaintRepository';
import type { Models } from '../db/models/index';
import type { Complaint, TrackedDeadline } from '../domain/complaint';
import { decideComplaintTransition, type ComplaintCommand } from '../domain/complaintWorkflow';
import { isAppError } from '../domain/errors';
import { SYSTEM_ACTOR } from '../domain/supervisionActor';
import { workingDayCalendar } from './calendar';
import type { ReminderJob } from '../queues';
import { actionTime } from './deadlineJobs';
import type { ServiceDeps } from './deps';

export type DeadlineJobOutcome =
  | { outcome: 'applied'; action: ComplaintCommand['action']; notified: string | null }
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'early'; waitMs: number };

const DEADLINE_LABELS: Record<ReminderJob['deadline'], string> = { supplement: '补正', verification: '核查' };

/** Carries out one step of a complaint deadline (a reminder or an expiry), or says how long it is early. */
export async function runDeadlineStep(deps: Pick<ServiceDeps, 'models' | 'clock'>, job: ReminderJob): Promise<DeadlineJobOutcome> {
  const now = deps.clock();
  const repo = new ComplaintRepository(deps.models);
  const complaint = await repo.findById(job.complaintId);
  if (!complaint) return { outcome: 'skipped', reason: 'complaint_not_found' };
  const deadline = complaint.deadlines[job.deadline];
  if (!deadline || deadline.dueAt !== job.dueAt) return { outcome: 'skipped', reason: 'deadline_changed' };

  // Early: promoted by hand, or this process's clock is behind the scheduler's.
  const actAt = actionTime(job.step, deadline);
  if (now.getTime() < actAt) return { outcome: 'early', waitMs: actAt - now.getTime() };

  let decision;
  const command = commandFor(job, complaint);
  try {
    decision = decideComplaintTransition(complaint, SYSTEM_ACTOR, command, now, await workingDayCalendar(deps));
  } catch (err) {
    // already reminded, no longer in that state, …: the domain's refusal is the answer, not a fault to retry
    if (isAppError(err)) return { outcome: 'skipped', reason: err.code };
    throw err;
  }
  const notified = job.step === 'remind' ? await notifyAssignee(deps.models, complaint, job, deadline, now) : null;
  const updated = await repo.apply(complaint, decision);
  // Someone changed the case meanwhile: fail this attempt; the retry decides again on the new state.
  if (!updated) throw new Error(`complaint ${complaint.id} changed while its ${job.deadline} ${job.step} job ran`);
  return { outcome: 'applied', action: command.action, notified };
}

function commandFor(job: ReminderJob, complaint: Complaint): ComplaintCommand {
  if (job.step === 'remind') return { action: 'mark_reminded', rev: complaint.rev, deadline: job.deadline, dueAt: job.dueAt };
  if (job.deadline === 'supplement') return { action: 'lapse', rev: complaint.rev };
  return { action: 'mark_overdue', rev: complaint.rev, dueAt: job.dueAt };
}

/** Inserts the assignee's notification once per deadline (unique key); returns its key, or null without assignee. */
async function notifyAssignee(models: Models, complaint: Complaint, job: ReminderJob, deadline: TrackedDeadline, now: Date): Promise<string | null> {
  if (!complaint.assigneeId) return null;
  const key = `deadline:${complaint.id}:${job.deadline}:${job.dueAt}`;
  const insert = models.Notification.updateOne(
    { key },
    {
      $setOnInsert: {
        key,
        userId: complaint.assigneeId,
        kind: 'complaint_deadline',
        title: `举报 ${complaint.refNo} 的${DEADLINE_LABELS[job.deadline]}期限将于 ${deadline.dueDate} 届满`,
        complaintId: complaint.id,
        refNo: complaint.refNo,
        deadline: job.deadline,
        dueDate: deadline.dueDate,
        at: now.toISOString(),
        readAt: null,
      },
    },
    { upsert: true },
  );
  try {
    await insert;
  } catch (err) {
    // a concurrent run inserted it first: the notification exists, which is all this step needs
    if (!(isAppError(err) && err.code === 'duplicate_key')) throw err;
  }
  return key;
}
