/** 新建政策措施: title, kind, issuing level, industries. */
import { h, mount, formValues } from '../dom.js';
import { api } from '../api.js';
import { ISSUING_LEVEL_LABELS, POLICY_KIND_LABELS } from '../labels.js';
import { busy, field, pageHeader, requireFilled, select, toast } from '../ui.js';

export async function render(root, ctx) {
  const errorSlot = h('div');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, '登记');
  const form = h('form', { class: 'card', novalidate: true },
    errorSlot,
    h('div', { class: 'form-grid' },
      field('政策措施名称', h('input', { name: 'title', required: true, maxlength: 300, placeholder: '如：关于促进本市商贸流通业发展的若干措施（征求意见稿）' }), { required: true, wide: true }),
      field('性质', select('kind', POLICY_KIND_LABELS, { placeholder: '请选择', required: true }), { required: true }),
      field('制定层级', select('issuingLevel', ISSUING_LEVEL_LABELS, { placeholder: '请选择', required: true }), {
        required: true,
        hint: '县级以上人民政府及其办公厅、人大及其常委会制定的，须经会审（条例第十四条）',
      }),
      field('涉及行业领域', h('input', { name: 'industries', placeholder: '多个用顿号或逗号分隔，如：商贸流通、物流' }), { wide: true })),
    h('div', { class: 'form-actions' }, submit, h('a', { href: '#/policies', class: 'btn' }, '取消')));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!requireFilled(form, errorSlot)) return;
    const values = formValues(form);
    const body = {
      title: values.title,
      kind: values.kind,
      issuingLevel: values.issuingLevel,
      industries: values.industries.split(/[、,，;；\s]+/).map((s) => s.trim()).filter(Boolean),
    };
    const created = await busy(submit, () => api.post('/policies', body), { errorSlot, busyText: '正在登记…' });
    const id = created?.id;
    if (id) {
      toast('已登记，请上传政策措施文本');
      ctx.go(`#/policies/${encodeURIComponent(id)}`);
    }
  });

  mount(root, h('div', { class: 'breadcrumb' }, h('a', { href: '#/policies' }, '政策措施'), ' / 新建'), pageHeader('新建政策措施'), form);
}
