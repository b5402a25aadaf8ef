/**
 * 举报案件详情 (GET /complaints/:id) and its transitions (POST /complaints/:id/transitions {action, rev, ...}).
 * The reporter's identity comes unmasked only for the assigned handler and admins, and the server records
 * every such read; the page says so.
 */
import { h, mount, formatDate, formatDateTime, formValues, daysFromToday, today } from '../dom.js';
import { api } from '../api.js';
import { COMPLAINT_ACTION_LABELS, COMPLAINT_STATE_LABELS, COMPLAINT_STATE_TONES, labelOf } from '../labels.js';
import { badge, busy, errorPanel, facts, field, loading, notice, section, select, stateBadge, toast } from '../ui.js';
import { usersWithRole, userName, rememberUser } from '../users.js';
import { reportControl } from '../reportControl.js';

const textarea = (name, attrs = {}) => h('textarea', { name, ...attrs });
const comment = () => field('备注（可选）', textarea('comment', { rows: 2 }), { wide: true });

/** The form of each action a person may take (lapse and the reminder marks are the deadline jobs'). */
const FORMS = {
  assign: { intro: '指派承办人。', fields: assignFields, command: (v) => ({ assigneeId: v.assigneeId || undefined }) },
  request_supplement: {
    intro: '举报材料不全的，通知举报人在 7 个工作日内补正（办法第三十七条）。',
    fields: () => [field('需补正的材料（每行一项）', textarea('items', { rows: 4, required: true }), { required: true, wide: true }), comment()],
    command: (v) => ({ items: v.items.split('\n').map((s) => s.trim()).filter(Boolean) }),
  },
  submit_supplement: {
    intro: '登记举报人以其他方式（信函、来访）提交的补正材料。',
    fields: () => [field('补正说明', textarea('note', { rows: 3, required: true }), { required: true, wide: true })],
    command: (v) => ({ note: v.note || undefined }),
  },
  accept: { intro: '受理后开始计算 60 日核查期限（办法第三十八条）。', fields: () => [comment()] },
  reject: {
    intro: '不予受理，须说明理由。',
    fields: () => [field('不予受理理由', textarea('reason', { required: true }), { required: true, wide: true })],
    command: (v) => ({ reason: v.reason || undefined }),
  },
  transfer: {
    intro: '不属于本机关管辖的，移送有管辖权的机关。移送后本案办结。',
    fields: () => [
      field('移送机关', h('input', { name: 'toAuthority', required: true }), { required: true }),
      field('移送理由', textarea('reason', { required: true }), { required: true, wide: true }),
    ],
    command: (v) => ({ toAuthority: v.toAuthority || undefined, reason: v.reason || undefined }),
  },
  start_verification: { intro: '开始核查。', fields: () => [comment()] },
  extend: {
    intro: '情况复杂的，经批准可以延长核查期限（由审查员批准）。',
    fields: () => [
      field('延长至', h('input', { name: 'newDueDate', type: 'date', min: today(), value: daysFromToday(90), required: true }), { required: true }),
      field('延期理由', textarea('reason', { required: true }), { required: true, wide: true }),
    ],
    command: (v) => ({ newDueDate: v.newDueDate || undefined, reason: v.reason || undefined }),
  },
  conclude_violation: {
    intro: '核查属实的，认定违反并开启该政策措施的复查，要求制定机关整改（办法第四十条）。',
    fields: violationFields,
    command: (v) => ({ summary: v.summary || undefined, policyId: v.policyId || undefined }),
  },
  conclude_no_violation: {
    intro: '核查未发现违反公平竞争审查规定的情形。',
    fields: () => [field('核查结论', textarea('summary', { rows: 4, required: true }), { required: true, wide: true })],
    command: (v) => ({ summary: v.summary || undefined }),
  },
  reply: {
    intro: '将核查结果答复举报人（可选）。',
    fields: () => [field('答复内容', textarea('text', { rows: 5, required: true }), { required: true, wide: true })],
    command: (v) => ({ text: v.text || undefined }),
  },
  close: { intro: '办结本案。', fields: () => [comment()] },
};

