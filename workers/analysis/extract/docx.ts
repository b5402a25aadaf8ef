/**
 * DOCX text extraction straight from word/document.xml: one block per paragraph (table cells included), with
 * Word's automatic list numbering rendered as text ("第%1条" → "第一条"), because Chinese regulations are often
 * numbered that way and the segmenter needs to see the 条/项 markers.
 */
import { toChineseNumeral } from '../segment.js';
import { corruptDocument, noText, notADocx } from './errors.js';
import { startsNewParagraph } from './lines.js';
import type { ExtractedBlock } from './types.js';
import { checkDeclaredSize, readEntry, readZipDirectory, type ZipEntry } from './zip.js';

export interface DocxLimits {
  maxUnpackedBytes: number;
}

export interface DocxResult {
  text: string;
  blocks: ExtractedBlock[];
}

export function hasWordDocument(entries: ZipEntry[]): boolean {
  return entries.some((e) => e.name === 'word/document.xml');
}

export function extractDocx(buf: Buffer, limits: DocxLimits): DocxResult {
  const entries = readZipDirectory(buf);
  if (!hasWordDocument(entries)) throw notADocx();
  checkDeclaredSize(entries, limits.maxUnpackedBytes);
  let budget = limits.maxUnpackedBytes;
  const read = (name: string): string | undefined => {
    const entry = entries.find((e) => e.name === name);
    if (!entry) return undefined;
    const data = readEntry(buf, entry, budget);
    budget -= data.length;
    return data.toString('utf8');
  };
  const documentXml = read('word/document.xml')!;
  if (!documentXml.includes('<w:body') && !documentXml.includes(':body')) {
    throw corruptDocument('docx', 'word/document.xml has no body');
  }
  const numbering = parseNumbering(read('word/numbering.xml'));
  const styles = parseStyles(read('word/styles.xml'));
  const paragraphs = parseParagraphs(documentXml);
  const result = renderParagraphs(paragraphs, numbering, styles);
  if (!/[\p{L}\p{N}]/u.test(result.text)) throw noText('docx');
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// XML tokens

const TOKEN_RE = /<[^>]*>|[^<]+/g;

const ENTITY_RE = /&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g;
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY_RE, (_, e: string) => {
    if (e[0] !== '#') return NAMED_ENTITIES[e]!;
    const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '';
  });
}

interface Tag {
  name: string;
  closing: boolean;
  selfClosing: boolean;
  attrs: string;
}

function parseTag(token: string): Tag | undefined {
  if (token[1] === '?' || token[1] === '!') return undefined;
  const closing = token[1] === '/';
  const selfClosing = token.endsWith('/>');
  const from = closing ? 2 : 1;
  let i = from;
  while (i < token.length) {
    const c = token.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2f || c === 0x3e) break;
    i++;
  }
  return { name: token.slice(from, i), closing, selfClosing, attrs: token.slice(i) };
}

function attr(attrs: string, name: string): string | undefined {
  const at = attrs.indexOf(`${name}="`);
  if (at < 0) return undefined;
  const start = at + name.length + 2;
  const end = attrs.indexOf('"', start);
  return end < 0 ? undefined : decodeEntities(attrs.slice(start, end));
}

// ---------------------------------------------------------------------------------------------------------
// document.xml → paragraphs

interface RawParagraph {
  /** Text with "\n" where the paragraph has a manual line break (w:br/w:cr). */
  text: string;
  styleId?: string;
  numId?: string;
  ilvl?: number;
  inTable: boolean;
}

/** Content of these elements is not part of the visible text (deleted revisions, fallback copies). */
const SKIPPED = new Set(['w:del', 'w:moveFrom', 'mc:Fallback', 'w:pPrChange', 'w:rPrChange', 'w:instrText', 'w:delText']);

