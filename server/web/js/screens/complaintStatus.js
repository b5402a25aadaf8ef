/**
 * 举报办理进度查询 (public): GET /complaints/status?refNo=&accessCode=; when the handler asked for more,
 * the reporter supplements here (POST /complaints/supplement, multipart).
 */
import { h, mount, formatDate, formatDateTime, formValues } from '../dom.js';
import { api } from '../api.js';
import { COMPLAINT_STATE_LABELS, COMPLAINT_STATE_TONES } from '../labels.js';
import { busy, facts, field, filePicker, pageHeader, requireFilled, section, stateBadge, toast } from '../ui.js';

const OUTCOME_TEXT = { violation: '经核查，举报反映的问题属实，已要求制定机关整改', no_violation: '经核查，未发现违反公平竞争审查有关规定的情形' };

export async function render(root, ctx) {
  const errorSlot = h('div');
  const result = h('div');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, '查询');
  const form = h('form', { class: 'card', novalidate: true },
    h('div', { class: 'filters' },
      field('举报编号', h('input', { name: 'refNo', required: true, value: ctx.query.refNo ?? '', placeholder: '如 JB-20261122-0001' }), { required: true }),
      field('查询码', h('input', { name: 'accessCode', required: true, autocomplete: 'off' }), { required: true }),
      submit),
    errorSlot);

  async function lookup(credentials) {
    const status = await busy(submit, () => api.get('/complaints/status', credentials), { errorSlot, busyText: '查询中…' });
    if (status) mount(result, statusView(status, credentials, lookup));
    else result.replaceChildren();
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!requireFilled(form, errorSlot)) return;
    const { refNo, accessCode } = formValues(form);
    lookup({ refNo, accessCode });
  });

  mount(root, pageHeader('举报办理进度查询'), form, result);
  if (ctx.query.refNo) form.elements.accessCode.focus();
}

function statusView(s, credentials, lookup) {
  return h('div', null,
    section('办理情况',
      h('p', null, stateBadge(s.state, COMPLAINT_STATE_LABELS, COMPLAINT_STATE_TONES), ' ', h('span', { class: 'muted' }, `举报编号 ${s.refNo}`)),
      facts([
        ['提交时间', formatDateTime(s.receivedAt)],
        ['最近更新', formatDateTime(s.updatedAt)],
        s.notAccepted && ['不予受理理由', s.notAccepted.reason],
        s.transferredTo && ['已移送至', s.transferredTo],
        s.outcome && ['核查结果', OUTCOME_TEXT[s.outcome] ?? s.outcome],
        s.reply && ['答复', s.reply.text],
      ])),
    s.supplement && supplementForm(s, credentials, lookup));
}

function supplementForm(s, credentials, lookup) {
  const errorSlot = h('div');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, '提交补正材料');
  const attachment = filePicker('attachment', { accept: '.docx,.pdf,.txt' });
  const form = h('form', { novalidate: true },
    h('div', { class: 'alert alert-warning' },
      h('strong', null, `请于 ${formatDate(s.supplement.dueDate)} 前补正以下材料，逾期未补正的不予核查：`),
      h('ul', null, s.supplement.items.map((item) => h('li', null, item)))),
    h('div', { class: 'form-grid' },
      field('补正说明', h('textarea', { name: 'note', rows: 4 }), { wide: true }),
      field('补正附件（可选）', attachment.element, { wide: true })),
    errorSlot,
    h('div', { class: 'form-actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { note } = formValues(form);
    const data = new FormData();
    data.append('refNo', credentials.refNo);
    data.append('accessCode', credentials.accessCode);
    if (note) data.append('note', note);
    if (attachment.input.files?.length) data.append('attachment', attachment.input.files[0]);
    if (!note && !attachment.input.files?.length) {
      mount(errorSlot, h('div', { class: 'alert alert-error' }, '请填写补正说明或上传补正附件'));
      return;
    }
    if (await busy(submit, () => api.upload('/complaints/supplement', data), { errorSlot, busyText: '正在提交…' })) {
      toast('补正材料已提交');
      await lookup(credentials);
    }
  });
  return section('补正材料', form);
}
