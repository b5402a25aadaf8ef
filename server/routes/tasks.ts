/** 待办: what awaits the signed-in user (see server/services/tasks.ts). */
import type { AppDeps } from '../appDeps';
import { ApiRouter } from '../http/endpoint';
import { tasksFor } from '../services/tasks';

export function taskRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();
  api.endpoint({
    method: 'get',
    path: '/tasks',
    summary: '我的待办：当前用户现在可以办理的政策措施、举报和抽查（期限最近的在前）',
    tag: 'tasks',
    auth: 'user',
  }, async ({ actor }) => tasksFor(deps, actor));
  return api;
}