function parseParagraphs(xml: string): RawParagraph[] {
  const out: RawParagraph[] = [];
  const stack: { p: RawParagraph; parts: string[]; inPPr: number }[] = [];
  let skipDepth = 0;
  let skipName = '';
  let tableDepth = 0;
  let runDepth = 0;
  let inText = false;
  TOKEN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN_RE.exec(xml)) !== null) {
    const token = m[0];
    if (token[0] !== '<') {
      if (inText && skipDepth === 0 && stack.length > 0) stack[stack.length - 1]!.parts.push(decodeEntities(token));
      continue;
    }
    const tag = parseTag(token);
    if (!tag) continue;
    if (skipDepth > 0) {
      if (tag.name === skipName && !tag.selfClosing) skipDepth += tag.closing ? -1 : 1;
      continue;
    }
    if (SKIPPED.has(tag.name)) {
      if (!tag.closing && !tag.selfClosing) {
        skipDepth = 1;
        skipName = tag.name;
      }
      continue;
    }
    const current = stack[stack.length - 1];
    switch (tag.name) {
      case 'w:p':
        if (tag.selfClosing) break;
        if (!tag.closing) {
          stack.push({ p: { text: '', inTable: tableDepth > 0 }, parts: [], inPPr: 0 });
        } else if (current) {
          stack.pop();
          current.p.text = current.parts.join('');
          out.push(current.p);
        }
        break;
      case 'w:tbl':
        if (!tag.selfClosing) tableDepth += tag.closing ? -1 : 1;
        break;
      case 'w:pPr':
        if (current && !tag.selfClosing) current.inPPr += tag.closing ? -1 : 1;
        break;
      case 'w:pStyle':
        if (current && current.inPPr > 0) current.p.styleId = attr(tag.attrs, 'w:val');
        break;
      case 'w:numId':
        if (current && current.inPPr > 0) current.p.numId = attr(tag.attrs, 'w:val');
        break;
      case 'w:ilvl':
        if (current && current.inPPr > 0) current.p.ilvl = Number(attr(tag.attrs, 'w:val') ?? 0);
        break;
      case 'w:r':
        if (!tag.selfClosing) runDepth = Math.max(0, runDepth + (tag.closing ? -1 : 1));
        break;
      case 'w:t':
        inText = !tag.closing && !tag.selfClosing;
        break;
      case 'w:tab':
        if (current && runDepth > 0 && current.inPPr === 0) current.parts.push('\t');
        break;
      case 'w:br':
      case 'w:cr':
        if (current && runDepth > 0) current.parts.push('\n');
        break;
      case 'w:noBreakHyphen':
        if (current && runDepth > 0) current.parts.push('-');
        break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// numbering.xml and styles.xml

interface Level {
  start: number;
  format: string;
  text: string;
  /** What follows the number: Word's w:suff (tab by default, rendered as a space here), space or nothing. */
  suffix: string;
  /** w:isLgl: every number in the label is written in decimal ("9.1" rather than "九.1"). */
  legal: boolean;
}

interface Numbering {
  abstracts: Map<string, Map<number, Level>>;
  nums: Map<string, { abstractId: string; startOverrides: Map<number, number> }>;
}

function parseNumbering(xml: string | undefined): Numbering {
  const numbering: Numbering = { abstracts: new Map(), nums: new Map() };
  if (!xml) return numbering;
  let abstract: Map<number, Level> | undefined;
  let level: Level | undefined;
  let num: { abstractId: string; startOverrides: Map<number, number> } | undefined;
  let overrideLevel = -1;
  TOKEN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN_RE.exec(xml)) !== null) {
    if (m[0][0] !== '<') continue;
    const tag = parseTag(m[0]);
    if (!tag || tag.closing) {
      if (tag?.name === 'w:abstractNum') abstract = undefined;
      if (tag?.name === 'w:lvl') level = undefined;
      if (tag?.name === 'w:num') num = undefined;
      continue;
    }
    switch (tag.name) {
      case 'w:abstractNum': {
        abstract = new Map();
        numbering.abstracts.set(attr(tag.attrs, 'w:abstractNumId') ?? '', abstract);
        break;
      }
      case 'w:lvl': {
        if (!abstract) break;
        level = { start: 1, format: 'decimal', text: '', suffix: ' ', legal: false };
        abstract.set(Number(attr(tag.attrs, 'w:ilvl') ?? 0), level);
        break;
      }
      case 'w:start':
        if (level) level.start = Number(attr(tag.attrs, 'w:val') ?? 1);
        break;
      case 'w:numFmt':
        if (level) level.format = attr(tag.attrs, 'w:val') ?? 'decimal';
        break;
      case 'w:lvlText':
        if (level) level.text = attr(tag.attrs, 'w:val') ?? '';
        break;
      case 'w:isLgl':
        if (level) level.legal = attr(tag.attrs, 'w:val') !== '0' && attr(tag.attrs, 'w:val') !== 'false';
        break;
      case 'w:suff':
        if (level) level.suffix = attr(tag.attrs, 'w:val') === 'nothing' ? '' : ' ';
        break;
      case 'w:num': {
        num = { abstractId: '', startOverrides: new Map() };
        numbering.nums.set(attr(tag.attrs, 'w:numId') ?? '', num);
        break;
      }
      case 'w:abstractNumId':
        if (num) num.abstractId = attr(tag.attrs, 'w:val') ?? '';
        break;
      case 'w:lvlOverride':
        overrideLevel = Number(attr(tag.attrs, 'w:ilvl') ?? -1);
        break;
      case 'w:startOverride':
        if (num && overrideLevel >= 0) num.startOverrides.set(overrideLevel, Number(attr(tag.attrs, 'w:val') ?? 1));
        break;
    }
  }
  return numbering;
}

