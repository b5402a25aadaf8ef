/**
 * Complaint deadline jobs (see server/services/deadlineJobs.ts): remind the assignee 3 working days before a deadline,
 * and when it passes, lapse the supplement request or mark the verification overdue.
 *
 * Every effect goes through the domain decision with the system actor and ONE guarded update, so a job that runs
 * twice (a retry after a crash, a duplicate) or late (the deadline was extended, the step already done) is refused
 * by the domain and changes nothing. The reminder is recorded twice over: as a `mark_reminded` event on the case
 * and as a Notification to the assignee, whose unique key makes a second insert a no-op.
 */
import { DelayedError } from 'bullmq';
import { systemClock } from '../../server/clock';
import { ComplaintRepository } from '../../server/db/complaintRepository';
import type { Models } from '../../server/db/models/index';
import { CN_CALENDAR } from '../../server/domain/workingDays';
import type { Complaint, TrackedDeadline } from '../../server/domain/complaint';
import { decideComplaintTransition, type ComplaintCommand } from '../../server/domain/complaintWorkflow';
import { SYSTEM_ACTOR } from '../../server/domain/supervisionActor';
import { isAppError } from '../../server/domain/errors';
import { actionTime } from '../../server/services/deadlineJobs';
import type { Processor } from '../processor';
import type { ReminderJob } from '../../server/queues';

export type DeadlineJobOutcome =
  | { outcome: 'applied'; action: ComplaintCommand['action']; notified: string | null }
  | { outcome: 'skipped'; reason: string };

const DEADLINE_LABELS: Record<ReminderJob['deadline'], string> = { supplement: '补正', verification: '核查' };

export const complaintDeadlines: Processor<'reminders'> = {
  queue: 'reminders',
  async process(job, deps): Promise<DeadlineJobOutcome> {
    const now = (deps.clock ?? systemClock)();
    const repo = new ComplaintRepository(deps.models);
    const complaint = await repo.findById(job.data.complaintId);
    if (!complaint) return { outcome: 'skipped', reason: 'complaint_not_found' };
    const deadline = complaint.deadlines[job.data.deadline];
    if (!deadline || deadline.dueAt !== job.data.dueAt) return { outcome: 'skipped', reason: 'deadline_changed' };

    const actAt = actionTime(job.data.step, deadline);
    if (now.getTime() < actAt) {
      // Early: promoted by hand, or this process's clock is behind the scheduler's. Wait the rest in Redis.
      await job.moveToDelayed(Date.now() + (actAt - now.getTime()), job.token);
      throw new DelayedError();
    }

    let decision;
    const command = commandFor(job.data, complaint);
    try {
      decision = decideComplaintTransition(complaint, SYSTEM_ACTOR, command, now, CN_CALENDAR);
    } catch (err) {
      // already reminded, no longer in that state, …: the domain's refusal is the answer, not a fault to retry
      if (isAppError(err)) return { outcome: 'skipped', reason: err.code };
      throw err;
    }
    const notified = job.data.step === 'remind' ? await notifyAssignee(deps.models, complaint, job.data, deadline, now) : null;
    const updated = await repo.apply(complaint, decision);
    // Someone changed the case meanwhile: fail this attempt; the retry decides again on the new state.
    if (!updated) throw new Error(`complaint ${complaint.id} changed while its ${job.data.deadline} ${job.data.step} job ran`);
    return { outcome: 'applied', action: command.action, notified };
  },
};

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
