/** 登录. The demo accounts are listed only when GET /meta says the server runs in demo mode. */
import { h, mount, formValues } from '../dom.js';
import { api } from '../api.js';
import { loadMeta } from '../meta.js';
import { busy, field } from '../ui.js';

/** The accounts the demo seed creates (server/db/seed.ts): user names and what each one is for. */
const DEMO_ACCOUNTS = [
  [['drafter'], '起草人（市商务局）'],
  [['lead'], '起草单位负责人（市商务局）'],
  [['drafter2'], '起草人（市住房和城乡建设局）'],
  [['regulator'], '市场监管部门审查员'],
  [['member1', 'member2', 'member3'], '联席会议会审成员'],
  [['evaluator'], '第三方评估机构'],
  [['handler'], '举报处理人员'],
  [['admin'], '系统管理员'],
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

  let demo = false;
  try {
    demo = (await loadMeta()).demo === true;
  } catch {
    // without the server's word there is no hint; signing in works the same
  }
  if (ctx.signal.aborted || !demo) return;
  const pick = (username) => h('button', { type: 'button', class: 'btn-link', onclick: () => { form.elements.username.value = username; form.elements.password.focus(); } }, username);
  mount(hint,
    h('p', null, '演示模式：可使用以下演示账号登录，密码见 README（默认 demo1234）。'),
    h('ul', null, DEMO_ACCOUNTS.map(([usernames, label]) => h('li', null,
      usernames.map((username, i) => [i > 0 && '、', pick(username)]), ' ', label))));
}
