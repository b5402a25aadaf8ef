/**
 * The screens and what opens them: `public`, any signed-in user (`signedIn`), or the user action GET /auth/me
 * must allow (`needs`). Hash history: deep links work without any
 * server-side routing, and every tab or filter change is a history entry, so Back works.
 */
import { createRouter, createWebHashHistory } from 'vue-router';
import { session, homeFor } from './session.js';

const routes = [
  { path: '/', redirect: () => homeFor(session.user) },
  { path: '/login', component: () => import('./views/Login.vue'), meta: { public: true, title: '登录' } },
  { path: '/report', component: () => import('./views/ComplaintIntake.vue'), meta: { public: true, title: '举报' } },
  { path: '/report/status', component: () => import('./views/ComplaintStatus.vue'), meta: { public: true, title: '举报办理进度查询' } },
  { path: '/tasks', component: () => import('./views/Tasks.vue'), meta: { signedIn: true, title: '我的待办' } },
  { path: '/policies', component: () => import('./views/PolicyList.vue'), meta: { signedIn: true, title: '政策措施' } },
  { path: '/policies/new', component: () => import('./views/PolicyNew.vue'), meta: { needs: 'create_policy', title: '新建政策措施' } },
  { path: '/policies/:id/versions/:n/read', component: () => import('./views/ReadingView.vue'), meta: { signedIn: true, title: '全文阅读' } },
  { path: '/policies/:id/versions/:n/compare', component: () => import('./views/ComparisonView.vue'), meta: { signedIn: true, title: '版本比较' } },
  { path: '/policies/:id', component: () => import('./views/PolicyDetail.vue'), meta: { signedIn: true, title: '政策措施详情' } },
  { path: '/complaints', component: () => import('./views/ComplaintList.vue'), meta: { needs: 'list_complaints', title: '举报处理' } },
  { path: '/complaints/:id', component: () => import('./views/ComplaintDetail.vue'), meta: { needs: 'list_complaints', title: '举报详情' } },
  { path: '/spot-checks', component: () => import('./views/SpotChecks.vue'), meta: { needs: 'list_spot_checks', title: '抽查' } },
  { path: '/spot-checks/:id', component: () => import('./views/SpotCheckDetail.vue'), meta: { needs: 'list_spot_checks', title: '抽查详情' } },
  { path: '/screening', component: () => import('./views/ScreeningBatches.vue'), meta: { needs: 'list_screening_batches', title: '存量清理' } },
  { path: '/screening/:id', component: () => import('./views/ScreeningBatchDetail.vue'), meta: { needs: 'list_screening_batches', title: '清理批次' } },
  { path: '/admin', component: () => import('./views/Admin.vue'), meta: { needs: 'manage_accounts', title: '系统管理' } },
  { path: '/stats', component: () => import('./views/Stats.vue'), meta: { needs: 'view_statistics', title: '统计' } },
  { path: '/:rest(.*)*', component: () => import('./views/NotFound.vue'), meta: { public: true, title: '页面不存在' } },
];

export const router = createRouter({ history: createWebHashHistory(), routes });

router.beforeEach((to) => {
  if (!to.meta.public && !session.user) return { path: '/login', query: { next: to.fullPath } };
  return true;
});

router.afterEach((to) => {
  document.title = `${to.meta.title ?? ''} · 公平竞争审查系统`;
});