export async function render(root, ctx) {
  const id = ctx.params.id;
  mount(root, h('div', { class: 'breadcrumb' }, h('a', { href: '#/complaints' }, '举报处理'), ' / 详情'), loading());
  const page = {
    id,
    user: ctx.user,
    signal: ctx.signal,
    complaint: null,
    async reload() {
      const c = await api.get(`/complaints/${encodeURIComponent(id)}`);
      if (ctx.signal.aborted) return;
      page.complaint = c;
      rememberUser(ctx.user.id, ctx.user.displayName || ctx.user.username);
      for (const e of c.events ?? []) rememberUser(e.actor?.id, e.actor?.username);
      draw();
    },
  };

  function draw() {
    const c = page.complaint;
    mount(root,
      h('div', { class: 'breadcrumb' }, h('a', { href: '#/complaints' }, '举报处理'), ' / 详情'),
      h('div', { class: 'page-header' }, h('div', null,
        h('div', { class: 'detail-head' }, h('h1', null, `举报 ${c.refNo}`), stateBadge(c.state, COMPLAINT_STATE_LABELS, COMPLAINT_STATE_TONES),
          c.overdue && badge('已逾期', 'danger')),
        h('div', { class: 'subtitle muted' }, `收到时间 ${formatDateTime(c.receivedAt)}`))),
      section('办理', actionPanel(page)),
      h('div', { class: 'grid-2' },
        section('举报内容', facts([
          ['被举报的政策措施', c.target?.policyId ? h('a', { href: `#/policies/${encodeURIComponent(c.target.policyId)}` }, c.target.measureText || '查看政策措施') : c.target?.measureText],
          ['制定机关', c.target?.issuingBody],
          ['举报内容', c.description],
          ['附件', (c.attachments ?? []).map((a) => h('div', null,
            h('a', { href: api.url(`/complaints/${encodeURIComponent(c.id)}/attachments/${encodeURIComponent(a.fileId)}`), download: a.filename }, a.filename)))],
        ])),
        section('举报人', reporterFacts(c))),
      section('期限与办理结果', facts([
        ['承办人', c.assigneeId ? userName(c.assigneeId) : badge('未指派', 'warning')],
        c.deadlines?.supplement && ['补正期限', deadlineText(c.deadlines.supplement)],
        c.deadlines?.verification && ['核查期限', deadlineText(c.deadlines.verification)],
        c.supplementRequest && ['需补正材料', c.supplementRequest.items.join('；')],
        c.notAccepted && ['不予受理', `${c.notAccepted.reason}${c.notAccepted.lapsed ? '（逾期未补正）' : ''}`],
        c.transfer && ['移送', `${c.transfer.toAuthority}：${c.transfer.reason}`],
        c.finding && ['核查结论', `${c.finding.outcome === 'violation' ? '属实' : '不属实'}：${c.finding.summary}`],
        c.reply && ['答复', c.reply.text],
      ])),
      ['violation_confirmed', 'no_violation', 'replied', 'closed'].includes(c.state) && replyLetter(page),
      section('办理记录', h('ol', { class: 'history-list' }, [...(c.events ?? [])].reverse().map((e) => h('li', null,
        h('div', null, h('strong', null, labelOf(COMPLAINT_ACTION_LABELS, e.action)), ' ',
          e.from && e.from !== e.to ? h('span', { class: 'muted' }, `${labelOf(COMPLAINT_STATE_LABELS, e.from)} → ${labelOf(COMPLAINT_STATE_LABELS, e.to)}`) : null),
        h('div', { class: 'small' }, `${e.actor?.username ?? ''} · ${formatDateTime(e.at)}`),
        e.comment && h('div', { class: 'small' }, e.comment))))));
  }

  try {
    await page.reload();
  } catch (err) {
    mount(root, h('div', { class: 'breadcrumb' }, h('a', { href: '#/complaints' }, '举报处理'), ' / 详情'), errorPanel(err));
  }
}

/** 举报答复函 (DOCX) through the reports pipeline. */
function replyLetter(page) {
  const control = reportControl({ kind: 'complaint_reply', complaintId: page.complaint.id }, { signal: page.signal });
  return section('文书', h('div', { class: 'report-row' },
    h('div', { class: 'name' }, h('strong', null, '举报答复函'), h('div', { class: 'muted small' }, '载明举报编号、举报事项、核查情况和处理结果')),
    control.status, control.button), control.errorSlot);
}

function deadlineText(d) {
  return [
    `${formatDate(d.dueDate)} 前`,
    d.provisional ? '（暂按工作日推算）' : '',
    d.extension ? `，已由审查员批准延期（原期限 ${formatDate(d.extension.previousDueDate)}，理由：${d.extension.reason}）` : '',
  ].join('');
}

