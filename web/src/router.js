/**
 * The screens and who may open them (`roles: null` = public). Hash history: deep links work without any
 * server-side routing, and every tab or filter change is a history entry, so Back works.
 */
import { createRouter, createWebHashHistory } from 'vue-router';
import { session, homeFor } from './session.js';

const DRAFTING = ['drafter', 'drafting_lead'];
export const POLICY_READERS = [...DRAFTING, 'regulator', 'committee_member', 'evaluator', 'complaint_handler', 'admin'];
export const COMPLAINT_HANDLING = ['complaint_handler', 'regulator', 'admin'];
export const SUPERVISION = ['regulator', 'admin'];
/** Committee members are in the spot-check reviewer pool too, and see the checks assigned to them. */
export const SPOT_CHECKERS = ['regulator', 'admin', 'committee_member'];

const routes = [
  { path: '/', redirect: () => homeFor(session.user) },
  { path: '/login', component: () => import('./views/Login.vue'), meta: { roles: null, title: '登录' } },
  { path: '/report', component: () => import('./views/ComplaintIntake.vue'), meta: { roles: null, title: '举报' } },
  { path: '/report/status', component: () => import('./views/ComplaintStatus.vue'), meta: { roles: null, title: '举报办理进度查询' } },
  { path: '/policies', component: () => import('./views/PolicyList.vue'), meta: { roles: POLICY_READERS, title: '政策措施' } },
  { path: '/policies/new', component: () => import('./views/PolicyNew.vue'), meta: { roles: DRAFTING, title: '新建政策措施' } },
  { path: '/policies/:id', component: () => import('./views/PolicyDetail.vue'), meta: { roles: POLICY_READERS, title: '政策措施详情' } },
  { path: '/complaints', component: () => import('./views/ComplaintList.vue'), meta: { roles: COMPLAINT_HANDLING, title: '举报处理' } },
  { path: '/complaints/:id', component: () => import('./views/ComplaintDetail.vue'), meta: { roles: COMPLAINT_HANDLING, title: '举报详情' } },
  { path: '/spot-checks', component: () => import('./views/SpotChecks.vue'), meta: { roles: SPOT_CHECKERS, title: '抽查' } },
  { path: '/spot-checks/:id', component: () => import('./views/SpotCheckDetail.vue'), meta: { roles: SPOT_CHECKERS, title: '抽查详情' } },
  { path: '/stats', component: () => import('./views/Stats.vue'), meta: { roles: SUPERVISION, title: '统计' } },
  { path: '/:rest(.*)*', component: () => import('./views/NotFound.vue'), meta: { roles: null, title: '页面不存在' } },
];

export const router = createRouter({ history: createWebHashHistory(), routes });

router.beforeEach((to) => {
  const roles = to.meta.roles;
  if (roles && !session.user) return { path: '/login', query: { next: to.fullPath } };
  return true;
});

router.afterEach((to) => {
  document.title = `${to.meta.title ?? ''} · 公平竞争审查系统`;
});
