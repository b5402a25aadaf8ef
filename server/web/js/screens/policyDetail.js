/**
 * 政策措施详情: header with the state badge, then tabs — 概况与办理, 文本与审查, 自我审查, 审查记录, 文书下载.
 * Every change reloads the policy (its `rev` guards the next command) and keeps the open tab.
 */
import { h, mount } from '../dom.js';
import { api } from '../api.js';
import { ISSUING_LEVEL_LABELS, POLICY_KIND_LABELS, POLICY_STATE_LABELS, POLICY_STATE_TONES, labelOf } from '../labels.js';
import { errorPanel, loading, stateBadge } from '../ui.js';
import { renderOverview } from '../policy/overview.js';
import { renderVersions } from '../policy/versions.js';
import { renderSelfReview } from '../policy/selfReview.js';
import { renderHistory } from '../policy/history.js';
import { renderReports } from '../policy/reports.js';
import { rememberUser } from '../users.js';

const TABS = [
  { id: 'overview', label: '概况与办理', render: renderOverview },
  { id: 'documents', label: '文本与疑似问题', render: renderVersions },
  { id: 'self-review', label: '自我审查', render: renderSelfReview },
  { id: 'history', label: '审查记录', render: renderHistory },
  { id: 'reports', label: '文书下载', render: renderReports },
];

export async function render(root, ctx) {
  const id = ctx.params.id;
  let tab = TABS.some((t) => t.id === ctx.query.tab) ? ctx.query.tab : 'overview';
  const head = h('div');
  const tabBar = h('div', { class: 'tabs', role: 'tablist' });
  const content = h('div');
  mount(root, h('div', { class: 'breadcrumb' }, h('a', { href: '#/policies' }, '政策措施'), ' / 详情'), head, tabBar, content);
  mount(content, loading());

  /** The page's shared state: the loaded policy and what the user may do with it. */
  const page = {
    id,
    user: ctx.user,
    signal: ctx.signal,
    policy: null,
    /** workflow transitions the server offers this user now */
    actions: [],
    /** upload_version, update_self_review, sign_off when allowed now */
    recordActions: [],
    /** Re-reads the policy and redraws the header and the current tab. */
    async reload() {
      const [result, history] = await Promise.all([
        api.get(`/policies/${encodeURIComponent(id)}`),
        api.get(`/policies/${encodeURIComponent(id)}/history`).catch(() => ({ events: [] })),
      ]);
      if (ctx.signal.aborted) return;
      // The record names people by id; the history's actors give us their user names.
      rememberUser(ctx.user.id, ctx.user.displayName || ctx.user.username);
      for (const e of history.events ?? []) rememberUser(e.actor?.id, e.actor?.username);
      page.policy = result;
      page.actions = result.availableActions ?? [];
      page.recordActions = result.availableRecordActions ?? [];
      drawHead();
      await drawTab();
    },
    showTab(next) {
      tab = next;
      window.history.replaceState(null, '', `#/policies/${encodeURIComponent(id)}?tab=${next}`);
      drawTabs();
      drawTab();
    },
  };

  function drawHead() {
    const p = page.policy;
    mount(head, h('div', { class: 'page-header' },
      h('div', null,
        h('div', { class: 'detail-head' }, h('h1', null, p.title), stateBadge(p.state, POLICY_STATE_LABELS, POLICY_STATE_TONES)),
        h('div', { class: 'subtitle muted' }, [
          labelOf(POLICY_KIND_LABELS, p.kind),
          labelOf(ISSUING_LEVEL_LABELS, p.issuingLevel),
          p.draftingDepartmentName,
          p.docNumber && `文号：${p.docNumber}`,
        ].filter(Boolean).join(' · ')))));
    drawTabs();
  }

  function drawTabs() {
    mount(tabBar, TABS.map((t) => h('button', {
      type: 'button', role: 'tab', class: t.id === tab ? 'active' : null, 'aria-selected': t.id === tab ? 'true' : 'false',
      onclick: () => page.showTab(t.id),
    }, t.label)));
  }

  async function drawTab() {
    const current = TABS.find((t) => t.id === tab);
    const target = h('div');
    mount(content, target);
    try {
      await current.render(target, page);
    } catch (err) {
      if (!ctx.signal.aborted) mount(target, errorPanel(err));
    }
  }

  try {
    await page.reload();
  } catch (err) {
    mount(head);
    tabBar.hidden = true;
    mount(content, errorPanel(err));
  }
}
