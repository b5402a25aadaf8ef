/**
 * Boot, session and hash routing. Each screen module exports `render(root, ctx)`; ctx carries the route
 * parameters, the query, the signed-in user, `go(hash)` and an AbortSignal that fires when the user leaves.
 */
import { h, mount } from './dom.js';
import { api } from './api.js';
import { ROLE_LABELS, labelOf } from './labels.js';
import { errorPanel } from './ui.js';
import { loadMeta } from './meta.js';
import { forgetUsers } from './users.js';
import * as login from './screens/login.js';
import * as policyList from './screens/policyList.js';
import * as policyNew from './screens/policyNew.js';
import * as policyDetail from './screens/policyDetail.js';
import * as complaintIntake from './screens/complaintIntake.js';
import * as complaintStatus from './screens/complaintStatus.js';
import * as complaintList from './screens/complaintList.js';
import * as complaintDetail from './screens/complaintDetail.js';
import * as spotChecks from './screens/spotChecks.js';
import * as spotCheckDetail from './screens/spotCheckDetail.js';
import * as stats from './screens/stats.js';

const DRAFTING = ['drafter', 'drafting_lead'];
const POLICY_READERS = [...DRAFTING, 'regulator', 'committee_member', 'evaluator', 'complaint_handler', 'admin'];
const COMPLAINT_HANDLING = ['complaint_handler', 'regulator', 'admin'];
const SUPERVISION = ['regulator', 'admin'];
/** Committee members are in the spot-check reviewer pool too, and see the checks assigned to them. */
const SPOT_CHECKERS = ['regulator', 'admin', 'committee_member'];

/** `roles: null` = public (no login needed). */
const ROUTES = [
  { path: '/login', screen: login, roles: null, title: '登录' },
  { path: '/report', screen: complaintIntake, roles: null, title: '举报' },
  { path: '/report/status', screen: complaintStatus, roles: null, title: '举报办理进度查询' },
  { path: '/policies', screen: policyList, roles: POLICY_READERS, title: '政策措施' },
  { path: '/policies/new', screen: policyNew, roles: DRAFTING, title: '新建政策措施' },
  { path: '/policies/:id', screen: policyDetail, roles: POLICY_READERS, title: '政策措施详情' },
  { path: '/complaints', screen: complaintList, roles: COMPLAINT_HANDLING, title: '举报处理' },
  { path: '/complaints/:id', screen: complaintDetail, roles: COMPLAINT_HANDLING, title: '举报详情' },
  { path: '/spot-checks', screen: spotChecks, roles: SPOT_CHECKERS, title: '抽查' },
  { path: '/spot-checks/:id', screen: spotCheckDetail, roles: SPOT_CHECKERS, title: '抽查详情' },
  { path: '/stats', screen: stats, roles: SUPERVISION, title: '统计' },
];

const NAV = [
  { hash: '#/policies', label: '政策措施', roles: POLICY_READERS },
  { hash: '#/complaints', label: '举报处理', roles: COMPLAINT_HANDLING },
  { hash: '#/spot-checks', label: '抽查', roles: SPOT_CHECKERS },
  { hash: '#/stats', label: '统计', roles: SUPERVISION },
  { hash: '#/report', label: '我要举报', roles: null },
  { hash: '#/report/status', label: '举报进度查询', roles: null },
];

const session = { user: null };
let leave = null;

function match(path) {
  for (const route of ROUTES) {
    const names = [];
    const pattern = new RegExp('^' + route.path.replace(/:([a-zA-Z]+)/g, (_m, name) => { names.push(name); return '([^/]+)'; }) + '$');
    const m = pattern.exec(path);
    if (m) return { route, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
  }
  return null;
}

function homeFor(user) {
  if (!user) return '#/login';
  if (user.role === 'complaint_handler') return '#/complaints';
  return '#/policies';
}

export function go(hash) {
  if (window.location.hash === hash) render();
  else window.location.hash = hash;
}

function renderChrome(currentPath) {
  const user = session.user;
  // Staff see what their role can use; visitors see the public complaint pages.
  const items = NAV.filter((item) => (user ? item.roles?.includes(user.role) : item.roles === null));
  mount(document.getElementById('nav'), items.map((item) => {
    const active = currentPath === item.hash.slice(1) || currentPath.startsWith(item.hash.slice(1) + '/');
    return h('a', { href: item.hash, class: active ? 'active' : null }, item.label);
  }));
  const box = document.getElementById('userbox');
  if (user) {
    mount(box,
      h('span', { class: 'user-name' }, user.displayName || user.username),
      h('span', { class: 'user-meta' }, [user.departmentName, labelOf(ROLE_LABELS, user.role)].filter(Boolean).join(' · ')),
      h('button', { type: 'button', class: 'btn btn-link', onclick: logout }, '退出'));
  } else {
    mount(box, currentPath === '/login' ? null : h('a', { href: '#/login', class: 'btn btn-link' }, '工作人员登录'));
  }
}

async function logout() {
  try {
    await api.post('/auth/logout');
  } catch {
    // the cookie is cleared server-side; even if the call failed we forget the user here
  }
  session.user = null;
  forgetUsers();
  document.getElementById('toast')?.replaceChildren();
  go('#/login');
}

async function render() {
  leave?.abort();
  const controller = new AbortController();
  leave = controller;
  const raw = window.location.hash.replace(/^#/, '') || '/';
  const [path, queryString = ''] = raw.split('?');
  const root = document.getElementById('app');

  if (path === '/' || path === '') {
    window.location.replace(homeFor(session.user));
    return;
  }
  const found = match(path);
  renderChrome(path);
  if (!found) {
    mount(root, h('div', { class: 'card' }, h('h1', null, '页面不存在'), h('p', null, h('a', { href: homeFor(session.user) }, '返回首页'))));
    return;
  }
  const { route, params } = found;
  if (route.roles && !session.user) {
    sessionStorage.setItem('fr:after-login', '#' + raw);
    window.location.replace('#/login');
    return;
  }
  if (route.roles && !route.roles.includes(session.user.role)) {
    mount(root, h('div', { class: 'card' }, h('h1', null, '无权访问'), h('p', null, '您的角色不能使用此功能。'), h('p', null, h('a', { href: homeFor(session.user) }, '返回首页'))));
    return;
  }
  document.title = `${route.title} · 公平竞争审查系统`;
  root.replaceChildren();
  const ctx = {
    params,
    query: Object.fromEntries(new URLSearchParams(queryString)),
    user: session.user,
    signal: controller.signal,
    go,
    setUser(user) {
      session.user = user;
      forgetUsers();
    },
    afterLogin() {
      const target = sessionStorage.getItem('fr:after-login');
      sessionStorage.removeItem('fr:after-login');
      go(target && target !== '#/login' ? target : homeFor(session.user));
    },
  };
  try {
    await route.screen.render(root, ctx);
  } catch (err) {
    if (!controller.signal.aborted) mount(root, errorPanel(err));
  }
}

window.addEventListener('fr:unauthenticated', () => {
  if (!session.user) return;
  session.user = null;
  forgetUsers();
  sessionStorage.setItem('fr:after-login', window.location.hash);
  sessionStorage.setItem('fr:expired', '1');
  go('#/login');
});

async function boot() {
  // The checklist titles come from GET /meta; screens that need them wait for it (and ask again if it failed).
  const meta = loadMeta().catch(() => null);
  try {
    const me = await api.get('/auth/me');
    session.user = me.user ?? null;
  } catch {
    session.user = null;
  }
  await meta;
  window.addEventListener('hashchange', render);
  await render();
}

boot();
