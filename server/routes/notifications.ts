/**
 * The caller's own notifications (so far: complaint deadline reminders written by the deadline jobs), newest
 * first, and marking one read.
 */
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { ApiRouter } from '../http/endpoint';
import { paging } from '../http/schemas';
import { listNotifications, markNotificationRead } from '../services/notifications';

const listQuery = z.strictObject({ unread: z.enum(['true', 'false']).optional(), ...paging });
const notificationParams = z.strictObject({ id: z.string().min(1).max(64) });

export function notificationRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();

  api.endpoint({
    method: 'get',
    path: '/notifications',
    summary: '我的通知（如举报办理期限提醒），最新在前',
    tag: 'notifications',
    auth: 'user',
    query: listQuery,
  }, ({ actor, query }) => listNotifications(deps, actor, query));

  api.endpoint({
    method: 'post',
    path: '/notifications/:id/read',
    summary: '标记通知为已读',
    tag: 'notifications',
    auth: 'user',
    params: notificationParams,
    responses: { 404: '通知不存在' },
  }, ({ actor, params }) => markNotificationRead(deps, actor, params.id));

  return api;
}
