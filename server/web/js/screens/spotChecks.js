/** 抽查: the list (GET /spot-checks) and, for regulators and admins, a new draw (POST /spot-checks). */
import { h, mount, formatDate, formatDateTime, formValues } from '../dom.js';
import { api } from '../api.js';
import { departments } from '../departments.js';
import { POLICY_KIND_LABELS, labelOf } from '../labels.js';
import { badge, busy, emptyRow, errorPanel, field, loading, pageHeader, pager, section, toast } from '../ui.js';

const ORGANISERS = ['regulator', 'admin'];

export async function render(root, ctx) {
  const page = Number(ctx.query.page) || 1;
  const body = h('div', null, loading());
  const organiser = ORGANISERS.includes(ctx.user.role);
  mount(root,
    pageHeader('抽查', organiser && h('button', { type: 'button', class: 'btn btn-primary', onclick: () => toggleForm() }, '＋ 组织抽查')),
    h('div', { id: 'spot-check-form' }),
    section(organiser ? '抽查记录' : '指派给我的抽查', body));

  const departmentList = departments();
  const formSlot = root.querySelector('#spot-check-form');
  async function toggleForm() {
    if (formSlot.firstChild) formSlot.replaceChildren();
    else mount(formSlot, createForm(ctx, await departmentList));
  }

  let result;
  let departmentNames;
  try {
    [result, departmentNames] = await Promise.all([
      api.get('/spot-checks', { page }),
      departmentList.then((list) => new Map(list.map((d) => [d.id, d.name]))),
    ]);
  } catch (err) {
    mount(body, errorPanel(err));
    return;
  }
  if (ctx.signal.aborted) return;
  const items = result.items ?? [];
  mount(body,
    h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      h('thead', null, h('tr', null, h('th', null, '组织时间'), h('th', null, '范围'), h('th', { class: 'num' }, '总体'), h('th', { class: 'num' }, '抽取'), h('th', { class: 'num' }, '已登记'), h('th', { class: 'num' }, '发现问题'), h('th', null, '状态'), h('th', null, ''))),
      h('tbody', null, items.length === 0
        ? emptyRow(8, organiser ? '尚未组织抽查' : '暂无指派给您的抽查')
        : items.map((s) => h('tr', null,
          h('td', { class: 'nowrap' }, formatDateTime(s.createdAt)),
          h('td', null, scopeText(s.scope, departmentNames)),
          h('td', { class: 'num' }, s.populationSize),
          h('td', { class: 'num' }, s.sampleSize),
          h('td', { class: 'num' }, s.recorded),
          h('td', { class: 'num' }, s.problems > 0 ? badge(String(s.problems), 'danger') : '0'),
          h('td', null, s.state === 'completed' ? badge('已完成', 'success') : badge('进行中', 'info')),
          h('td', null, h('a', { class: 'btn btn-sm', href: `#/spot-checks/${encodeURIComponent(s.id)}` }, '查看'))))))),
    pager(result, (p) => `#/spot-checks?page=${p}`, '次'));
}

/** The scope of a draw in words; departments by name when `departmentNames` (id → name) knows them all. */
export function scopeText(scope, departmentNames = new Map()) {
  const parts = [];
  if (scope?.kinds?.length) parts.push(scope.kinds.map((k) => labelOf(POLICY_KIND_LABELS, k)).join('、'));
  const ids = scope?.departmentIds ?? [];
  if (ids.length) parts.push(ids.every((id) => departmentNames.has(id)) ? ids.map((id) => departmentNames.get(id)).join('、') : `${ids.length} 个起草单位`);
  if (scope?.period?.from || scope?.period?.to) parts.push(`${formatDate(scope.period.from) || '不限'} 至 ${formatDate(scope.period.to) || '不限'}出台`);
  return parts.length ? parts.join('；') : '全部已出台政策措施';
}

function createForm(ctx, departmentList) {
  const drafting = departmentList.filter((d) => d.kind === 'drafting');
  const errorSlot = h('div');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, '随机抽取并指派');
  const form = h('form', { class: 'card', novalidate: true },
    h('h2', { class: 'card-title' }, '组织抽查'),
    h('p', { class: 'muted small' }, '在范围内的已出台政策措施中随机抽取，并从审查人员库（审查员、联席会议成员）中随机指派，不指派起草单位人员（条例第二十一条；办法第三十九条）。随机种子记录在案，可复现抽取结果。'),
    h('div', { class: 'form-grid' },
      field('政策措施性质（不选为全部）', h('div', null, Object.entries(POLICY_KIND_LABELS).map(([value, label]) =>
        h('label', { class: 'choice' }, h('input', { type: 'checkbox', name: 'kinds', value }), label))), { wide: true }),
      field('起草单位（不选为全部）', drafting.length
        ? h('div', null, drafting.map((d) => h('label', { class: 'choice' }, h('input', { type: 'checkbox', name: 'departmentIds', value: d.id }), d.name)))
        : h('p', { class: 'muted small' }, '未能获取单位名单，将在全部起草单位中抽取'), { wide: true }),
      field('出台日期自', h('input', { type: 'date', name: 'from' })),
      field('出台日期至', h('input', { type: 'date', name: 'to' })),
      field('抽取方式', h('div', null,
        h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'mode', value: 'size', checked: true }), '按数量'),
        h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'mode', value: 'rate' }), '按比例'))),
      field('数量（件）或比例（%）', h('input', { type: 'number', name: 'amount', min: 1, value: 5, required: true }), { required: true }),
      field('每件指派审查人员数', h('input', { type: 'number', name: 'reviewersPerPolicy', min: 1, max: 10, value: 1 })),
      field('随机种子（可选）', h('input', { name: 'seed', placeholder: '留空则随机生成' }))),
    errorSlot,
    h('div', { class: 'form-actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const v = formValues(form);
    const amount = Number(v.amount);
    const body = {
      scope: {
        ...(v.kinds.length && { kinds: v.kinds }),
        ...(v.departmentIds?.length && { departmentIds: v.departmentIds }),
        ...((v.from || v.to) && { period: { ...(v.from && { from: v.from }), ...(v.to && { to: v.to }) } }),
      },
      ...(v.mode === 'rate' ? { rate: amount / 100 } : { sampleSize: amount }),
      ...(v.seed && { seed: v.seed }),
      ...(v.reviewersPerPolicy && { reviewersPerPolicy: Number(v.reviewersPerPolicy) }),
    };
    const created = await busy(submit, () => api.post('/spot-checks', body), { errorSlot, busyText: '正在抽取…' });
    if (created?.id) {
      toast(`已抽取 ${created.sampleSize} 件政策措施`);
      ctx.go(`#/spot-checks/${encodeURIComponent(created.id)}`);
    }
  });
  return form;
}