function reporterFacts(c) {
  const r = c.reporter ?? {};
  return [
    r.masked ? notice('举报人信息已脱敏。仅本案承办人和管理员可查看完整信息。', 'info') : notice('举报人信息依法保密。本次查看已记录在案。', 'warning'),
    facts([['姓名', r.name], ['联系方式', r.contact], ['单位', r.org]]),
    !r.masked && (c.reporterReads ?? []).length > 0 && h('details', { class: 'small' },
      h('summary', null, `查看记录（${c.reporterReads.length} 次）`),
      h('ul', null, c.reporterReads.map((read) => h('li', null, `${read.username} · ${formatDateTime(read.at)}`)))),
  ];
}

function actionPanel(page) {
  const actions = (page.complaint.availableActions ?? []).filter((a) => FORMS[a]);
  if (actions.length === 0) return notice(page.complaint.assigneeId ? '您当前没有可办理的操作。' : '本案尚未指派承办人。', 'info');
  const slot = h('div');
  return h('div', null,
    h('div', { class: 'action-buttons' }, actions.map((action) => h('button', {
      type: 'button', class: ['btn', ['reject', 'transfer'].includes(action) ? 'btn-danger' : 'btn-primary'],
      onclick: () => openForm(page, action, slot),
    }, assignLabel(page, action)))),
    slot);
}

function assignLabel(page, action) {
  if (action === 'assign' && page.user.role === 'complaint_handler') return '认领（由我承办）';
  return COMPLAINT_ACTION_LABELS[action] ?? action;
}

async function openForm(page, action, slot) {
  const spec = FORMS[action];
  const errorSlot = h('div');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, `确认${assignLabel(page, action)}`);
  const form = h('form', { class: 'action-panel', novalidate: true },
    h('h3', null, assignLabel(page, action)),
    h('p', { class: 'muted small' }, spec.intro),
    errorSlot,
    h('div', { class: 'form-grid' }, await spec.fields(page)),
    h('div', { class: 'form-actions' }, submit, h('button', { type: 'button', class: 'btn', onclick: () => slot.replaceChildren() }, '取消')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = formValues(form);
    const command = { action, rev: page.complaint.rev, ...(spec.command ? spec.command(values) : {}) };
    if (values.comment) command.comment = values.comment;
    const result = await busy(submit, () => api.post(`/complaints/${encodeURIComponent(page.id)}/transitions`, command), { errorSlot });
    if (!result) return;
    const failed = (result.effects ?? []).filter((e) => e.status === 'failed');
    toast(failed.length ? '已办理，但后续处理未完成（如开启政策措施复查），请联系审查员' : `已${assignLabel(page, action)}`, failed.length ? 'error' : 'success');
    await page.reload();
  });
  mount(slot, form);
  form.querySelector('input:not([type=hidden]), select, textarea')?.focus();
}

async function assignFields(page) {
  if (page.user.role === 'complaint_handler') {
    return [h('input', { type: 'hidden', name: 'assigneeId', value: page.user.id }), h('p', { class: 'field-wide' }, '由您承办本案。')];
  }
  // regulators and admins pick from the complaint handlers (GET /users?role=complaint_handler)
  const handlers = await usersWithRole('complaint_handler');
  const options = Object.fromEntries(handlers.map((u) => [u.id, [u.displayName || u.username, u.departmentName].filter(Boolean).join(' · ')]));
  return [field('承办人', select('assigneeId', options, { value: page.complaint.assigneeId ?? undefined, placeholder: handlers.length ? '请选择' : '暂无可指派的举报处理人员', required: true }),
    { required: true, hint: handlers.length ? null : '未能获取举报处理人员名单，请稍后重试或联系管理员' })];
}

async function violationFields(page) {
  const target = page.complaint.target?.policyId;
  let options = {};
  try {
    const published = await api.get('/policies', { state: 'published', pageSize: 100 });
    options = Object.fromEntries((published.items ?? []).map((p) => [p.id, `${p.title}${p.docNumber ? `（${p.docNumber}）` : ''}`]));
  } catch {
    // without the list the id can still be typed
  }
  return [
    field('核查结论', textarea('summary', { rows: 4, required: true }), { required: true, wide: true }),
    field('涉及的政策措施（将开启复查）', Object.keys(options).length
      ? select('policyId', options, { value: target, placeholder: '请选择已出台的政策措施' })
      : h('input', { name: 'policyId', value: target ?? '', placeholder: '政策措施编号' }), {
      wide: true,
      hint: Object.keys(options).length ? '只能关联已出台的政策措施' : '当前没有可关联的已出台政策措施（已在复查中的不再列出）；如确需关联，请填写政策措施编号',
    }),
  ];
}
