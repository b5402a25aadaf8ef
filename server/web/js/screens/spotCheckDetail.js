/**
 * 抽查详情 (GET /spot-checks/:id): the draw (seed, population, sample), each drawn policy with its reviewers and
 * result, and the result form for the signed-in reviewer (POST /spot-checks/:id/results).
 */
import { h, mount, formatDateTime, formValues } from '../dom.js';
import { api } from '../api.js';
import { departments } from '../departments.js';
import { checklistItems, checklistTitle } from '../meta.js';
import { SPOT_CHECK_OUTCOME_LABELS } from '../labels.js';
import { badge, busy, errorPanel, facts, field, loading, section, toast } from '../ui.js';
import { rememberUser, userName, usersWithRole } from '../users.js';
import { scopeText } from './spotChecks.js';

export async function render(root, ctx) {
  const id = ctx.params.id;
  const crumb = () => h('div', { class: 'breadcrumb' }, h('a', { href: '#/spot-checks' }, '抽查'), ' / 详情');
  mount(root, crumb(), loading());
  const [titles, items, departmentList] = await Promise.all([policyTitles(), checklistItems(), departments(), usersWithRole('committee_member')]);
  const departmentNames = new Map(departmentList.map((d) => [d.id, d.name]));

  async function reload() {
    let s;
    try {
      s = await api.get(`/spot-checks/${encodeURIComponent(id)}`);
    } catch (err) {
      mount(root, crumb(), errorPanel(err));
      return;
    }
    if (ctx.signal.aborted) return;
    rememberUser(ctx.user.id, ctx.user.displayName || ctx.user.username);
    for (const e of s.events ?? []) rememberUser(e.actor?.id, e.actor?.username);
    const mine = new Set(s.myEntries ?? []);
    mount(root,
      crumb(),
      h('div', { class: 'page-header' }, h('div', null,
        h('div', { class: 'detail-head' }, h('h1', null, '抽查'), s.state === 'completed' ? badge('已完成', 'success') : badge('进行中', 'info')),
        h('div', { class: 'subtitle muted' }, `组织时间 ${formatDateTime(s.createdAt)}`))),
      section('抽取情况', facts([
        ['范围', scopeText(s.scope, departmentNames)],
        ['总体', `${s.populationSize} 件已出台政策措施`],
        ['抽取', `${s.sampleSize} 件`],
        ['随机种子', h('code', null, s.seed)],
        ['组织人', userName(s.createdBy)],
      ])),
      section('样本与结果', h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
        h('thead', null, h('tr', null, h('th', null, '政策措施'), h('th', null, '审查人员'), h('th', null, '结果'), h('th', null, '问题事项与说明'))),
        h('tbody', null, s.entries.map((e) => h('tr', null,
          h('td', { class: 'title-cell' }, h('a', { href: `#/policies/${encodeURIComponent(e.policyId)}` }, titles.get(e.policyId) ?? `政策措施（编号 ${e.policyId}）`)),
          h('td', null, e.reviewerIds.map((r) => h('div', null, r === ctx.user.id ? '我' : userName(r)))),
          h('td', null, e.result ? badge(SPOT_CHECK_OUTCOME_LABELS[e.result.outcome] ?? e.result.outcome, e.result.outcome === 'problem' ? 'danger' : 'success') : badge('待登记', 'warning')),
          h('td', null, e.result
            ? [e.result.items.length > 0 && e.result.items.map((itemId) => h('div', null, h('strong', null, itemId), ' ', checklistTitle(itemId))), h('div', { class: 'small' }, e.result.notes)]
            : mine.has(e.policyId) && resultForm(s, e, items, reload)))))))));
  }
  await reload();
}

async function policyTitles() {
  try {
    const list = await api.get('/policies', { state: 'published', pageSize: 100 });
    return new Map((list.items ?? []).map((p) => [p.id, p.title]));
  } catch {
    return new Map();
  }
}

function resultForm(s, entry, checklist, reload) {
  const errorSlot = h('div');
  const submit = h('button', { type: 'submit', class: 'btn btn-sm btn-primary' }, '登记结果');
  const itemsBox = h('div', { hidden: true },
    field('涉及的审查标准', h('select', { name: 'items', multiple: true, size: 6 },
      checklist.map((item) => h('option', { value: item.id }, `${item.id} ${item.title}`))), { hint: '按住 Ctrl 可多选' }));
  const form = h('form', { class: 'decision-box', novalidate: true },
    h('div', null, Object.entries(SPOT_CHECK_OUTCOME_LABELS).map(([value, label]) =>
      h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'outcome', value }), label))),
    itemsBox,
    h('textarea', { name: 'notes', placeholder: '说明（发现问题时必填）', 'aria-label': '说明' }),
    errorSlot,
    submit);
  form.addEventListener('change', () => {
    itemsBox.hidden = form.querySelector('input[name=outcome]:checked')?.value !== 'problem';
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const v = formValues(form);
    const items = [...form.elements.items.selectedOptions].map((o) => o.value);
    if (!v.outcome) {
      mount(errorSlot, h('div', { class: 'alert alert-error' }, '请选择抽查结果'));
      return;
    }
    const body = { rev: s.rev, policyId: entry.policyId, outcome: v.outcome, ...(v.outcome === 'problem' && { items }), ...(v.notes && { notes: v.notes }) };
    const result = await busy(submit, () => api.post(`/spot-checks/${encodeURIComponent(s.id)}/results`, body), { errorSlot, labels: { items: '涉及的审查标准' } });
    if (!result) return;
    const failed = (result.effects ?? []).some((e) => e.status === 'failed');
    toast(v.outcome === 'problem' ? (failed ? '已登记，但未能开启复查，请联系审查员' : '已登记，并已开启该政策措施的复查') : '已登记', failed ? 'error' : 'success');
    await reload();
  });
  return form;
}
