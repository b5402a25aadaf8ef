/**
 * The caller's own notifications (so far: complaint deadline reminders written by the deadline jobs), newest
 * first, and marking one read.
 */
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { clockOf } from '../clock';
import { NotFoundError } from '../domain/errors';
import { ApiRouter } from '../http/endpoint';
import { paging } from '../http/schemas';

const listQuery = z.strictObject({ unread: z.enum(['true', 'false']).optional(), ...paging });
const notificationParams = z.strictObject({ id: z.string().min(1).max(64) });

export function notificationRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();
  const clock = clockOf(deps);

  api.endpoint({
    method: 'get',
    path: '/notifications',
    summary: '我的通知（如举报办理期限提醒），最新在前',
    tag: 'notifications',
    auth: 'user',
    query: listQuery,
  }, async ({ actor, query }) => {
    const filter = { userId: actor.id, ...(query.unread === 'true' ? { readAt: null } : {}) };
    const [docs, total] = await Promise.all([
      deps.models.Notification.find(filter).sort({ at: -1, _id: -1 }).skip((query.page - 1) * query.pageSize).limit(query.pageSize).lean(),
      deps.models.Notification.countDocuments(filter),
    ]);
    const items = docs.map(({ _id, key: _key, ...fields }) => ({ id: String(_id), ...fields, readAt: fields.readAt ?? null }));
    return { items, total, page: query.page, pageSize: query.pageSize };
  });

  api.endpoint({
    method: 'post',
    path: '/notifications/:id/read',
    summary: '标记通知为已读',
    tag: 'notifications',
    auth: 'user',
    params: notificationParams,
    responses: { 404: '通知不存在' },
  }, async ({ actor, params }) => {
    const found = /^[a-f0-9]{24}$/i.test(params.id)
      ? await deps.models.Notification.findOneAndUpdate({ _id: params.id, userId: actor.id }, { $set: { readAt: clock().toISOString() } }, { new: true }).lean()
      : null;
    if (!found) throw new NotFoundError('notification_not_found', '通知不存在');
    const { _id, key: _key, ...fields } = found;
    return { id: String(_id), ...fields };
  });

  return api;
}