interface Style {
  name?: string;
  numId?: string;
  ilvl?: number;
}

function parseStyles(xml: string | undefined): Map<string, Style> {
  const styles = new Map<string, Style>();
  if (!xml) return styles;
  let style: Style | undefined;
  TOKEN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN_RE.exec(xml)) !== null) {
    if (m[0][0] !== '<') continue;
    const tag = parseTag(m[0]);
    if (!tag) continue;
    if (tag.name === 'w:style') {
      if (tag.closing) style = undefined;
      else if (!tag.selfClosing) {
        style = {};
        styles.set(attr(tag.attrs, 'w:styleId') ?? '', style);
      }
      continue;
    }
    if (!style || tag.closing) continue;
    if (tag.name === 'w:name') style.name = attr(tag.attrs, 'w:val');
    else if (tag.name === 'w:numId') style.numId = attr(tag.attrs, 'w:val');
    else if (tag.name === 'w:ilvl') style.ilvl = Number(attr(tag.attrs, 'w:val') ?? 0);
  }
  return styles;
}

// ---------------------------------------------------------------------------------------------------------
// Rendering numbers and blocks

const IDEOGRAPH_TRADITIONAL = '甲乙丙丁戊己庚辛壬癸';
const IDEOGRAPH_ZODIAC = '子丑寅卯辰巳午未申酉戌亥';

function toLetters(n: number, upper: boolean): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(((k - 1) % 26) + 97) + s;
  return upper ? s.toUpperCase() : s;
}

function toRoman(n: number): string {
  const table: [number, string][] = [
    [1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'], [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i'],
  ];
  let s = '';
  let k = n;
  for (const [v, r] of table) {
    while (k >= v) {
      s += r;
      k -= v;
    }
  }
  return s;
}

