/** Shared pieces of the interface: badges, error panels, notices, form rows, busy buttons. */
import { h, mount } from './dom.js';
import { ApiError } from './api.js';
import { fieldLabel, issueMessage, labelOf, missingLabel } from './labels.js';
import { checklistTitle } from './meta.js';

export function badge(label, tone = 'neutral') {
  return h('span', { class: `badge badge-${tone}` }, label);
}

/** A badge for a machine value, its label and tone from two tables. */
export function stateBadge(value, labels, tones) {
  return badge(labelOf(labels, value) || '未知', tones[value] ?? 'neutral');
}

/** Chinese text for any failure; never a stack trace or "undefined". */
export function errorMessage(err) {
  if (err instanceof ApiError) return err.detail || err.title || `请求失败（HTTP ${err.status}）`;
  return '操作失败，请刷新页面后重试';
}

/**
 * A panel that explains a failure: the detail, what is missing, and which fields are wrong. `labels` names
 * fields whose Chinese name depends on the form (e.g. `items`: 需补正的材料 or 涉及的审查标准).
 */
export function errorPanel(err, labels = {}) {
  if (!(err instanceof ApiError)) {
    // A programming error in the page itself: tell the user plainly, keep the details for the console.
    console.error(err);
  }
  const title = err instanceof ApiError && err.title ? err.title : '操作失败';
  const missing = err instanceof ApiError ? err.missing : [];
  const issues = err instanceof ApiError ? err.issues : [];
  // With a list of what is missing or wrong, the list says it better than the summary line (which names fields).
  const lead = missing.length ? '以下内容尚未填写或不满足条件：' : issues.length ? '请检查以下内容：' : errorMessage(err);
  return h('div', { class: 'alert alert-error', role: 'alert' },
    h('strong', null, title),
    h('p', null, lead),
    missing.length > 0 && h('ul', { class: 'missing-list' }, missing.map((name) => h('li', null, missingLabel(name, checklistTitle, labels)))),
    issues.length > 0 && h('ul', { class: 'issue-list' }, issues.map((issue) => h('li', null,
      issue.path ? `${fieldLabel(issue.path, labels)}：` : '', issueMessage(issue.message)))),
  );
}

/** Shows a failure (or clears it with null) inside `slot`. */
export function showError(slot, err, labels) {
  if (!slot) return;
  if (err) mount(slot, errorPanel(err, labels));
  else slot.replaceChildren();
}

export function notice(message, tone = 'info') {
  return h('div', { class: `alert alert-${tone}` }, message);
}

let toastTimer;
/** A short confirmation at the top of the page. */
export function toast(message, tone = 'success') {
  const host = document.getElementById('toast');
  if (!host) return;
  mount(host, h('div', { class: `toast toast-${tone}`, role: 'status' }, message));
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => host.replaceChildren(), 4000);
}

/** A labelled form row. */
export function field(label, control, { hint, required, wide } = {}) {
  return h('label', { class: ['field', wide && 'field-wide'] },
    h('span', { class: 'field-label' }, label, required && h('span', { class: 'required', title: '必填' }, '*')),
    control,
    hint && h('span', { class: 'field-hint' }, hint));
}

export function select(name, options, { value, placeholder, required } = {}) {
  return h('select', { name, required },
    placeholder !== undefined && h('option', { value: '' }, placeholder),
    Object.entries(options).map(([key, label]) => h('option', { value: key, selected: key === value }, label)));
}

/**
 * Runs `work` with the button disabled and showing `busyText`; a failure goes to `errorSlot`.
 * Returns the result, or undefined when it failed.
 */
export async function busy(button, work, { errorSlot, busyText = '处理中…', labels } = {}) {
  const label = button?.textContent;
  if (button) {
    button.disabled = true;
    button.textContent = busyText;
  }
  showError(errorSlot, null);
  try {
    return await work();
  } catch (err) {
    if (errorSlot) showError(errorSlot, err, labels);
    else toast(errorMessage(err), 'error');
    return undefined;
  } finally {
    if (button) {
      button.disabled = false;
      button.textContent = label;
    }
  }
}

export function pageHeader(title, ...extra) {
  return h('div', { class: 'page-header' }, h('h1', null, title), h('div', { class: 'page-actions' }, extra));
}

export function section(title, ...children) {
  return h('section', { class: 'card' }, title && h('h2', { class: 'card-title' }, title), children);
}

export function emptyRow(colspan, message) {
  return h('tr', null, h('td', { colspan, class: 'empty' }, message));
}

export function loading(message = '正在加载…') {
  return h('p', { class: 'loading' }, message);
}

/** A definition list of [label, value] pairs; empty values show a dash. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(Boolean).map(([label, value]) => [
    h('dt', null, label),
    h('dd', null, value === undefined || value === null || value === '' ? h('span', { class: 'muted' }, '—') : value),
  ]));
}

/** Labels of the required controls left empty (so obvious gaps are named before anything is sent). */
export function emptyRequired(form) {
  const empty = [];
  for (const el of form.querySelectorAll('[required]')) {
    if (el.disabled || el.closest('[hidden]')) continue;
    const blank = el.type === 'checkbox' || el.type === 'radio'
      ? !form.querySelector(`[name="${el.name}"]:checked`)
      : el.type === 'file' ? !el.files?.length : !String(el.value ?? '').trim();
    if (!blank) continue;
    const label = el.closest('.field')?.querySelector('.field-label')?.firstChild?.textContent ?? el.name;
    if (!empty.includes(label)) empty.push(label);
  }
  return empty;
}

/** Shows "请填写：…" in `slot` and returns false when required fields are empty. */
export function requireFilled(form, slot) {
  const empty = emptyRequired(form);
  if (empty.length === 0) return true;
  mount(slot, h('div', { class: 'alert alert-error', role: 'alert' }, `请填写：${empty.join('、')}`));
  slot.scrollIntoView?.({ block: 'nearest' });
  return false;
}

/**
 * A file picker in Chinese (the native control speaks the browser's language): a button and the chosen name.
 * Returns {element, input}.
 */
export function filePicker(name, { accept, multiple } = {}) {
  const input = h('input', { type: 'file', name, accept, multiple, class: 'visually-hidden' });
  const chosen = h('span', { class: 'muted small' }, '未选择文件');
  input.addEventListener('change', () => {
    const names = [...(input.files ?? [])].map((f) => f.name);
    chosen.textContent = names.length ? names.join('、') : '未选择文件';
    chosen.className = names.length ? 'small' : 'muted small';
  });
  const element = h('span', { class: 'file-picker' }, h('label', { class: 'btn' }, input, '选择文件…'), chosen);
  return { element, input };
}

/** "共 N 条，第 p / P 页" with previous/next links; `hashFor(page)` builds each link. */
export function pager({ total = 0, page = 1, pageSize = 20 }, hashFor, unit = '条') {
  const pages = Math.max(1, Math.ceil(total / (pageSize || 20)));
  return h('div', { class: 'pager' },
    h('span', { class: 'muted' }, `共 ${total} ${unit}，第 ${page} / ${pages} 页`),
    page > 1 && h('a', { class: 'btn btn-sm', href: hashFor(page - 1) }, '上一页'),
    page < pages && h('a', { class: 'btn btn-sm', href: hashFor(page + 1) }, '下一页'));
}
