/** Use cases of the caller's own notifications (so far: complaint deadline reminders written by the deadline jobs). */
import { isObjectIdHex } from '../db/storedValues';
import { NotFoundError } from '../domain/errors';
import type { Actor } from '../domain/roles';
import type { ServiceDeps } from './deps';

type Deps = Pick<ServiceDeps, 'models' | 'clock'>;

/** Newest first; optionally only the unread. */
export async function listNotifications(deps: Deps, actor: Actor, query: { unread?: 'true' | 'false'; page: number; pageSize: number }) {
  const filter = { userId: actor.id, ...(query.unread === 'true' ? { readAt: null } : {}) };
  const [docs, total] = await Promise.all([
    deps.models.Notification.find(filter).sort({ at: -1, _id: -1 }).skip((query.page - 1) * query.pageSize).limit(query.pageSize).lean(),
    deps.models.Notification.countDocuments(filter),
  ]);
  const items = docs.map(({ _id, key: _key, ...fields }) => ({ id: String(_id), ...fields, readAt: fields.readAt ?? null }));
  return { items, total, page: query.page, pageSize: query.pageSize };
}

export async function markNotificationRead(deps: Deps, actor: Actor, id: string) {
  const found = isObjectIdHex(id)
    ? await deps.models.Notification.findOneAndUpdate({ _id: id, userId: actor.id }, { $set: { readAt: deps.clock().toISOString() } }, { new: true }).lean()
    : null;
  if (!found) throw new NotFoundError('notification_not_found', '通知不存在');
  const { _id, key: _key, ...fields } = found;
  return { id: String(_id), ...fields };
}
