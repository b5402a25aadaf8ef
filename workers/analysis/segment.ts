/**
 * Structural segmentation of Chinese policy documents.
 *
 * The text is first normalised (full-width ASCII to half-width, exotic spaces to ' ') by a mapping that
 * replaces one UTF-16 code unit with exactly one code unit, so every offset found in the normalised text is
 * also an offset into the original: units carry `text = original.slice(start, end)`.
 *
 * Structure recognised, one line = one paragraph (the extractors emit paragraphs joined by "\n"):
 *   第X章 / 第X节 / 第X条 headings (Chinese or Arabic numerals, 十/百/千 included),
 *   款 = the paragraphs of an article, 项 / 目 = enumerations（一）(1) 1. 1、 ① and notice headings 一、,
 *   nested by order of first appearance, plus enumerations written inline after "：" or "；".
 * Leaves are sentences split on 。；！？;!? outside quotes and brackets.
 */

export type UnitKind = 'chapter' | 'section' | 'article' | 'paragraph' | 'item' | 'subitem' | 'sentence' | 'block';

export interface Unit {
  path: string;
  kind: UnitKind;
  text: string;
  start: number;
  end: number;
}

export interface Span {
  text: string;
  start: number;
  end: number;
}

/** A leaf unit plus the lead-in sentences of its enclosing paragraphs/items ("不得有下列行为：" before （一）). */
export interface DetailedUnit extends Unit {
  /** Lead-in sentences of the ancestors, outermost first; empty for units not inside an enumeration. */
  leads: Span[];
  /** True for chapter/section headings (title text only), which are not clauses. */
  heading: boolean;
  /**
   * The nearest heading the unit stands under: a chapter or section title, or a short first sentence of an
   * enclosing node without a full stop ("三、扶持措施", "（二）财政奖励"), unless it is one of the unit's
   * lead-ins already. Units under one heading share the same object.
   */
  headingAbove?: Span;
  /** The sentence before the unit in the same article or item (the same path), if there is one. */
  previous?: Span;
}

export interface OutlineNode {
  kind: Exclude<UnitKind, 'sentence'>;
  /** Canonical label: "第三章", "第十二条", "第二款", "（一）", "1.", "一、", "①", "第1段". */
  label: string;
  /** Full path from the top, labels joined by a space; single-paragraph articles omit the 款 label. */
  path: string;
  /** Number of this node within its kind (第十二条 → 12), when it has one. */
  number?: number;
  /** Heading title for chapters and sections ("总则"). */
  title?: Span;
  /** Span of the whole node including its children, into the original text. */
  start: number;
  end: number;
  /** Own text of the node (marker excluded), possibly several paragraphs for notice-style items. */
  content: Span[];
  children: OutlineNode[];
}

// ---------------------------------------------------------------------------------------------------------
// Normalisation (length-preserving)

/** Maps full-width ASCII (！..～) to half-width and ideographic/no-break spaces to ' '; same length as input. */
export function normalize(text: string): string {
  let changed = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0xff01 && c <= 0xff5e) || c === 0x3000 || c === 0x00a0) {
      changed = true;
      break;
    }
  }
  if (!changed) return text;
  let out = '';
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let mapped = -1;
    if (c >= 0xff01 && c <= 0xff5e) mapped = c - 0xfee0;
    else if (c === 0x3000 || c === 0x00a0) mapped = 0x20;
    if (mapped >= 0) {
      out += text.slice(runStart, i) + String.fromCharCode(mapped);
      runStart = i + 1;
    }
  }
  return out + text.slice(runStart);
}

function isSpace(c: number): boolean {
  // space, tab, CR, LF, VT, FF, NBSP, ideographic space, zero-width space, BOM
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x3000 || c === 0x200b || c === 0xfeff;
}

// ---------------------------------------------------------------------------------------------------------
// Numerals

