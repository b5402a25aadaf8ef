/** 政策措施列表: filter by state and text, page through, open one. */
import { h, mount, formatDate, formValues } from '../dom.js';
import { api } from '../api.js';
import { ANALYSIS_STATUS_LABELS, ANALYSIS_STATUS_TONES, POLICY_STATE_LABELS, POLICY_STATE_TONES, POLICY_KIND_LABELS, labelOf } from '../labels.js';
import { emptyRow, errorPanel, field, loading, pageHeader, pager, select, stateBadge } from '../ui.js';

const CAN_CREATE = ['drafter', 'drafting_lead'];

export async function render(root, ctx) {
  const query = { state: ctx.query.state ?? '', text: ctx.query.text ?? '', page: Number(ctx.query.page) || 1 };
  const filters = h('form', { class: 'filters' },
    field('状态', select('state', POLICY_STATE_LABELS, { value: query.state, placeholder: '全部状态' })),
    field('名称或文号', h('input', { name: 'text', value: query.text, placeholder: '输入关键词' })),
    h('button', { type: 'submit', class: 'btn btn-primary' }, '查询'));
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    const { state, text } = formValues(filters);
    ctx.go(listHash({ state, text, page: 1 }));
  });
  filters.elements.state.addEventListener('change', () => filters.requestSubmit());

  const body = h('div', null, loading());
  mount(root,
    pageHeader('政策措施', CAN_CREATE.includes(ctx.user.role) && h('a', { href: '#/policies/new', class: 'btn btn-primary' }, '＋ 新建政策措施')),
    h('section', { class: 'card' }, filters, body));

  let result;
  try {
    result = await api.get('/policies', query);
  } catch (err) {
    mount(body, errorPanel(err));
    return;
  }
  if (ctx.signal.aborted) return;
  const items = result.items ?? [];
  mount(body,
    h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      h('thead', null, h('tr', null, h('th', null, '名称'), h('th', null, '性质'), h('th', null, '起草单位'), h('th', null, '当前文本'), h('th', null, '状态'), h('th', null, '文号'))),
      h('tbody', null, items.length === 0
        ? emptyRow(6, query.state || query.text ? '没有符合条件的政策措施' : '暂无政策措施')
        : items.map((p) => h('tr', null,
          h('td', { class: 'title-cell' }, h('a', { href: `#/policies/${encodeURIComponent(p.id)}` }, p.title)),
          h('td', { class: 'nowrap' }, labelOf(POLICY_KIND_LABELS, p.kind)),
          h('td', null, p.draftingDepartmentName),
          h('td', { class: 'nowrap' }, p.latestVersion
            ? [`第 ${p.latestVersion.n} 版 `, stateBadge(p.latestVersion.status, ANALYSIS_STATUS_LABELS, ANALYSIS_STATUS_TONES)]
            : h('span', { class: 'muted' }, '未上传')),
          h('td', null, stateBadge(p.state, POLICY_STATE_LABELS, POLICY_STATE_TONES)),
          h('td', null, p.docNumber ?? '', p.publishedOn && h('div', { class: 'muted small' }, `${formatDate(p.publishedOn)} 出台`))))))),
    pager(result, (page) => listHash({ ...query, page }), '条'));
}

function listHash({ state, text, page }) {
  const params = new URLSearchParams();
  if (state) params.set('state', state);
  if (text) params.set('text', text);
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return qs ? `#/policies?${qs}` : '#/policies';
}
