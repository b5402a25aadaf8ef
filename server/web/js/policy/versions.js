/**
 * 文本与疑似问题: document versions (upload, analysis progress polled until analysed or failed) and the
 * findings of the chosen version.
 */
import { h, mount, formatBytes, formatDateTime } from '../dom.js';
import { api, poll } from '../api.js';
import { ANALYSIS_STATUS_LABELS, ANALYSIS_STATUS_TONES } from '../labels.js';
import { busy, emptyRow, filePicker, section, stateBadge, toast } from '../ui.js';
import { findingsSection } from './findings.js';

const RUNNING = ['queued', 'analysing'];

/** A version record updated with a GET /versions/:n reading (file facts and analysis fields side by side). */
function merge(version, reading) {
  const analysis = { status: reading.status, progress: reading.progress, error: reading.error, findingCounts: reading.counts };
  return { ...version, analysis: { ...version.analysis, ...Object.fromEntries(Object.entries(analysis).filter(([, x]) => x !== undefined)) } };
}

export async function renderVersions(root, page) {
  const versions = [...(page.policy.versions ?? [])].sort((a, b) => b.n - a.n);
  const analysed = versions.filter((v) => v.analysis?.status === 'analysed');
  const chosen = analysed[0]?.n ?? null;
  const findingsSlot = h('div');
  const rows = new Map();

  const table = h('table', { class: 'table' },
    h('thead', null, h('tr', null, h('th', null, '版本'), h('th', null, '文件'), h('th', { class: 'num' }, '大小'), h('th', null, '上传时间'), h('th', null, '分析状态'), h('th', { class: 'num' }, '疑似问题'), h('th', null, ''))),
    h('tbody', null, versions.length === 0 ? emptyRow(7, '尚未上传文本') : versions.map((v) => {
      const row = versionRow(page, v, () => showFindings(v.n));
      rows.set(v.n, row);
      return row;
    })));

  const canUpload = page.recordActions.includes('upload_version');
  mount(root,
    section('文本版本', canUpload && uploadForm(page), h('div', { class: 'table-wrap' }, table)),
    findingsSlot);

  async function refreshRow(n) {
    const v = versions.find((x) => x.n === n);
    try {
      const next = versionRow(page, merge(v, await api.get(`/policies/${encodeURIComponent(page.id)}/versions/${n}`)), () => showFindings(n));
      rows.get(n)?.replaceWith(next);
      rows.set(n, next);
    } catch {
      // the tally is a convenience; the next reload shows it
    }
  }
  async function showFindings(n) {
    mount(findingsSlot, await findingsSection(page, n, { onDecided: () => refreshRow(n) }));
  }
  if (chosen !== null) await showFindings(chosen);
  else mount(findingsSlot, section('疑似问题', h('p', { class: 'muted' }, '文本分析完成后，在此逐条确认或排除疑似问题。')));

  // Follow versions still in analysis; reload the page when one finishes.
  for (const v of versions.filter((x) => RUNNING.includes(x.analysis?.status))) {
    followAnalysis(page, v.n, (reading) => {
      const next = versionRow(page, merge(v, reading), () => showFindings(v.n));
      rows.get(v.n)?.replaceWith(next);
      rows.set(v.n, next);
    });
  }
}

/**
 * Polls one version until its analysis ends, then reloads the page. One poll per version however often the tab
 * is redrawn; each drawing registers where the readings go (the latest drawing wins).
 */
function followAnalysis(page, n, onProgress) {
  page.analysisListeners ??= new Map();
  const running = page.analysisListeners.has(n);
  page.analysisListeners.set(n, onProgress);
  if (!running) follow(page, n).finally(() => page.analysisListeners.delete(n));
}

function versionRow(page, v, onShow) {
  const a = v.analysis ?? {};
  const counts = a.findingCounts;
  const base = `/policies/${encodeURIComponent(page.id)}/versions/${v.n}`;
  return h('tr', null,
    h('td', { class: 'nowrap' }, `第 ${v.n} 版`),
    h('td', null, h('a', { href: api.url(`${base}/file`), download: v.filename }, v.filename)),
    h('td', { class: 'num nowrap' }, formatBytes(v.size)),
    h('td', { class: 'nowrap' }, formatDateTime(v.uploadedAt)),
    h('td', null,
      stateBadge(a.status, ANALYSIS_STATUS_LABELS, ANALYSIS_STATUS_TONES),
      RUNNING.includes(a.status) && h('div', { class: 'progress', title: `${a.progress ?? 0}%` }, h('span', { style: { width: `${a.progress ?? 0}%` } })),
      a.status === 'failed' && a.error && h('div', { class: 'small error-text' }, a.error)),
    h('td', { class: 'num' }, counts ? `${counts.total}（待审 ${counts.open ?? 0}）` : ''),
    h('td', { class: 'nowrap' },
      a.status === 'analysed' && h('button', { type: 'button', class: 'btn btn-sm', onclick: onShow }, '查看疑似问题'),
      a.status === 'failed' && page.recordActions.includes('upload_version') && h('button', {
        type: 'button', class: 'btn btn-sm',
        onclick: async (event) => {
          if (await busy(event.currentTarget, () => api.post(`${base}/analysis`))) await page.reload();
        },
      }, '重新分析')));
}

async function follow(page, n) {
  const path = `/policies/${encodeURIComponent(page.id)}/versions/${n}`;
  let last;
  try {
    last = await poll(async () => {
      const v = await api.get(path);
      if (!page.signal.aborted) page.analysisListeners.get(n)?.(v);
      return v;
    }, (v) => !RUNNING.includes(v.status), { intervalMs: 1000, signal: page.signal });
  } catch {
    return; // the next reload shows the state; a failing poll must not break the page
  }
  if (page.signal.aborted) return;
  if (last?.status === 'analysed') toast(`第 ${n} 版分析完成`);
  else if (last?.status === 'failed') toast(`第 ${n} 版分析失败：${last.error ?? ''}`, 'error');
  await page.reload();
}

function uploadForm(page) {
  const errorSlot = h('div');
  const picker = filePicker('file', { accept: '.docx,.pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/pdf' });
  const input = picker.input;
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, '上传并分析');
  const form = h('form', { class: 'filters', novalidate: true },
    h('div', { class: 'field' }, h('span', { class: 'field-label' }, '上传新版本（DOCX 或 PDF，分析约需数秒至一分钟）'), picker.element),
    submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!input.files?.length) {
      mount(errorSlot, h('div', { class: 'alert alert-error' }, '请选择要上传的文件'));
      return;
    }
    const data = new FormData();
    data.append('file', input.files[0]);
    const result = await busy(submit, () => api.upload(`/policies/${encodeURIComponent(page.id)}/versions`, data), { errorSlot, busyText: '正在上传…' });
    if (result) {
      toast('已上传，正在分析');
      await page.reload();
    }
  });
  return h('div', null, form, errorSlot);
}
