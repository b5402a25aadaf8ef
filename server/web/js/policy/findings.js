/**
 * 疑似问题 of one version: checklist item, clause path and text with the evidence highlighted, explanation,
 * legal basis, suggested rewrite, and 确认/排除 (PATCH /policies/:id/findings/:fid {status, reason}).
 */
import { h, mount, formatDateTime } from '../dom.js';
import { api } from '../api.js';
import { FINDING_DECISION_LABELS, FINDING_DECISION_TONES } from '../labels.js';
import { checklistTitle } from '../meta.js';
import { busy, emptyRow, errorPanel, loading, section, stateBadge, toast } from '../ui.js';
import { isDraftingStaff } from './access.js';

const REVIEW_STATES = ['draft', 'self_review', 'joint_review', 'third_party_evaluation', 'recheck'];
const FILTERS = [['all', '全部'], ['pending', '待审查'], ['confirmed', '已确认'], ['dismissed', '已排除']];

const statusOf = (f) => f.decision?.status ?? 'pending';

/** `onDecided` runs after each decision (the versions table refreshes its tally). */
export async function findingsSection(page, versionN, { onDecided } = {}) {
  const body = h('div', null, loading());
  const card = section(`疑似问题（第 ${versionN} 版）`, body);
  let findings;
  let resolved;
  try {
    const base = `/policies/${encodeURIComponent(page.id)}/versions/${versionN}`;
    const [result, version] = await Promise.all([api.get(`${base}/findings`), versionN > 1 ? api.get(base) : null]);
    findings = result.items ?? [];
    resolved = version?.resolvedSincePrevious ?? null;
  } catch (err) {
    mount(body, errorPanel(err));
    return card;
  }
  // The same rule as the server's (domain/findingReview.ts); the server checks again.
  const canDecide = REVIEW_STATES.includes(page.policy.state) && (isDraftingStaff(page) || page.user.role === 'regulator');
  let filter = 'all';
  const filterBar = h('div', { class: 'tabs' });
  const tbody = h('tbody');

  function draw() {
    const counts = Object.fromEntries(FILTERS.map(([key]) => [key, key === 'all' ? findings.length : findings.filter((f) => statusOf(f) === key).length]));
    mount(filterBar, FILTERS.map(([key, label]) => h('button', { type: 'button', class: key === filter ? 'active' : null, onclick: () => { filter = key; draw(); } },
      label, h('span', { class: 'count' }, counts[key]))));
    const shown = findings.filter((f) => filter === 'all' || statusOf(f) === filter);
    mount(tbody, shown.length === 0
      ? emptyRow(4, findings.length === 0 ? '分析未发现疑似问题' : '没有此类问题')
      : shown.map((f) => findingRow(f)));
  }

  function findingRow(f) {
    return h('tr', { id: `finding-${f.id}` },
      h('td', { style: { width: '18%' } },
        h('strong', null, f.itemId), h('div', null, checklistTitle(f.itemId)),
        typeof f.score === 'number' && h('div', { class: 'muted small' }, `匹配度 ${Math.round(f.score * 100) / 100}`)),
      h('td', { style: { width: '36%' } },
        h('div', { class: 'finding-path' }, f.path || '（未识别条款位置）'),
        h('div', { class: 'clause' }, highlighted(f))),
      h('td', null, h('dl', { class: 'finding-meta' },
        f.explanation && [h('dt', null, '问题说明'), h('dd', null, f.explanation)],
        f.basis && [h('dt', null, '审查依据'), h('dd', null, f.basis)],
        f.suggestion && [h('dt', null, '修改建议'), h('dd', { class: 'rewrite' }, f.suggestion)])),
      h('td', { style: { width: '190px' } }, decisionCell(f)));
  }

  function decisionCell(f) {
    const status = statusOf(f);
    const d = f.decision ?? {};
    const info = [
      stateBadge(status, FINDING_DECISION_LABELS, FINDING_DECISION_TONES),
      d.reason && h('div', { class: 'small' }, `理由：${d.reason}`),
      d.at && h('div', { class: 'muted small' }, `${d.byUsername ?? ''} ${formatDateTime(d.at)}`),
    ];
    if (!canDecide) return h('div', { class: 'decision-box' }, info);
    const errorSlot = h('div');
    const reason = h('textarea', { placeholder: '理由（排除时必填）', 'aria-label': '理由' });
    const decide = (status) => async (event) => {
      if (status === 'dismissed' && !reason.value.trim()) {
        mount(errorSlot, h('div', { class: 'alert alert-error' }, '排除疑似问题须写明理由'));
        reason.focus();
        return;
      }
      const saved = await busy(event.currentTarget, () => api.patch(`/policies/${encodeURIComponent(page.id)}/findings/${encodeURIComponent(f.id)}`, {
        status,
        ...(reason.value.trim() && { reason: reason.value.trim() }),
      }), { errorSlot });
      if (!saved) return;
      Object.assign(f, saved);
      toast(status === 'confirmed' ? '已确认为问题' : '已排除');
      draw();
      onDecided?.();
    };
    return h('div', { class: 'decision-box' }, info, reason,
      h('div', { class: 'action-buttons' },
        h('button', { type: 'button', class: 'btn btn-sm btn-danger', onclick: decide('confirmed') }, '确认'),
        h('button', { type: 'button', class: 'btn btn-sm btn-success', onclick: decide('dismissed') }, '排除')),
      errorSlot);
  }

  draw();
  mount(body,
    resolvedNotice(resolved),
    h('p', { class: 'muted small' }, '黄色底纹为触发审查项的关键表述。请逐条确认（确属问题）或排除（写明理由）。'),
    filterBar,
    h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      h('thead', null, h('tr', null, h('th', null, '审查项'), h('th', null, '条款'), h('th', null, '说明与建议'), h('th', null, '审查意见'))),
      tbody)));
  return card;
}

/** What the new version no longer raises, compared with the previous analysed version. */
function resolvedNotice(resolved) {
  if (!resolved || (resolved.findings ?? []).length === 0) return null;
  return h('div', { class: 'alert alert-success' },
    h('strong', null, `与第 ${resolved.previousVersion} 版相比，已不再出现 ${resolved.findings.length} 处疑似问题`),
    resolved.items?.length > 0 && h('p', null, `不再涉及的审查项：${resolved.items.map((id) => `${id} ${checklistTitle(id)}`).join('；')}`),
    h('ul', null, resolved.findings.map((f) => h('li', null, `${f.itemId} · ${f.path || '未识别位置'}：${(f.text ?? '').slice(0, 60)}${(f.text ?? '').length > 60 ? '…' : ''}`))));
}

/**
 * The clause text with each evidence phrase in <mark>. Evidence offsets are document offsets (the finding's
 * `start` is the clause's); when they do not fit the clause, the phrase is looked up in the text instead.
 */
export function highlighted(f) {
  const text = f.text ?? '';
  const ranges = [];
  for (const e of f.evidence ?? []) {
    const phrase = e.phrase ?? '';
    if (!phrase) continue;
    let start = Number.isInteger(e.start) && Number.isInteger(f.start) ? e.start - f.start : -1;
    if (start < 0 || text.slice(start, start + phrase.length) !== phrase) start = text.indexOf(phrase);
    if (start >= 0) ranges.push([start, start + phrase.length]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const parts = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (end <= at) continue;
    const from = Math.max(start, at);
    if (from > at) parts.push(text.slice(at, from));
    parts.push(h('mark', { class: 'evidence' }, text.slice(from, end)));
    at = end;
  }
  parts.push(text.slice(at));
  return parts;
}