/** Renders one counter in a Word number format; unknown formats fall back to decimal. */
export function formatNumber(n: number, format: string): string {
  switch (format) {
    case 'chineseCounting':
    case 'chineseCountingThousand':
    case 'chineseLegalSimplified':
    case 'ideographDigital':
      return toChineseNumeral(n);
    case 'ideographTraditional':
      return IDEOGRAPH_TRADITIONAL[(n - 1) % 10] ?? String(n);
    case 'ideographZodiac':
      return IDEOGRAPH_ZODIAC[(n - 1) % 12] ?? String(n);
    case 'decimalEnclosedCircle':
    case 'decimalEnclosedCircleChinese':
      return n >= 1 && n <= 20 ? String.fromCharCode(0x2460 + n - 1) : `(${n})`;
    case 'decimalEnclosedParen':
      return `(${n})`;
    case 'decimalEnclosedFullstop':
      return `${n}.`;
    case 'decimalZero':
      return n < 10 ? `0${n}` : String(n);
    case 'lowerLetter':
      return toLetters(n, false);
    case 'upperLetter':
      return toLetters(n, true);
    case 'lowerRoman':
      return toRoman(n);
    case 'upperRoman':
      return toRoman(n).toUpperCase();
    default:
      return String(n);
  }
}

/** Tracks list counters per abstract numbering, the way Word continues lists that share a definition. */
class ListCounter {
  private readonly counters = new Map<string, number[]>();
  private readonly startedNums = new Set<string>();

  constructor(private readonly numbering: Numbering) {}

  /** The rendered label ("第三条", "（二）") for a paragraph in list numId at level ilvl, or '' for none. */
  next(numId: string, ilvl: number): string {
    const num = this.numbering.nums.get(numId);
    if (!num) return '';
    const levels = this.numbering.abstracts.get(num.abstractId);
    const level = levels?.get(ilvl);
    if (!levels || !level) return '';
    let counts = this.counters.get(num.abstractId);
    if (!counts) this.counters.set(num.abstractId, (counts = []));
    if (!this.startedNums.has(numId)) {
      this.startedNums.add(numId);
      for (const [lvl, start] of num.startOverrides) counts[lvl] = start - 1;
    }
    counts[ilvl] = (counts[ilvl] ?? levels.get(ilvl)!.start - 1) + 1;
    counts.length = ilvl + 1;
    if (level.format === 'bullet' || level.format === 'none') return '';
    const label = level.text.replace(/%([1-9])/g, (_, d: string) => {
      const k = Number(d) - 1;
      const lvl = levels.get(k);
      const value = counts[k] ?? lvl?.start ?? 1;
      return formatNumber(value, level.legal ? 'decimal' : (lvl?.format ?? 'decimal'));
    });
    return label ? label + level.suffix : '';
  }
}

/**
 * Manual line breaks are used both for layout inside a sentence and to put several 条/项 in one paragraph:
 * keep a break only where a new paragraph would start.
 */
function splitAtLineBreaks(text: string): string[] {
  const pieces: string[] = [];
  for (const piece of text.split('\n')) {
    const last = pieces[pieces.length - 1];
    if (last !== undefined && !startsNewParagraph(last, piece)) pieces[pieces.length - 1] = last + piece.trimStart();
    else pieces.push(piece);
  }
  return pieces;
}

function renderParagraphs(paragraphs: RawParagraph[], numbering: Numbering, styles: Map<string, Style>): DocxResult {
  const counter = new ListCounter(numbering);
  const blocks: ExtractedBlock[] = [];
  let text = '';
  for (const p of paragraphs) {
    const style = p.styleId ? styles.get(p.styleId) : undefined;
    const numId = p.numId ?? style?.numId;
    const ilvl = p.ilvl ?? style?.ilvl ?? 0;
    const hasText = /\S/.test(p.text);
    const label = numId && numId !== '0' && hasText ? counter.next(numId, ilvl) : '';
    const styleName = p.inTable ? 'table' : (style?.name ?? p.styleId);
    splitAtLineBreaks(p.text).forEach((piece, i) => {
      const body = piece.replace(/\s+$/, '').replace(/^[ \t\u3000]+/, '');
      const line = i === 0 ? label + body : body;
      if (!/\S/.test(line)) return;
      if (text.length > 0) text += '\n';
      const block: ExtractedBlock = { start: text.length, end: text.length + line.length };
      if (styleName) block.style = styleName;
      blocks.push(block);
      text += line;
    });
  }
  return { text, blocks };
}