const CN_DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const CN_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** Parses 十二 / 二十三 / 一百零五 / 一〇五 / 12 into a number; NaN when it is not a numeral. */
export function parseNumeral(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  if (s.length === 0) return NaN;
  let hasUnit = false;
  for (const ch of s) if (ch in CN_UNITS) hasUnit = true;
  if (!hasUnit) {
    // positional: 一〇五
    let n = 0;
    for (const ch of s) {
      const d = CN_DIGITS[ch];
      if (d === undefined) return NaN;
      n = n * 10 + d;
    }
    return n;
  }
  let total = 0;
  let digit = -1;
  for (const ch of s) {
    const d = CN_DIGITS[ch];
    if (d !== undefined) {
      digit = d;
      continue;
    }
    const u = CN_UNITS[ch];
    if (u === undefined) return NaN;
    total += (digit < 0 ? 1 : digit) * u;
    digit = -1;
  }
  return total + (digit > 0 ? digit : 0);
}

const CN_DIGIT_CHARS = '零一二三四五六七八九';

/** 1 → 一, 12 → 十二, 23 → 二十三, 105 → 一百零五 (for 款 labels). */
export function toChineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 9999) return String(n);
  if (n < 10) return CN_DIGIT_CHARS[n]!;
  if (n < 20) return '十' + (n % 10 ? CN_DIGIT_CHARS[n % 10] : '');
  const units = ['', '十', '百', '千'];
  const digits = String(n).split('').map(Number);
  let out = '';
  let pendingZero = false;
  digits.forEach((d, i) => {
    const unit = units[digits.length - 1 - i]!;
    if (d === 0) {
      pendingZero = out.length > 0;
      return;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    out += CN_DIGIT_CHARS[d] + unit;
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Line classification (on the normalised text; sticky regexes avoid slicing)

const NUM = '[零〇一二两三四五六七八九十百千0-9]+';
const HEADING_RE = new RegExp(`第[ \\t]*(${NUM})[ \\t]*(章|节|条)(?:之(${NUM}))?`, 'y');
/** A 第X条 followed directly by one of these is a cross-reference at the start of a line, not a heading. */
const REFERENCE_FOLLOWERS = new Set('规的所中至、，,和及或与第项款以'.split(''));

type EnumStyle = 'cn-dun' | 'cn-paren' | 'ar-paren' | 'ar-dot' | 'circled';

const ENUM_RES: [EnumStyle, RegExp][] = [
  ['cn-paren', /\([ \t]*([零〇一二两三四五六七八九十百]+)[ \t]*\)/y],
  ['ar-paren', /\([ \t]*(\d{1,3})[ \t]*\)/y],
  ['cn-dun', /([零〇一二两三四五六七八九十百]+)[、.](?![0-9])/y],
  ['ar-dot', /(\d{1,3})(?:、|\.(?![0-9]))/y],
  ['circled', /([\u2460-\u2473])/y],
];

interface Heading {
  kind: 'chapter' | 'section' | 'article';
  label: string;
  number: number;
  markerEnd: number;
}

interface EnumMarker {
  style: EnumStyle;
  label: string;
  number: number;
  markerEnd: number;
}

function matchHeading(norm: string, at: number, lineEnd: number): Heading | undefined {
  HEADING_RE.lastIndex = at;
  const m = HEADING_RE.exec(norm);
  if (!m || HEADING_RE.lastIndex > lineEnd) return undefined;
  const markerEnd = HEADING_RE.lastIndex;
  const next = norm[markerEnd];
  if (next !== undefined && REFERENCE_FOLLOWERS.has(next)) return undefined;
  const numeral = m[1]!;
  const kindChar = m[2]!;
  const kind = kindChar === '章' ? 'chapter' : kindChar === '节' ? 'section' : 'article';
  const label = `第${numeral}${kindChar}${m[3] ? `之${m[3]}` : ''}`;
  return { kind, label, number: parseNumeral(numeral), markerEnd };
}

function enumLabel(style: EnumStyle, raw: string): string {
  switch (style) {
    case 'cn-paren':
    case 'ar-paren':
      return `（${raw}）`;
    case 'cn-dun':
      return `${raw}、`;
    case 'ar-dot':
      return `${raw}.`;
    case 'circled':
      return raw;
  }
}

function enumNumber(style: EnumStyle, raw: string): number {
  return style === 'circled' ? raw.charCodeAt(0) - 0x2460 + 1 : parseNumeral(raw);
}

function matchEnum(norm: string, at: number, lineEnd: number): EnumMarker | undefined {
  const c = norm.charCodeAt(at);
  for (const [style, re] of ENUM_RES) {
    // cheap first-character filter before running the regex
    if ((style === 'cn-paren' || style === 'ar-paren') && c !== 0x28) continue;
    if (style === 'ar-dot' && !(c >= 0x30 && c <= 0x39)) continue;
    if (style === 'circled' && !(c >= 0x2460 && c <= 0x2473)) continue;
    if (style === 'cn-dun' && !(norm[at]! in CN_DIGITS || norm[at]! in CN_UNITS)) continue;
    re.lastIndex = at;
    const m = re.exec(norm);
    if (!m || re.lastIndex > lineEnd) continue;
    const raw = m[1]!;
    const number = enumNumber(style, raw);
    if (!Number.isFinite(number)) continue;
    return { style, label: enumLabel(style, raw), number, markerEnd: re.lastIndex };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Sentences

const OPEN_TO_CLOSE: Record<string, string> = {
  '《': '》', '〈': '〉', '“': '”', '‘': '’', '(': ')', '[': ']', '【': '】', '「': '」', '『': '』', '〔': '〕', '{': '}', '"': '"',
};
const TERMINALS = '。；;！!？?';

// One lookup per character instead of string/set operations: this loop is most of the segmenter's time.
const TERMINAL = 1;
const OPENER = 2;
const CLOSER = 4;
const CHAR_CLASS = new Uint8Array(0x10000);
for (const ch of TERMINALS) CHAR_CLASS[ch.charCodeAt(0)]! |= TERMINAL;
for (const [open, close] of Object.entries(OPEN_TO_CLOSE)) {
  CHAR_CLASS[open.charCodeAt(0)]! |= OPENER;
  CHAR_CLASS[close.charCodeAt(0)]! |= CLOSER;
}

function trimRange(norm: string, s: number, e: number): [number, number] {
  while (s < e && isSpace(norm.charCodeAt(s))) s++;
  while (e > s && isSpace(norm.charCodeAt(e - 1))) e--;
  return [s, e];
}

const MEANINGFUL = /[\p{L}\p{N}]/u;

/** Positions of the bracket/quote characters in [s, e) that pair up, or undefined when none do. */
function pairedBrackets(norm: string, s: number, e: number): { opens: Set<number>; closes: Set<number> } | undefined {
  let pairs: { opens: Set<number>; closes: Set<number> } | undefined;
  const stack: { at: number; closer: string }[] = [];
  for (let i = s; i < e; i++) {
    const cls = CHAR_CLASS[norm.charCodeAt(i)]!;
    if ((cls & (OPENER | CLOSER)) === 0) continue;
    const ch = norm[i]!;
    // a closer that can also open ('"') closes when it matches the innermost open bracket
    if (cls & CLOSER) {
      let matched = false;
      for (let k = stack.length - 1; k >= 0; k--) {
        if (stack[k]!.closer === ch) {
          pairs ??= { opens: new Set(), closes: new Set() };
          pairs.opens.add(stack[k]!.at);
          pairs.closes.add(i);
          stack.length = k;
          matched = true;
          break;
        }
      }
      if (matched || !(cls & OPENER)) continue;
    }
    stack.push({ at: i, closer: OPEN_TO_CLOSE[ch]! });
  }
  return pairs;
}

/**
 * Splits [s, e) into sentence ranges. Brackets/quotes suppress splitting only when they are balanced, so one
 * stray "“" cannot swallow a whole paragraph.
 */
export function splitSentences(norm: string, s: number, e: number): [number, number][] {
  let hasBrackets = false;
  for (let i = s; i < e; i++) {
    if (CHAR_CLASS[norm.charCodeAt(i)]! & (OPENER | CLOSER)) {
      hasBrackets = true;
      break;
    }
  }
  const pairs = hasBrackets ? pairedBrackets(norm, s, e) : undefined;
  const out: [number, number][] = [];
  let depth = 0;
  let from = s;
  for (let i = s; i < e; i++) {
    const cls = CHAR_CLASS[norm.charCodeAt(i)]!;
    if (cls === 0) continue;
    if (pairs) {
      if (pairs.opens.has(i)) {
        depth++;
        continue;
      }
      if (pairs.closes.has(i)) {
        depth--;
        continue;
      }
    }
    if (depth === 0 && cls & TERMINAL) {
      let end = i + 1;
      while (end < e && CHAR_CLASS[norm.charCodeAt(end)]! & TERMINAL) end++;
      pushSentence(norm, from, end, out);
      from = end;
      i = end - 1;
    }
  }
  pushSentence(norm, from, e, out);
  return out;
}

function pushSentence(norm: string, s: number, e: number, out: [number, number][]): void {
  const [ts, te] = trimRange(norm, s, e);
  if (te > ts && MEANINGFUL.test(norm.slice(ts, te))) out.push([ts, te]);
}

// ---------------------------------------------------------------------------------------------------------
// Tree building

interface Node {
  kind: OutlineNode['kind'] | 'root';
  label: string;
  number?: number;
  style?: EnumStyle;
  title?: [number, number];
  start: number;
  lineEnd: number;
  content: [number, number][];
  children: Node[];
  parent?: Node;
}

function newNode(kind: Node['kind'], label: string, start: number, lineEnd: number, parent: Node): Node {
  const node: Node = { kind, label, start, lineEnd, content: [], children: [], parent };
  parent.children.push(node);
  return node;
}

class Builder {
  readonly root: Node = { kind: 'root', label: '', start: 0, lineEnd: 0, content: [], children: [] };
  private chapter?: Node;
  private section?: Node;
  private article?: Node;
  private paragraph?: Node;
  private enumStack: Node[] = [];

  constructor(private readonly norm: string) {}

  addLine(ls: number, le: number): void {
    const norm = this.norm;
    if (norm.charCodeAt(ls) === 0x7b2c /* 第 */) {
      const h = matchHeading(norm, ls, le);
      if (h) return this.addHeading(h, ls, le);
    }
    const marker = matchEnum(norm, ls, le);
    if (marker) return this.addEnum(marker, ls, le);
    this.addPlain(ls, le);
  }

  private addHeading(h: Heading, ls: number, le: number): void {
    const rest = trimRange(this.norm, h.markerEnd, le);
    this.enumStack = [];
    this.paragraph = undefined;
    this.article = undefined;
    if (h.kind === 'chapter') {
      this.section = undefined;
      this.chapter = newNode('chapter', h.label, ls, le, this.root);
      this.chapter.number = h.number;
      if (rest[1] > rest[0]) this.chapter.title = rest;
      return;
    }
    if (h.kind === 'section') {
      this.section = newNode('section', h.label, ls, le, this.chapter ?? this.root);
      this.section.number = h.number;
      if (rest[1] > rest[0]) this.section.title = rest;
      return;
    }
    this.article = newNode('article', h.label, ls, le, this.section ?? this.chapter ?? this.root);
    this.article.number = h.number;
    this.paragraph = newNode('paragraph', '', ls, le, this.article);
    if (rest[1] > rest[0]) this.addContent(this.paragraph, rest);
  }

  private addEnum(marker: EnumMarker, ls: number, le: number): void {
    const container = this.paragraph ?? this.section ?? this.chapter ?? this.root;
    const idx = this.enumStack.findIndex((n) => n.style === marker.style);
    let parent: Node;
    if (idx >= 0) {
      this.enumStack.length = idx;
      parent = this.enumStack[idx - 1] ?? container;
    } else {
      parent = this.enumStack[this.enumStack.length - 1] ?? container;
    }
    const node = newNode(this.enumKind(marker.style, parent), marker.label, ls, le, parent);
    node.number = marker.number;
    node.style = marker.style;
    this.enumStack.push(node);
    const rest = trimRange(this.norm, marker.markerEnd, le);
    if (rest[1] > rest[0]) this.addContent(node, rest);
  }

  private enumKind(style: EnumStyle, parent: Node): Node['kind'] {
    if (style === 'cn-dun' && !this.article) return 'section';
    return parent.kind === 'item' || parent.kind === 'subitem' ? 'subitem' : 'item';
  }

  private addPlain(ls: number, le: number): void {
    if (this.article) {
      const p = this.paragraph;
      if (p && p.content.length === 0 && p.children.length === 0) {
        this.addContent(p, [ls, le]);
        return;
      }
      this.enumStack = [];
      this.paragraph = newNode('paragraph', '', ls, le, this.article);
      this.addContent(this.paragraph, [ls, le]);
      return;
    }
    const top = this.enumStack[this.enumStack.length - 1];
    if (top) {
      this.addContent(top, [ls, le]);
      return;
    }
    const block = newNode('block', '', ls, le, this.section ?? this.chapter ?? this.root);
    this.addContent(block, [ls, le]);
  }

  /** Adds a paragraph of own text to a node, splitting out enumerations written inline. */
  private addContent(node: Node, range: [number, number]): void {
    node.lineEnd = Math.max(node.lineEnd, range[1]);
    const inline = findInlineItems(this.norm, range[0], range[1], node.style);
    if (!inline) {
      node.content.push(range);
      return;
    }
    node.content.push([range[0], inline[0]!.punctEnd]);
    let last: Node | undefined;
    inline.forEach((m, i) => {
      const end = inline[i + 1]?.punctEnd ?? range[1];
      const child = newNode(this.enumKindInline(node), m.label, m.markerStart, end, node);
      child.number = m.number;
      child.style = m.style;
      const rest = trimRange(this.norm, m.markerEnd, end);
      if (rest[1] > rest[0]) child.content.push(rest);
      last = child;
    });
    if (!last) return;
    if (node.kind === 'paragraph') this.enumStack = [last];
    else if (node === this.enumStack[this.enumStack.length - 1]) this.enumStack.push(last);
  }

  private enumKindInline(parent: Node): Node['kind'] {
    return parent.kind === 'item' || parent.kind === 'subitem' ? 'subitem' : 'item';
  }
}

interface InlineMarker extends EnumMarker {
  markerStart: number;
  /** End of the punctuation that precedes the marker (where the previous part ends). */
  punctEnd: number;
}

const INLINE_RE = /[：:；;。][ \t]*(\([ \t]*(?:[一二三四五六七八九十]+|\d{1,2})[ \t]*\))/g;

/** Enumerations written inline: "有下列情形之一的：（一）……；（二）……". Needs （一）（二）… in sequence. */
function findInlineItems(norm: string, s: number, e: number, ownStyle?: EnumStyle): InlineMarker[] | undefined {
  if (e - s < 8 || norm.indexOf('(', s) < 0 || norm.indexOf('(', s) >= e) return undefined;
  INLINE_RE.lastIndex = s;
  const found: InlineMarker[] = [];
  let m: RegExpExecArray | null;
  while ((m = INLINE_RE.exec(norm)) !== null && m.index < e) {
    const markerStart = m.index + m[0].length - m[1]!.length;
    const marker = matchEnum(norm, markerStart, e);
    if (!marker || (marker.style !== 'cn-paren' && marker.style !== 'ar-paren')) continue;
    const expected = found.length + 1;
    const prev = found[found.length - 1];
    if (marker.number !== expected || (prev && prev.style !== marker.style)) {
      if (found.length >= 2) break;
      found.length = 0;
      if (marker.number !== 1) continue;
    }
    found.push({ ...marker, markerStart, punctEnd: m.index + 1 });
  }
  if (found.length < 2 || found[0]!.style === ownStyle) return undefined;
  return found;
}

function buildTree(norm: string): Node {
  const builder = new Builder(norm);
  const n = norm.length;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j < n) {
      const c = norm.charCodeAt(j);
      if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) break;
      j++;
    }
    const [ls, le] = trimRange(norm, i, j);
    if (le > ls) builder.addLine(ls, le);
    i = j + 1;
  }
  return builder.root;
}

// ---------------------------------------------------------------------------------------------------------
// Output

function labelOf(node: Node, siblingsOfKind: number, indexOfKind: number): string {
  if (node.kind === 'paragraph') return siblingsOfKind > 1 ? `第${toChineseNumeral(indexOfKind)}款` : '';
  if (node.kind === 'block') return `第${indexOfKind}段`;
  return node.label;
}

function toOutline(text: string, node: Node, parentPath: string): OutlineNode[] {
  const out: OutlineNode[] = [];
  const counts = new Map<string, number>();
  for (const c of node.children) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
  const seen = new Map<string, number>();
  for (const child of node.children) {
    const index = (seen.get(child.kind) ?? 0) + 1;
    seen.set(child.kind, index);
    const label = labelOf(child, counts.get(child.kind) ?? 0, index);
    const path = label ? (parentPath ? `${parentPath} ${label}` : label) : parentPath;
    const children = toOutline(text, child, path);
    const lastChild = children[children.length - 1];
    const end = Math.max(child.lineEnd, lastChild?.end ?? 0);
    const o: OutlineNode = {
      kind: child.kind as OutlineNode['kind'],
      label: label || `第${toChineseNumeral(index)}款`,
      path,
      start: child.start,
      end,
      content: child.content.map(([s, e]) => ({ text: text.slice(s, e), start: s, end: e })),
      children,
    };
    if (child.number !== undefined) o.number = child.number;
    else if (child.kind === 'paragraph' || child.kind === 'block') o.number = index;
    if (child.title) o.title = { text: text.slice(child.title[0], child.title[1]), start: child.title[0], end: child.title[1] };
    out.push(o);
  }
  return out;
}

/** The 章/节/条/款/项/目 tree with offsets into `text`. */
export function outline(text: string): OutlineNode[] {
  return toOutline(text, buildTree(normalize(text)), '');
}

function emitLeaves(text: string, norm: string, nodes: OutlineNode[], leads: Span[], out: DetailedUnit[]): void {
  for (const node of nodes) {
    if ((node.kind === 'chapter' || node.kind === 'section') && node.title) {
      out.push({ path: node.path, kind: node.kind, ...node.title, leads, heading: true });
    }
    let lastSentence: Span | undefined;
    for (const c of node.content) {
      for (const [s, e] of splitSentences(norm, c.start, c.end)) {
        const unit: DetailedUnit = { path: node.path, kind: 'sentence', text: text.slice(s, e), start: s, end: e, leads, heading: false };
        out.push(unit);
        lastSentence = { text: unit.text, start: s, end: e };
      }
    }
    const childLeads = lastSentence && node.children.length > 0 ? [...leads, lastSentence] : leads;
    emitLeaves(text, norm, node.children, childLeads, out);
  }
}

/** Longest first sentence of a node that is read as the heading of what follows in it and under it. */
const HEADING_MAX_LENGTH = 30;
const SENTENCE_END = /[。；;！!？?：:，,]$/;

function isHeadingLike(text: string): boolean {
  return text.length <= HEADING_MAX_LENGTH && !SENTENCE_END.test(text);
}

/** `path` is `ancestor`'s or lies under it. */
function within(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor} `);
}

/** Sets each sentence unit's `headingAbove` and `previous`, reading the units in document order. */
function attachReadingContext(units: DetailedUnit[]): void {
  /** The headings enclosing the current unit, outermost first: each holds for the units of its path and below. */
  const enclosing: { path: string; span: Span }[] = [];
  const enter = (path: string, span: Span) => {
    if (enclosing[enclosing.length - 1]?.path === path) enclosing.pop();
    enclosing.push({ path, span });
  };
  const spanOf = (unit: DetailedUnit): Span => ({ text: unit.text, start: unit.start, end: unit.end });
  let previous: DetailedUnit | undefined;
  for (const unit of units) {
    while (enclosing.length > 0 && !within(unit.path, enclosing[enclosing.length - 1]!.path)) enclosing.pop();
    if (unit.heading) {
      enter(unit.path, spanOf(unit));
      continue;
    }
    for (let i = enclosing.length - 1; i >= 0; i--) {
      const heading = enclosing[i]!.span;
      if (unit.leads.some((lead) => lead.start === heading.start)) continue;
      unit.headingAbove = heading;
      break;
    }
    if (previous?.path === unit.path) unit.previous = spanOf(previous);
    else if (isHeadingLike(unit.text)) enter(unit.path, spanOf(unit));
    previous = unit;
  }
}

/**
 * Sentence-level leaves with their reading context: lead-ins, the heading above, the sentence before (see
 * DetailedUnit); `norm` is `normalize(text)` when the caller has it.
 */
export function segmentDetailed(text: string, norm = normalize(text)): DetailedUnit[] {
  const tree = toOutline(text, buildTree(norm), '');
  const out: DetailedUnit[] = [];
  emitLeaves(text, norm, tree, [], out);
  attachReadingContext(out);
  return out;
}

/**
 * Sentence-level leaf units in document order, each with its human path ("第三章 第二节 第十二条 第二款 （一）")
 * and offsets into `text`: text.slice(start, end) === unit.text. Chapter/section titles come out as units of
 * kind 'chapter'/'section'; everything else is kind 'sentence'.
 */
export function segment(text: string): Unit[] {
  return segmentDetailed(text).map(({ path, kind, text: t, start, end }) => ({ path, kind, text: t, start, end }));
}
