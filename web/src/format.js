/** Dates, times and sizes as people in the office read them (Beijing time). */

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

/** Today as 'YYYY-MM-DD' in Beijing. */
export function today() {
  return shanghaiParts(new Date()).date;
}

/** 'YYYY-MM-DD' n days from today (Beijing). */
export function daysFromToday(n) {
  return shanghaiParts(new Date(Date.now() + n * 86_400_000)).date;
}

/** Whole Beijing calendar days from today until the date of `value` (negative once it has passed), or null. */
export function daysUntil(value) {
  const date = formatDate(value);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  return Math.round((Date.parse(date) - Date.parse(today())) / 86_400_000);
}
