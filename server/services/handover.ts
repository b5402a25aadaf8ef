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
  const drafting = notices.some((n) => n.to === 'drafting_staff')
    ? (await models.User.find({ departmentId: policy.draftingDepartmentId, role: mongoose.trusted({ $in: ['drafter', 'drafting_lead'] }) }, { _id: 1 }).lean()).map((u) => String(u._id))
    : [];
  let stored = 0;
  for (const notice of notices) {
    for (const userId of notice.to === 'drafting_staff' ? drafting : [notice.to]) {
      const key = notice.to === 'drafting_staff' ? `${notice.key}:${userId}` : notice.key;
      const result = await models.Notification.updateOne({ key }, {
        $setOnInsert: { key, userId, kind: 'handover', title: notice.title, policyId: policy.id, dueDate: notice.dueDate, at: now.toISOString(), readAt: null },
      }, { upsert: true });
      stored += result.upsertedCount;
    }
  }
  return stored;
}
