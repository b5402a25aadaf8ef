/**
 * The reading view's text as paragraphs of plain and flagged pieces, computed once per load. Findings point into
 * the version's text by offset ([start, end)); a piece covered by several findings carries all their ids and the
 * highest severity among their checklist items. No per-character spans: a paragraph has one piece per finding
 * boundary at most.
 */

const SEVERITY_RANK = { high: 3, medium: 2, low: 1, '': 0 };
const SEVERITY_BY_RANK = ['', 'low', 'medium', 'high'];

/** Index of the last paragraph starting at or before `offset`. */
export function paragraphAt(paragraphs, offset) {
  let lo = 0;
  let hi = paragraphs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (paragraphs[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * text: the version's text ("\n" between paragraphs); findings: [{id, start, end, itemId}];
 * severityOf(itemId) → 'high' | 'medium' | 'low' | ''.
 * Returns [{ index, start, pieces: [{ text, ids?: string[], severity? }] }].
 */
export function layoutParagraphs(text, findings, severityOf) {
  const paragraphs = [];
  let start = 0;
  for (const line of text.split('\n')) {
    paragraphs.push({ index: paragraphs.length, start, end: start + line.length, text: line, spans: [] });
    start += line.length + 1;
  }
  if (paragraphs.length === 0) return [];
  for (const f of findings) {
    if (!(f.end > f.start)) continue;
    for (let i = paragraphAt(paragraphs, f.start); i < paragraphs.length && paragraphs[i].start < f.end; i++) {
      const p = paragraphs[i];
      const from = Math.max(f.start, p.start) - p.start;
      const to = Math.min(f.end, p.end) - p.start;
      if (to > from) p.spans.push({ from, to, id: f.id, rank: SEVERITY_RANK[severityOf(f.itemId)] ?? 0 });
    }
  }
  return paragraphs.map((p) => ({ index: p.index, start: p.start, pieces: piecesOf(p) }));
}

function piecesOf(p) {
  if (p.spans.length === 0) return [{ text: p.text }];
  const cuts = [...new Set([0, p.text.length, ...p.spans.flatMap((s) => [s.from, s.to])])].sort((a, b) => a - b);
  const pieces = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const [from, to] = [cuts[k], cuts[k + 1]];
    const covering = p.spans.filter((s) => s.from < to && s.to > from);
    const piece = { text: p.text.slice(from, to) };
    if (covering.length) {
      piece.ids = covering.map((s) => s.id);
      piece.severity = SEVERITY_BY_RANK[Math.max(...covering.map((s) => s.rank))] || 'low';
    }
    const last = pieces.at(-1);
    // neighbours with the same findings are one piece
    if (last && String(last.ids ?? '') === String(piece.ids ?? '')) last.text += piece.text;
    else pieces.push(piece);
  }
  return pieces;
}
