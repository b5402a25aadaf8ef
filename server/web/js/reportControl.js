/**
 * A "生成" button for one report: POST /reports {kind, policyId | complaintId} → 202 {id}; poll GET /reports/:id
 * until ready or failed; then a link to GET /reports/:id/file. The server renders each (kind, subject, revision)
 * once, so asking again is cheap.
 */
import { h, mount, formatBytes } from './dom.js';
import { api, poll } from './api.js';
import { badge, busy } from './ui.js';

export function reportControl(request, { signal, disabled = false, label = '生成' } = {}) {
  const status = h('span');
  const errorSlot = h('div');
  const button = h('button', { type: 'button', class: 'btn btn-sm btn-primary', disabled }, label);
  button.addEventListener('click', async () => {
    mount(status, badge('生成中…', 'info'));
    const report = await busy(button, () => generate(request, signal), { errorSlot, busyText: '生成中…' });
    if (!report) {
      status.replaceChildren();
    } else if (report.status === 'ready') {
      mount(status, h('a', {
        class: 'btn btn-sm btn-success', href: api.url(`/reports/${encodeURIComponent(report.id)}/file`), download: report.filename ?? '', title: report.filename ?? '',
      }, `下载 DOCX${report.size ? `（${formatBytes(report.size)}）` : ''}`));
    } else if (report.status === 'failed') {
      mount(status, badge('生成失败', 'danger'));
      mount(errorSlot, h('div', { class: 'alert alert-error' }, `文书生成失败：${report.error || '原因不明'}。可再次点击“${label}”重试。`));
    } else {
      mount(status, badge('仍在生成，请稍后再试', 'warning'));
    }
  });
  return { button, status, errorSlot };
}

async function generate(request, signal) {
  const created = await api.post('/reports', request);
  if (created.status === 'ready' || created.status === 'failed') return created;
  return poll(() => api.get(`/reports/${encodeURIComponent(created.id)}`), (r) => r.status === 'ready' || r.status === 'failed',
    { intervalMs: 800, signal, maxMs: 120_000 });
}
