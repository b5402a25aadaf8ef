/**
 * 统计 (GET /stats/overview?from=&to=&department=): review work, findings by checklist item, complaints and spot
 * checks, for a period and optionally one drafting department.
 */
import { h, mount, formatDateTime, formValues } from '../dom.js';
import { api } from '../api.js';
import { draftingDepartments } from '../departments.js';
import { checklistTitle } from '../meta.js';
import { COMPLAINT_STATE_LABELS, OUTCOME_LABELS, POLICY_STATE_LABELS, labelOf } from '../labels.js';
import { emptyRow, errorPanel, field, loading, pageHeader, section, select } from '../ui.js';

const percent = (rate) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);
const days = (value) => (value === null || value === undefined ? '—' : `${value.toFixed(1)} 天`);

export async function render(root, ctx) {
  const query = { from: ctx.query.from ?? '', to: ctx.query.to ?? '', department: ctx.query.department ?? '' };
  const drafting = await draftingDepartments();
  if (ctx.signal.aborted) return;
  const departmentName = new Map(drafting.map((d) => [d.id, d.name]));
  const filters = h('form', { class: 'filters card' },
    field('统计期间自', h('input', { type: 'date', name: 'from', value: query.from })),
    field('至', h('input', { type: 'date', name: 'to', value: query.to })),
    drafting.length > 0 && field('起草单位', select('department', Object.fromEntries(drafting.map((d) => [d.id, d.name])), { value: query.department, placeholder: '全部单位' })),
    h('button', { type: 'submit', class: 'btn btn-primary' }, '统计'));
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    const { from, to, department } = formValues(filters);
    const params = new URLSearchParams();
    if (from) params.set('from', from);
    if (to) params.set('to', to);
    if (department) params.set('department', department);
    ctx.go(params.toString() ? `#/stats?${params}` : '#/stats');
  });
  const body = h('div', null, loading());
  mount(root, pageHeader('统计'), filters, body);

  let o;
  try {
    o = await api.get('/stats/overview', query);
  } catch (err) {
    mount(body, errorPanel(err));
    return;
  }
  if (ctx.signal.aborted) return;
  mount(body,
    h('div', { class: 'stat-cards' },
      stat('政策措施', o.policies.total, '件'),
      stat('修改后符合率', percent(o.revisionRate.rate), `${o.revisionRate.numerator} / ${o.revisionRate.denominator} 件已作结论`),
      stat('审查用时中位数', days(o.turnaroundDays.median), `第 90 百分位 ${days(o.turnaroundDays.p90)}（${o.turnaroundDays.reviews} 件）`),
      stat('举报', o.complaints.total, '件'),
      stat('逾期', o.overdue.complaints + o.overdue.reviews, `举报 ${o.overdue.complaints} · 审查 ${o.overdue.reviews}`),
      stat('抽查发现问题率', percent(o.spotChecks.problemRate), `${o.spotChecks.withProblems} / ${o.spotChecks.checked} 件已登记`)),
    h('div', { class: 'grid-2' },
      section('政策措施按状态', countTable(o.policies.byState, POLICY_STATE_LABELS, '状态')),
      section('审查结论', countTable(o.policies.byConclusion, OUTCOME_LABELS, '结论'))),
    section('疑似问题按审查标准', flaggedTable(o.flaggedItems ?? [])),
    section('举报按状态', countTable(o.complaints.byState, COMPLAINT_STATE_LABELS, '状态')),
    h('p', { class: 'muted small' }, [
      o.departmentId ? `统计范围：${departmentName.get(o.departmentId) ?? '所选单位'}` : '统计范围：全部单位',
      `统计时间 ${formatDateTime(o.generatedAt)}`,
    ].join('；')));
}

function stat(label, value, note) {
  return h('div', { class: 'stat' }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, String(value)), h('div', { class: 'muted small' }, note));
}

function countTable(rows, labels, heading) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  return h('table', { class: 'table' },
    h('thead', null, h('tr', null, h('th', null, heading), h('th', { class: 'num' }, '数量'), h('th', null, ''))),
    h('tbody', null, rows.length === 0 ? emptyRow(3, '无数据') : rows.map((r) => h('tr', null,
      h('td', null, labelOf(labels, r.key)),
      h('td', { class: 'num' }, r.count),
      h('td', { style: { width: '40%' } }, h('span', { class: 'bar', style: { width: `${(r.count / max) * 100}%` } }))))));
}

function flaggedTable(rows) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
    h('thead', null, h('tr', null, h('th', null, '审查标准'), h('th', { class: 'num' }, '疑似问题'), h('th', { class: 'num' }, '确认'), h('th', { class: 'num' }, '排除'))),
    h('tbody', null, rows.length === 0 ? emptyRow(4, '期间内无疑似问题') : rows.map((r) => h('tr', null,
      h('td', null, h('strong', null, r.itemId), ' ', checklistTitle(r.itemId)),
      h('td', { class: 'num' }, r.findings),
      h('td', { class: 'num' }, r.confirmed),
      h('td', { class: 'num' }, r.dismissed))))));
}
