/** 登录. Demo accounts are listed only when /health says the server runs in demo mode. */
import { h, mount, formValues } from '../dom.js';
import { api, health } from '../api.js';
import { busy, field } from '../ui.js';

const DEMO_ACCOUNTS = [
  ['drafter', '起草人（市商务局）'],
  ['lead', '起草单位负责人（市商务局）'],
  ['drafter2', '起草人（市住房和城乡建设局）'],
  ['regulator', '市场监管部门审查员'],
  ['member1', '会审成员（member1–member3）'],
  ['evaluator', '第三方评估机构'],
  ['handler', '举报处理人员'],
  ['admin', '系统管理员'],
];

export async function render(root, ctx) {
  if (ctx.user) {
    ctx.afterLogin();
    return;
  }
  const errorSlot = h('div');
  if (sessionStorage.getItem('fr:expired')) {
    sessionStorage.removeItem('fr:expired');
    mount(errorSlot, h('div', { class: 'alert alert-warning' }, '登录已失效，请重新登录。登录后将回到刚才的页面。'));
  }
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, '登录');
  const hint = h('div', { class: 'login-hint' });
  const form = h('form', { class: 'login-form', novalidate: true },
    h('h1', null, '工作人员登录'),
    errorSlot,
    field('用户名', h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true })),
    field('密码', h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    submit,
    hint);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { username, password } = formValues(form);
    if (!username || !password) {
      mount(errorSlot, h('div', { class: 'alert alert-error' }, '请输入用户名和密码'));
      return;
    }
    const result = await busy(submit, () => api.post('/auth/login', { username, password }), { errorSlot, busyText: '正在登录…' });
    if (result?.user) {
      ctx.setUser(result.user);
      ctx.afterLogin();
    }
  });

  mount(root, h('div', { class: 'login-page' },
    h('div', { class: 'login-intro' },
      h('h2', null, '公平竞争审查系统'),
      h('p', null, '起草单位登记政策措施、上传文本并开展自我审查；联席会议成员单位会审；市场监管部门监督抽查、处理举报。'),
      h('p', null, '社会公众反映政策措施排除、限制竞争问题，无需登录：'),
      h('p', null, h('a', { href: '#/report', class: 'btn' }, '我要举报'), ' ', h('a', { href: '#/report/status', class: 'btn' }, '查询办理进度'))),
    form));

  const status = await health();
  if (ctx.signal.aborted) return;
  if (status?.demo === true) {
    mount(hint,
      h('p', null, '演示模式：以下账号的密码均为演示密码（默认 demo1234）。'),
      h('ul', null, DEMO_ACCOUNTS.map(([username, label]) => h('li', null,
        h('button', { type: 'button', class: 'btn-link', onclick: () => { form.elements.username.value = username; form.elements.password.focus(); } }, username),
        ' ', label))));
  } else {
    mount(hint, h('p', { class: 'muted' }, '演示账号见 README'));
  }
}
