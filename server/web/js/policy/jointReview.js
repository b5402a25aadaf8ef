/** 会审: members, their sign-offs against the quorum, and the sign-off form for an assigned member. */
import { h, formatDateTime, formValues } from '../dom.js';
import { api } from '../api.js';
import { VOTE_LABELS, VOTE_TONES, labelOf } from '../labels.js';
import { badge, busy, field, toast } from '../ui.js';
import { userName, usersWithRole } from '../users.js';

export async function jointReviewSection(page) {
  const review = page.policy.jointReview;
  if (!review) return null;
  await usersWithRole('committee_member'); // names for the member ids, when the caller may list users
  const signOffs = new Map();
  for (const s of review.signOffs ?? []) if (!signOffs.has(s.memberId)) signOffs.set(s.memberId, s);
  const signed = review.members.filter((m) => signOffs.has(m)).length;
  const reached = signed >= review.quorum;

  const table = h('table', { class: 'table' },
    h('thead', null, h('tr', null, h('th', null, '会审成员'), h('th', null, '意见'), h('th', null, '说明'), h('th', null, '签署时间'))),
    h('tbody', null, review.members.map((memberId) => {
      const s = signOffs.get(memberId);
      return h('tr', null,
        h('td', null, userName(memberId, s?.username)),
        h('td', null, s ? badge(labelOf(VOTE_LABELS, s.vote), VOTE_TONES[s.vote]) : badge('未签署', 'neutral')),
        h('td', null, s?.comment ?? ''),
        h('td', { class: 'nowrap' }, s ? formatDateTime(s.at) : ''));
    })));

  const mine = review.members.includes(page.user.id);
  const canSign = page.recordActions.includes('sign_off');
  return h('section', { class: 'card' },
    h('h2', { class: 'card-title' }, '会审', h('span', { class: 'spacer' }),
      badge(`已签署 ${signed} / 法定 ${review.quorum} 人`, reached ? 'success' : 'warning')),
    h('p', { class: 'muted small' }, `截止时间：${formatDateTime(review.deadline)}`),
    h('div', { class: 'table-wrap' }, table),
    canSign && signOffForm(page),
    mine && signOffs.has(page.user.id) && h('p', { class: 'muted' }, '您已签署会审意见。'));
}

function signOffForm(page) {
  const errorSlot = h('div');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, '签署会审意见');
  const form = h('form', { class: 'action-panel', novalidate: true },
    h('h3', null, '签署会审意见'),
    errorSlot,
    field('表决意见', h('div', null, Object.entries(VOTE_LABELS).map(([value, label]) =>
      h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'vote', value }), label))), { required: true }),
    field('意见说明', h('textarea', { name: 'comment', rows: 3, placeholder: '“修改后同意”或“不同意”须说明理由' }), { wide: true }),
    h('div', { class: 'form-actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { vote, comment } = formValues(form);
    const body = { vote: vote || undefined, ...(comment && { comment }) };
    const done = await busy(submit, () => api.post(`/policies/${encodeURIComponent(page.id)}/joint-review/sign-offs`, body), { errorSlot });
    if (done) {
      toast('会审意见已签署');
      await page.reload();
    }
  });
  return form;
}
