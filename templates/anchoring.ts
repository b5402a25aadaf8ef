/**
 * Where each finding sits in the laid-out draft. Pure arithmetic on offsets, kept apart from the docx code so the
 * tricky cases (overlaps, spans across paragraphs, drifted offsets, surrogate pairs) can be tested on their own.
 *
 * Offsets are JavaScript string indices (UTF-16 code units) into the extracted document text, the coordinate system
 * of both `unit.start` and a finding's `start`/`end` (end exclusive).
 */

export interface TextUnit {
  start: number;
  text: string;
}

export interface Span {
  start: number;
  end: number;
}

export interface SpanRequest extends Span {
  /** The text the analyser saw at the span; used to re-find the clause when the offsets no longer match it. */
  quote?: string | null;
}

/** The text the units hold between two document offsets (gaps between units contribute nothing). */
export function sliceUnits(units: readonly TextUnit[], span: Span): string {
  let text = '';
  for (const unit of units) {
    const from = Math.max(span.start, unit.start);
    const to = Math.min(span.end, unit.start + unit.text.length);
    if (from < to) text += unit.text.slice(from - unit.start, to - unit.start);
  }
  return text;
}

/**
 * The span a finding should be anchored on, or null when it cannot be placed. Offsets are clamped to the text the
 * units cover; when a quote is given and the offsets do not hold it, the occurrence of the quote nearest to the
 * stated start wins (a finding from an earlier extraction of the same draft still lands on its clause).
 */
export function resolveSpan(units: readonly TextUnit[], request: SpanRequest): Span | null {
  const clamped = clampToUnits(units, request);
  const quote = request.quote ?? '';
  if (quote.length > 0 && (clamped === null || sliceUnits(units, clamped) !== quote)) {
    const found = nearestOccurrence(units, quote, Number.isFinite(request.start) ? request.start : 0);
    if (found) return found;
  }
  if (clamped === null) return null;
  return sliceUnits(units, clamped).length > 0 ? clamped : null;
}

/**
 * The span shrunk onto text the units hold: a start in a gap between units moves forward to the next unit, an end in
 * a gap moves back to the previous one, so every anchored span begins and ends inside some unit's text.
 */
function clampToUnits(units: readonly TextUnit[], span: Span): Span | null {
  if (!Number.isFinite(span.start) || !Number.isFinite(span.end)) return null;
  let start = Infinity;
  let end = -Infinity;
  for (const unit of units) {
    const unitEnd = unit.start + unit.text.length;
    const from = Math.max(Math.floor(span.start), unit.start);
    const to = Math.min(Math.ceil(span.end), unitEnd);
    if (from < to) {
      start = Math.min(start, from);
      end = Math.max(end, to);
    }
  }
  return start < end ? { start, end } : null;
}

function nearestOccurrence(units: readonly TextUnit[], quote: string, near: number): Span | null {
  let best: Span | null = null;
  for (const unit of units) {
    for (let at = unit.text.indexOf(quote); at >= 0; at = unit.text.indexOf(quote, at + 1)) {
      const start = unit.start + at;
      if (best === null || Math.abs(start - near) < Math.abs(best.start - near)) best = { start, end: start + quote.length };
    }
  }
  return best;
}

/** A piece of one unit's text, with the anchored spans that cover it and those that open or close at its edges. */
export interface Segment {
  /** Offsets local to the unit's text. */
  from: number;
  to: number;
  /** Indices (into the anchored list) of spans covering this segment. */
  covering: number[];
  /** Spans that start at `from` (their range opens before this segment's text). */
  opening: number[];
  /** Spans that end at `to` (their range closes after this segment's text), innermost first. */
  closing: number[];
}

/**
 * Cuts one unit's text at every span boundary that falls inside it. Boundaries are moved off the middle of a surrogate
 * pair so no character is split across two runs. A unit no span touches comes back as one plain segment.
 */
export function segmentUnit(unit: TextUnit, spans: readonly (Span | null)[]): Segment[] {
  const length = unit.text.length;
  const unitEnd = unit.start + length;
  if (length === 0) return [{ from: 0, to: 0, covering: [], opening: [], closing: [] }];
  const local = (offset: number) => Math.min(Math.max(offset - unit.start, 0), length);

  const touching: { index: number; from: number; to: number; opens: boolean; closes: boolean }[] = [];
  spans.forEach((span, index) => {
    if (span && span.start < unitEnd && span.end > unit.start) {
      touching.push({
        index,
        // Starts snap back and ends forward, so a span only ever grows to whole characters.
        from: snapToCodePoint(unit.text, local(span.start), -1),
        to: snapToCodePoint(unit.text, local(span.end), +1),
        opens: span.start >= unit.start,
        closes: span.end <= unitEnd,
      });
    }
  });

  const cuts = new Set<number>([0, length]);
  for (const t of touching) cuts.add(t.from).add(t.to);
  const points = [...cuts].sort((a, b) => a - b);

  const segments: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const from = points[i] as number;
    const to = points[i + 1] as number;
    segments.push({
      from,
      to,
      covering: touching.filter((t) => t.from <= from && t.to >= to).map((t) => t.index),
      opening: touching.filter((t) => t.opens && t.from === from).map((t) => t.index),
      closing: touching
        .filter((t) => t.closes && t.to === to)
        .sort((a, b) => b.from - a.from || b.index - a.index)
        .map((t) => t.index),
    });
  }
  return segments;
}

/** An offset between the two halves of a surrogate pair moves to the pair's start (-1) or end (+1). */
function snapToCodePoint(text: string, offset: number, direction: -1 | 1): number {
  if (offset <= 0 || offset >= text.length) return offset;
  const before = text.charCodeAt(offset - 1);
  const after = text.charCodeAt(offset);
  const splitsPair = before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
  return splitsPair ? offset + (direction < 0 ? -1 : 1) : offset;
}
