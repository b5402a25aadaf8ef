/**
 * A tiny DOM helper. Every text goes in through textContent (never innerHTML), so data from the server or a
 * reporter cannot inject markup.
 */

/**
 * h('button', { class: 'btn', onclick: fn, disabled: true }, '确认') → <button class="btn">确认</button>
 * Props: `class`, `dataset` (object), `style` (object), `on<event>` (listener), booleans (set when true),
 * anything else as an attribute. Children: nodes, strings, numbers, arrays; null/undefined/false are skipped.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'style') Object.assign(el.style, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value' && 'value' in el) el.value = value;
    else if (key === 'checked' || key === 'selected') el[key] = Boolean(value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === true) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces the content of `el` with `children`. */
export function mount(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** Text or a muted dash for empty values, so nothing ever shows "undefined" or "null". */
export function text(value, empty = '—') {
  if (value === undefined || value === null || value === '') return h('span', { class: 'muted' }, empty);
  return String(value);
}

/**
 * Dates and times are shown in Beijing time whatever the browser's zone: deadlines are defined as the end of a
 * day in Asia/Shanghai, and a deadline of 23:59 must not read 15:59 on a machine set to UTC.
 */
const SHANGHAI = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

function shanghaiParts(date) {
  const parts = Object.fromEntries(SHANGHAI.formatToParts(date).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** '2026-03-01T08:05:00Z' → '2026-03-01 16:05' (Beijing time). */
export function formatDateTime(value) {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const { date, time } = shanghaiParts(d);
  return `${date} ${time}`;
}

/** A calendar date; 'YYYY-MM-DD' strings are shown as they are, instants as their Beijing date. */
export function formatDate(value) {
  if (!value) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return shanghaiParts(d).date;
}

export function formatBytes(n) {
  if (typeof n !== 'number') return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The values of a form as an object of trimmed strings (checkboxes: arrays of checked values). */
export function formValues(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === 'checkbox') {
      out[el.name] ??= [];
      if (el.checked) out[el.name].push(el.value);
    } else if (el.type === 'radio') {
      if (el.checked) out[el.name] = el.value;
    } else if (el.type !== 'file') {
      out[el.name] = typeof el.value === 'string' ? el.value.trim() : el.value;
    }
  }
  return out;
}

/** Today as 'YYYY-MM-DD' in Beijing. */
export function today() {
  return shanghaiParts(new Date()).date;
}

/** 'YYYY-MM-DD' n days from today (Beijing). */
export function daysFromToday(n) {
  return shanghaiParts(new Date(Date.now() + n * 86_400_000)).date;
}
