/**
 * 举报 (public, no login): POST /complaints (multipart: the fields and an optional attachment). The answer's
 * refNo and accessCode are shown prominently: the reporter needs both to follow the case.
 */
import { h, mount, formatDateTime, formValues } from '../dom.js';
import { api } from '../api.js';
import { busy, field, filePicker, notice, pageHeader, requireFilled, section } from '../ui.js';

export async function render(root) {
  const errorSlot = h('div');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, '提交举报');
  const attachment = filePicker('attachment', { accept: '.docx,.pdf,.txt' });
  const form = h('form', { novalidate: true },
    section('被举报的政策措施',
      h('div', { class: 'form-grid' },
        field('政策措施名称或内容', h('textarea', { name: 'measureText', rows: 2, required: true, placeholder: '如：《关于促进本市商贸流通业高质量发展的若干措施》第二章第二条' }), { required: true, wide: true }),
        field('制定机关', h('input', { name: 'issuingBody', placeholder: '如：某市商务局' })))),
    section('举报内容',
      h('div', { class: 'form-grid' },
        field('涉嫌排除、限制竞争的情况', h('textarea', { name: 'description', rows: 6, required: true, placeholder: '请说明该政策措施如何排除、限制竞争，以及对您或市场造成的影响' }), { required: true, wide: true }),
        field('证明材料（可选）', attachment.element, { hint: '一个 DOCX、PDF 或 TXT 文件', wide: true }))),
    section('举报人信息',
      h('p', { class: 'muted small' }, '举报人信息依法予以保密（条例第十九条），仅承办人员可见。'),
      h('div', { class: 'form-grid' },
        field('姓名', h('input', { name: 'reporterName', required: true, autocomplete: 'name' }), { required: true }),
        field('联系方式', h('input', { name: 'reporterContact', required: true, placeholder: '手机号码或电子邮箱' }), { required: true }),
        field('单位（可选）', h('input', { name: 'reporterOrg', autocomplete: 'organization' })))),
    errorSlot,
    h('div', { class: 'form-actions' }, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!requireFilled(form, errorSlot)) return;
    const values = formValues(form);
    const data = new FormData();
    for (const name of ['measureText', 'issuingBody', 'description', 'reporterName', 'reporterContact', 'reporterOrg']) {
      if (values[name]) data.append(name, values[name]);
    }
    if (attachment.input.files?.length) data.append('attachment', attachment.input.files[0]);
    const receipt = await busy(submit, () => api.upload('/complaints', data), { errorSlot, busyText: '正在提交…' });
    if (receipt?.refNo) mount(root, receiptView(receipt));
  });

  mount(root,
    pageHeader('举报政策措施排除、限制竞争问题'),
    notice('对违反公平竞争审查有关规定的政策措施，任何单位和个人可以向市场监督管理部门举报（《公平竞争审查条例》第二十二条）。无需登录。'),
    form);
}

function receiptView(receipt) {
  return h('div', null,
    pageHeader('举报已提交'),
    h('div', { class: 'card' },
      h('div', { class: 'receipt' },
        h('div', { class: 'label' }, '举报编号'),
        h('div', { class: 'code', id: 'receipt-ref' }, receipt.refNo),
        h('div', { class: 'label' }, '查询码'),
        h('div', { class: 'code', id: 'receipt-code' }, receipt.accessCode)),
      h('div', { class: 'alert alert-warning' },
        h('strong', null, '请立即抄录或截图保存举报编号和查询码。'),
        h('p', null, '查询码只显示这一次，系统不保存其原文，遗失后无法找回。凭编号和查询码可查询办理进度、提交补正材料。')),
      h('p', { class: 'muted' }, `提交时间：${formatDateTime(receipt.receivedAt)}`),
      h('div', { class: 'form-actions' },
        h('a', { class: 'btn btn-primary', href: `#/report/status?refNo=${encodeURIComponent(receipt.refNo)}` }, '查询办理进度'),
        h('button', { type: 'button', class: 'btn', onclick: () => window.print() }, '打印'))));
}
