/** Plain-text table of findings for the terminal (CJK characters take two columns). */
import type { Finding } from './analyze.js';

/** Terminal columns taken by a string: CJK and full-width characters take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ? 2 : 1;
  }
  return w;
}

/** Cuts to at most `width` columns (ending in "…" when cut) and pads with spaces to exactly `width`. */
export function fitColumn(s: string, width: number): string {
  const flat = s.replace(/\s+/g, ' ');
  if (displayWidth(flat) <= width) return flat + ' '.repeat(width - displayWidth(flat));
  let out = '';
  let w = 0;
  for (const ch of flat) {
    const cw = displayWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return out + '…' + ' '.repeat(width - w - 1);
}

export function findingsTable(findings: Finding[]): string {
  const columns: [string, number][] = [['#', 4], ['位置', 24], ['条目', 11], ['分数', 6], ['命中要素', 26], ['原文', 48]];
  const row = (cells: string[]) => cells.map((c, i) => fitColumn(c, columns[i]![1])).join(' ').trimEnd();
  const lines = [row(columns.map(([h]) => h)), row(columns.map(([, w]) => '-'.repeat(w)))];
  findings.forEach((f, i) => {
    const where = [f.path || '正文', f.page !== undefined ? `第${f.page}页` : ''].filter(Boolean).join(' ');
    lines.push(row([String(i + 1), where, f.subItemId ?? f.itemId, f.score.toFixed(2), f.evidence.map((e) => e.phrase).join('、'), f.text]));
  });
  return lines.join('\n');
}

