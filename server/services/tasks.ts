/**
 * Use case: 待办 — the policies, complaints and spot checks on which the signed-in user has a step to take now,
 * soonest deadline first. Loads the open candidates the user can see (at most CANDIDATES of each kind, newest
 * change first) and lets server/domain/tasks.ts decide which are tasks.
 */
import mongoose from 'mongoose';
import { TERMINAL_COMPLAINT_STATES } from '../domain/complaint';
import { isComplaintStaff } from '../domain/permissions/complaint';
import type { Actor } from '../domain/roles';
import { complaintTask, orderTasks, policyTask, spotCheckTask, taskCandidates, type Task } from '../domain/tasks';
import { toComplaint } from '../db/complaintRepository';
import type { Models } from '../db/models/index';
import { policyDirectoryFor } from '../db/policyDirectory';
import { PolicyRepository } from '../db/policyRepository';
import { toSpotCheck } from '../db/spotCheckRepository';

const CANDIDATES = 200;

/** The policy candidates, chosen from the summaries in memory (policyDirectory.ts) and then read by id. */
async function policyCandidates(models: Models, actor: Actor) {
  const directory = policyDirectoryFor(models);
  await directory.sync();
  const { items } = directory.page(taskCandidates(actor), 'updatedAt', 'desc', 1, CANDIDATES);
  return new PolicyRepository(models).findManyWithoutHistory(items.map((s) => s.id));
}

export async function tasksFor({ models }: { models: Models }, actor: Actor): Promise<{ items: Task[]; total: number }> {
  const [policies, complaints, spotChecks] = await Promise.all([
    policyCandidates(models, actor),
    isComplaintStaff(actor)
      ? models.Complaint.find({ state: mongoose.trusted({ $nin: [...TERMINAL_COMPLAINT_STATES] }) }).sort({ updatedAt: -1 }).limit(CANDIDATES).lean()
      : [],
    models.SpotCheck.find({ state: 'in_progress', 'entries.reviewerIds': actor.id }).sort({ createdAt: -1 }).limit(CANDIDATES).lean(),
  ]);
  const tasks = [
    ...policies.map((p) => policyTask(p, actor)),
    ...complaints.map((c) => complaintTask(toComplaint(c), actor)),
    ...spotChecks.map((s) => spotCheckTask(toSpotCheck(s), actor)),
  ].filter((t): t is Task => t !== null);
  const items = orderTasks(tasks);
  return { items, total: items.length };
}
