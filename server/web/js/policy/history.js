/** 审查记录: the hash-chained event history and its verification (GET /history, /history/verify). */
import { h, mount, formatDateTime } from '../dom.js';
import { api } from '../api.js';
import { ACTION_LABELS, POLICY_STATE_LABELS, VOTE_LABELS, OUTCOME_LABELS, labelOf } from '../labels.js';
import { badge, busy, errorPanel, section } from '../ui.js';

export async function renderHistory(root, page) {
  const base = `/policies/${encodeURIComponent(page.id)}/history`;
  const verdict = h('span');
  const verify = h('button', { type: 'button', class: 'btn btn-sm' }, '校验');
  verify.addEventListener('click', async () => {
    const result = await busy(verify, () => api.get(`${base}/verify`), { busyText: '校验中…' });
    if (!result) return;
    const reasons = { prev_hash_mismatch: '与上一条记录的哈希不衔接', hash_mismatch: '记录内容与其哈希不符' };
    mount(verdict, result.ok
      ? badge(`校验通过：${result.length} 条记录完整，未被篡改`, 'success')
      : badge(`校验未通过：第 ${result.brokenAt + 1} 条记录${reasons[result.reason] ?? '异常'}`, 'danger'));
  });

  let events;
  try {
    events = (await api.get(base)).events ?? [];
  } catch (err) {
    mount(root, errorPanel(err));
    return;
  }
  mount(root, section(null,
    h('h2', { class: 'card-title' }, '审查记录', h('span', { class: 'spacer' }), verdict, verify),
    h('p', { class: 'muted small' }, '每条记录含上一条记录的哈希值，任何改动都会使校验失败。'),
    h('ol', { class: 'history-list' }, [...events].reverse().map((e) => h('li', null,
      h('div', null,
        h('strong', null, labelOf(ACTION_LABELS, e.action)), ' ',
        e.from && e.from !== e.to ? h('span', { class: 'muted' }, `${labelOf(POLICY_STATE_LABELS, e.from)} → ${labelOf(POLICY_STATE_LABELS, e.to)}`) : null),
      h('div', { class: 'small' }, `${e.actor?.username ?? ''} · ${formatDateTime(e.at)}`),
      detail(e) && h('div', { class: 'small' }, detail(e)),
      e.comment && h('div', { class: 'small' }, `备注：${e.comment}`),
      h('div', { class: 'hash' }, `hash ${e.hash}`))))));
}

/** A short, readable summary of an event's facts. */
function detail(e) {
  const d = e.data ?? {};
  switch (e.action) {
    case 'create': return d.title ? `名称：${d.title}` : '';
    case 'upload_version': return d.n ? `第 ${d.n} 版：${d.filename ?? ''}` : '';
    case 'update_self_review': return d.answered !== undefined ? `已作答 ${d.answered} 项${d.concerns?.length ? `，涉及：${d.concerns.join('、')}` : ''}` : '';
    case 'sign_off': return d.vote ? `意见：${labelOf(VOTE_LABELS, d.vote)}` : '';
    case 'conclude': return d.conclusion?.outcome ? `结论：${labelOf(OUTCOME_LABELS, d.conclusion.outcome)}` : '';
    case 'publish': return d.docNumber ? `文号：${d.docNumber}，出台日期：${d.publishedOn ?? ''}` : '';
    case 'request_joint_review': return d.quorum ? `会审成员 ${d.members?.length ?? 0} 人，法定签署人数 ${d.quorum}` : '';
    case 'open_recheck':
    case 'close_recheck':
    case 'abolish':
    case 'withdraw': return d.reason ? `理由：${d.reason}` : '';
    default: return '';
  }
}
