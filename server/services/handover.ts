/**
 * Use case: tell the people a policy was handed over to (server/domain/handover.ts), after the transition is
 * stored. Each notice is stored once however often this runs (its key is unique).
 */
import mongoose from 'mongoose';
import { handoverNotices } from '../domain/handover';
import type { Policy } from '../domain/policy';
import type { Models } from '../db/models/index';

export async function notifyHandover(models: Models, policy: Policy, action: string, now: Date): Promise<number> {
  const notices = handoverNotices(policy, action);
  if (notices.length === 0) return 0;
  const staff = async (roles: string[]) =>
    (await models.User.find({ departmentId: policy.draftingDepartmentId, role: mongoose.trusted({ $in: roles }) }, { _id: 1 }).lean()).map((u) => String(u._id));
  const groups: Record<string, () => Promise<string[]>> = { drafting_staff: () => staff(['drafter', 'drafting_lead']), drafting_leads: () => staff(['drafting_lead']) };
  let stored = 0;
  for (const notice of notices) {
    const group = groups[notice.to];
    for (const userId of group ? await group() : [notice.to]) {
      const key = group ? `${notice.key}:${userId}` : notice.key;
      const result = await models.Notification.updateOne({ key }, {
        $setOnInsert: { key, userId, kind: 'handover', title: notice.title, policyId: policy.id, dueDate: notice.dueDate, at: now.toISOString(), readAt: null },
      }, { upsert: true });
      stored += result.upsertedCount;
    }
  }
  return stored;
}
