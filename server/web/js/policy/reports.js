/**
 * 文书下载: POST /reports {kind, policyId} → 202 {id}; poll GET /reports/:id until ready or failed; then a link
 * to GET /reports/:id/file. The server renders each (kind, policy, revision) once, so asking again is cheap.
 */
import { h, mount, formatBytes } from '../dom.js';
import { api, poll } from '../api.js';
import { REPORT_KIND_LABELS } from '../labels.js';
import { badge, busy, section } from '../ui.js';

const KINDS = [
  { kind: 'review_form', note: '公平竞争审查表（含 19 项审查标准逐项情况）', available: () => true },
  { kind: 'annotated_draft', note: '在文本中标注疑似问题并附批注的 Word 文档', available: (p) => (p.versions ?? []).some((v) => v.analysis?.status === 'analysed') },
  { kind: 'joint_review_opinion', note: '会审成员意见及审查结论', available: (p) => Boolean(p.jointReview) },
  { kind: 'evaluation_summary', note: '第三方评估情况摘要', available: (p) => (p.evaluations ?? []).length > 0 },
];

export async function renderReports(root, page) {
  mount(root, section('文书下载',
    h('p', { class: 'muted small' }, '文书按当前记录生成 Word（DOCX）文件；记录更新后重新生成即为最新内容。'),
    KINDS.map((k) => reportRow(page, k))));
}

function reportRow(page, { kind, note, available }) {
  const status = h('span');
  const errorSlot = h('div');
  const ok = available(page.policy);
  const button = h('button', { type: 'button', class: 'btn btn-sm btn-primary', disabled: !ok }, '生成');
  button.addEventListener('click', async () => {
    mount(status, badge('生成中…', 'info'));
    const report = await busy(button, () => generate(page, kind), { errorSlot, busyText: '生成中…' });
    if (!report) {
      status.replaceChildren();
      return;
    }
    if (report.status === 'ready') {
      mount(status, h('a', { class: 'btn btn-sm', href: api.url(`/reports/${encodeURIComponent(report.id)}/file`), download: report.filename ?? '' },
        `下载 ${report.filename ?? 'DOCX'}`), report.size ? h('span', { class: 'muted small' }, ` ${formatBytes(report.size)}`) : null);
    } else if (report.status === 'failed') {
      mount(status, badge('生成失败', 'danger'));
      mount(errorSlot, h('div', { class: 'alert alert-error' }, `文书生成失败：${report.error || '原因不明'}。可再次点击“生成”重试。`));
    } else {
      mount(status, badge('仍在生成，请稍后再试', 'warning'));
    }
  });
  return h('div', null,
    h('div', { class: 'report-row' },
      h('div', { class: 'name' }, h('strong', null, REPORT_KIND_LABELS[kind]), h('div', { class: 'muted small' }, ok ? note : unavailableText(kind))),
      status, button),
    errorSlot);
}

function unavailableText(kind) {
  return {
    annotated_draft: '尚无完成分析的文本',
    joint_review_opinion: '该政策措施未进行会审',
    evaluation_summary: '该政策措施未委托第三方评估',
  }[kind] ?? '';
}

async function generate(page, kind) {
  const created = await api.post('/reports', { kind, policyId: page.id });
  return poll(() => api.get(`/reports/${encodeURIComponent(created.id)}`), (r) => r.status === 'ready' || r.status === 'failed',
    { intervalMs: 800, signal: page.signal, maxMs: 120_000 });
}
