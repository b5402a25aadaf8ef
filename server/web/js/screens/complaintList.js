/** 举报处理 list (GET /complaints?state=&overdue=&assignee=&page=); reporter identities are always masked here. */
import { h, mount, formatDate, formatDateTime, formValues } from '../dom.js';
import { api } from '../api.js';
import { COMPLAINT_STATE_LABELS, COMPLAINT_STATE_TONES } from '../labels.js';
import { badge, emptyRow, errorPanel, field, loading, pageHeader, pager, select, stateBadge } from '../ui.js';

const ASSIGNEE_FILTERS = { me: '我承办的', none: '未指派' };
const DEADLINE_KIND = { supplement: '补正期限', verification: '核查期限' };

export async function render(root, ctx) {
  const query = {
    state: ctx.query.state ?? '',
    overdue: ctx.query.overdue ?? '',
    assignee: ctx.query.assignee ?? '',
    page: Number(ctx.query.page) || 1,
  };
  const filters = h('form', { class: 'filters' },
    field('状态', select('state', COMPLAINT_STATE_LABELS, { value: query.state, placeholder: '全部状态' })),
    field('期限', select('overdue', { true: '已逾期', false: '未逾期' }, { value: query.overdue, placeholder: '全部' })),
    ctx.user.role === 'complaint_handler' && field('承办', select('assignee', ASSIGNEE_FILTERS, { value: query.assignee, placeholder: '全部案件' })),
    h('button', { type: 'submit', class: 'btn btn-primary' }, '查询'));
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.go(listHash({ ...formValues(filters), page: 1 }));
  });
  filters.addEventListener('change', () => filters.requestSubmit());

  const body = h('div', null, loading());
  const reminders = h('div');
  mount(root, pageHeader('举报处理'), reminders, h('section', { class: 'card' }, filters, body));
  showReminders(reminders);

  let result;
  try {
    result = await api.get('/complaints', query);
  } catch (err) {
    mount(body, errorPanel(err));
    return;
  }
  if (ctx.signal.aborted) return;
  const items = result.items ?? [];
  mount(body,
    h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      h('thead', null, h('tr', null, h('th', null, '举报编号'), h('th', null, '被举报的政策措施'), h('th', null, '举报人'), h('th', null, '收到时间'), h('th', null, '状态'), h('th', null, '期限'), h('th', null, '承办'))),
      h('tbody', null, items.length === 0
        ? emptyRow(7, '没有符合条件的举报')
        : items.map((c) => h('tr', null,
          h('td', { class: 'title-cell nowrap' }, h('a', { href: `#/complaints/${encodeURIComponent(c.id)}` }, c.refNo)),
          h('td', null, targetText(c.target)),
          h('td', { class: 'nowrap' }, c.reporter?.name ?? ''),
          h('td', { class: 'nowrap' }, formatDateTime(c.receivedAt)),
          h('td', null, stateBadge(c.state, COMPLAINT_STATE_LABELS, COMPLAINT_STATE_TONES)),
          h('td', { class: 'nowrap' }, deadlineCell(c)),
          h('td', { class: 'nowrap' }, c.assigneeId ? (c.assigneeId === ctx.user.id ? '我' : '已指派') : badge('未指派', 'warning'))))))),
    pager(result, (page) => listHash({ ...query, page }), '件'));
}

/** Unread deadline reminders (GET /notifications?unread=true), each dismissable (POST /notifications/:id/read). */
async function showReminders(slot) {
  let result;
  try {
    result = await api.get('/notifications', { unread: 'true' });
  } catch {
    return; // reminders are a convenience; the list below still shows every deadline
  }
  const items = result.items ?? [];
  if (items.length === 0) return;
  mount(slot, h('div', { class: 'alert alert-warning' },
    h('strong', null, `期限提醒（${result.total ?? items.length}）`),
    h('ul', null, items.map((n) => {
      const li = h('li', null,
        n.complaintId ? h('a', { href: `#/complaints/${encodeURIComponent(n.complaintId)}` }, n.title) : n.title,
        n.dueDate ? `（期限 ${formatDate(n.dueDate)}）` : '', ' ',
        h('button', {
          type: 'button', class: 'btn-link small',
          onclick: async () => {
            try {
              await api.post(`/notifications/${encodeURIComponent(n.id)}/read`);
              li.remove();
            } catch {
              // leave it; the next visit shows it again
            }
          },
        }, '知道了'));
      return li;
    }))));
}

export function targetText(target) {
  if (!target) return '';
  const text = target.measureText ?? (target.policyId ? `政策措施（编号 ${target.policyId}）` : '');
  return [text.length > 60 ? text.slice(0, 60) + '…' : text, target.issuingBody && `（${target.issuingBody}）`].filter(Boolean).join('');
}

function deadlineCell(c) {
  if (!c.deadline) return h('span', { class: 'muted' }, '—');
  return [
    h('div', { class: 'small' }, `${DEADLINE_KIND[c.deadline.kind] ?? '期限'} ${formatDate(c.deadline.dueDate)}`),
    c.overdue ? badge('已逾期', 'danger') : c.deadline.extended ? badge('已延期', 'info') : null,
  ];
}

function listHash({ state, overdue, assignee, page }) {
  const params = new URLSearchParams();
  if (state) params.set('state', state);
  if (overdue) params.set('overdue', overdue);
  if (assignee) params.set('assignee', assignee);
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return qs ? `#/complaints?${qs}` : '#/complaints';
}
