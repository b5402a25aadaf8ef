/**
 * Finds the cues (lexicon group hits) of one sentence-level unit and applies prohibition scope.
 *
 * Prohibition scope (规则摘要 §8): restriction words that come after 不得/禁止/严禁/… in the same sentence are
 * being forbidden, not imposed, so their hits are dropped — provided what follows the 不得 is a restrictive
 * act (限定, 指定, 作为…条件, 减免, …) and its subject is not an operator: "禁止外地生猪调入" forbids a market
 * activity and "企业不得擅自向市外供货" binds operators; both stay restrictions.
 * Phrases that are restrictions worded negatively
 * (不得低于, 不予补贴, 不得迁离) sit in non-negatable groups: they survive, and an opener inside such a phrase
 * opens no scope. A unit under an enumeration lead-in "不得有下列行为：" is under the lead's prohibition.
 */
import type { CompiledMatcher } from './compile.js';

export interface Hit {
  start: number;
  end: number;
}

/** Group index → hits in order of start offset (offsets into the document). */
export type CueHits = Map<number, Hit[]>;

/** The prohibited cues of every unit without a prohibition (most units): one empty map, never written to. */
const NO_HITS: ReadonlyMap<number, Hit[]> = new Map();

const CITATION = /《([^《》]{2,40})》/g;
/** A place name at the start of the title (苏州市…, 某县…), but not words like 城市, 上市, 社区. */
const LOCAL_TITLE = /^(?!城市|都市|超市|上市|门市|城区|社区|小区|园区|景区|山区|地区|辖区|街区|市场|县域|区域)[\u4e00-\u9fa5]{1,7}?(?:省|自治区|市|自治州|州|县|区|旗|新区|开发区)/;
const NATIONAL_TITLE_END = /(?:法|条例|法律|若干规定|实施细则|管理办法|管理规定|清单|规定|办法)$/;
const QUOTED_PRODUCT = /“[^“”]{2,16}”[\u4e00-\u9fa5]{0,6}?(?:平台|系统|小程序|APP|App|app|软件|公众号)/g;
/** A specific organisation named after its administrative level: 市燃气集团, 县水务集团, 市建设工程施工图审查中心. */
const LEVEL_ORGANISATION =
  /(?<![城都超上门夜社小园景山地辖街])(?:省|市|县|区)(?!场|民|级|内|外|政府|委|人民政府)[\u4e00-\u9fa5]{1,12}?(?:有限责任公司|有限公司|公司|集团|中心|协会|商会|研究院|检测站|质检站|殡仪馆|基地|苗圃|厂|医院|电视台|报社)/g;
/** Public service halls named like organisations but not operators. */
const NOT_AN_OPERATOR = /(?:政务服务|行政服务|公共资源交易|市民|便民服务|政务|指挥|数据)中心$/;

/** National law, administrative regulation or national rule (not a local document). */
export function isNationalCitation(title: string): boolean {
  if (/中华人民共和国|国务院/.test(title)) return true;
  if (title.startsWith('关于') || LOCAL_TITLE.test(title)) return false;
  return NATIONAL_TITLE_END.test(title);
}

function pushHit(hits: CueHits, group: number, hit: Hit): void {
  const list = hits.get(group);
  if (list) list.push(hit);
  else hits.set(group, [hit]);
}

/**
 * The automaton's matches of the scan under way, in the order it reports them (by end offset): pattern id,
 * start and end of match i at [3i, 3i + 3). One buffer for every scan, grown as needed: a unit's matches are
 * read once, by `groupHits`, before the next scan.
 */
const raw = { fields: new Int32Array(3 * 256), count: 0 };

/** The automaton's one callback, a plain function, so a scan creates no closure. */
function collectRawHit(pattern: number, start: number, end: number): void {
  if (3 * raw.count === raw.fields.length) {
    const grown = new Int32Array(2 * raw.fields.length);
    grown.set(raw.fields);
    raw.fields = grown;
  }
  const at = 3 * raw.count++;
  raw.fields[at] = pattern;
  raw.fields[at + 1] = start;
  raw.fields[at + 2] = end;
}

function scanRawHits(m: CompiledMatcher, text: string, start: number, end: number): void {
  raw.count = 0;
  m.automaton.scan(text, collectRawHit, start, end);
}

/**
 * The first match of `pattern` after match `after` that starts at or after that match's end, at most `gapMax`
 * after it, or -1. (Matches come by end offset, so every such match comes after match `after`.)
 */
function nextPart(pattern: number, after: number, gapMax: number): number {
  const { fields, count } = raw;
  const end = fields[3 * after + 2]!;
  for (let i = after + 1; i < count; i++) {
    const start = fields[3 * i + 1]!;
    if (fields[3 * i] === pattern && start >= end && start - end <= gapMax) return i;
  }
  return -1;
}

function byStartThenLongest(a: Hit, b: Hit): number {
  return a.start - b.start || b.end - a.end;
}

/**
 * Sorts a group's hits in place by `byStartThenLongest`, stably, like Array.prototype.sort — by insertion:
 * the lists are short and come nearly in order (the automaton reports them by end offset), and
 * Array.prototype.sort allocates a work array on every call.
 */
function sortHits(list: Hit[]): void {
  for (let i = 1; i < list.length; i++) {
    const hit = list[i]!;
    let j = i - 1;
    while (j >= 0 && byStartThenLongest(list[j]!, hit) > 0) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = hit;
  }
}

function outside(list: Hit[], start: number, end: number): Hit[] {
  const kept: Hit[] = [];
  for (const h of list) if (h.start < start || h.end > end) kept.push(h);
  return kept;
}

function inAnyScope(h: Hit, scopes: Hit[]): boolean {
  for (const s of scopes) if (h.start >= s.start && h.start < s.end) return true;
  return false;
}

/** Literal and gap-pattern hits per group, from the matches of the last scan. */
function groupHits(m: CompiledMatcher): CueHits {
  const hits: CueHits = new Map();
  const { fields, count } = raw;
  for (let i = 0; i < count; i++) {
    const groups = m.literalGroups[fields[3 * i]!]!;
    for (const g of groups) pushHit(hits, g, { start: fields[3 * i + 1]!, end: fields[3 * i + 2]! });
  }
  for (let i = 0; i < count; i++) {
    const gapPatterns = m.gapPatternsByFirstPart[fields[3 * i]!];
    if (!gapPatterns) continue;
    for (const gp of gapPatterns) {
      let last = i;
      for (let k = 1; k < gp.parts.length && last >= 0; k++) last = nextPart(gp.parts[k]!, last, gp.gapMax);
      if (last >= 0) pushHit(hits, gp.group, { start: fields[3 * i + 1]!, end: fields[3 * last + 2]! });
    }
  }
  for (let i = 0; i < count; i++) {
    for (const g of m.maskGroups[fields[3 * i]!]!) {
      const list = hits.get(g);
      if (!list) continue;
      const kept = outside(list, fields[3 * i + 1]!, fields[3 * i + 2]!);
      if (kept.length === 0) hits.delete(g);
      else hits.set(g, kept);
    }
  }
  for (const list of hits.values()) if (list.length > 1) sortHits(list);
  return hits;
}

/** Characters each pattern cue needs: a sentence without them is not searched (most sentences have none). */
const NEEDS_CITATION = 1;
const NEEDS_QUOTED_PRODUCT = 2;
const NEEDS_LEVEL_ORGANISATION = 4;
const PATTERN_NEED = new Uint8Array(0x10000);
PATTERN_NEED[0x300a /* 《 */] = NEEDS_CITATION;
PATTERN_NEED[0x201c /* “ */] = NEEDS_QUOTED_PRODUCT;
for (const c of '省市县区') PATTERN_NEED[c.charCodeAt(0)] = NEEDS_LEVEL_ORGANISATION;

/** The matches of a global regex in `text`, like `text.matchAll(re)` but without the copy of `re` it makes. */
function* matchesOf(re: RegExp, text: string): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(text)) !== null) yield match;
}

/** Citations of laws (《…》), quoted platform names and organisation names, which no phrase list can enumerate. */
function addPatternCues(m: CompiledMatcher, text: string, start: number, end: number, hits: CueHits): void {
  let present = 0;
  for (let i = start; i < end; i++) present |= PATTERN_NEED[text.charCodeAt(i)]!;
  if (present === 0) return;
  const sentence = text.slice(start, end);
  if (present & NEEDS_CITATION) {
    for (const match of matchesOf(CITATION, sentence)) {
      const group = isNationalCitation(match[1]!) ? m.role.legalBasis : m.role.localCitation;
      pushHit(hits, group, { start: start + match.index, end: start + match.index + match[0].length });
    }
  }
  if (present & NEEDS_QUOTED_PRODUCT) {
    for (const match of matchesOf(QUOTED_PRODUCT, sentence)) {
      pushHit(hits, m.role.namedEntity, { start: start + match.index, end: start + match.index + match[0].length });
    }
  }
  if (present & NEEDS_LEVEL_ORGANISATION) {
    for (const match of matchesOf(LEVEL_ORGANISATION, sentence)) {
      if (NOT_AN_OPERATOR.test(match[0])) continue;
      pushHit(hits, m.role.namedEntity, { start: start + match.index, end: start + match.index + match[0].length });
    }
  }
}

/** The lead context cues (lexicon leadContextGroups: procurement, subsidy, …) of text[span.start, span.end). */
export function contextCues(m: CompiledMatcher, text: string, span: Hit): CueHits {
  scanRawHits(m, text, span.start, span.end);
  const all = groupHits(m);
  const context: CueHits = new Map();
  for (const group of m.leadContext) {
    const found = all.get(group);
    if (found) context.set(group, found);
  }
  return context;
}

/** True when `o` lies inside a longer negatively worded restriction (不得 inside 不得低于, 不予补贴). */
function insideNegativeRestriction(m: CompiledMatcher, hits: CueHits, o: Hit, openerGroup: number): boolean {
  for (const [group, list] of hits) {
    if (group === openerGroup || m.groups[group]!.negatable) continue;
    for (const h of list) {
      if (h.start <= o.start && h.end >= o.end && h.end - h.start > o.end - o.start) return true;
    }
  }
  return false;
}

/**
 * Ranges whose restriction cues are read as negated: after an opener up to a closer (但/否则) or the sentence
 * end, or from the sentence start up to a retroactive 属于违反/予以废止. A conditional opener (不得/禁止) counts
 * only when a restriction concept follows it inside that range.
 */
const CLAUSE_BREAKS = new Set(['，', ',', '；', ';', '：', ':', '。']);

/** Start of the clause containing `at` (after the previous ，；：。 or the unit start). */
function clauseStart(text: string, unitStart: number, at: number): number {
  let i = at;
  while (i > unitStart && !CLAUSE_BREAKS.has(text[i - 1]!)) i--;
  return i;
}

/** The opener's own clause up to the opener ("企业不得…" → "企业"); empty when the opener begins its clause. */
function ownSubjectSpan(text: string, unitStart: number, opener: Hit): Hit {
  return { start: clauseStart(text, unitStart, opener.start), end: opener.start };
}

/** The sentence's first clause, whose subject a clause-initial 不得 usually continues. */
function firstClause(text: string, unitStart: number, unitEnd: number): Hit {
  let end = unitStart;
  while (end < unitEnd && !CLAUSE_BREAKS.has(text[end]!)) end++;
  return { start: unitStart, end };
}

function anyHitIn(list: Hit[] | undefined, span: Hit): boolean {
  if (list) for (const h of list) if (h.start >= span.start && h.end <= span.end) return true;
  return false;
}

/**
 * Whether a conditional opener (不得/禁止) forbids a restriction (→ prohibition scope) or imposes one:
 *  - with its own subject ("企业不得…", "各部门不得…"): an operator subject binds operators, so it imposes;
 *    a public body forbids; otherwise it forbids only when a restriction concept follows;
 *  - at the start of its clause ("…，不得指定品牌"): it forbids when a restriction concept follows, or when the
 *    sentence is about a public body ("商务部门可以发布…，但不得公布建议价格").
 */
function openerForbids(m: CompiledMatcher, hits: CueHits, text: string, unitStart: number, unitEnd: number, o: Hit, scope: Hit): boolean {
  const operators = hits.get(m.role.operatorSubject);
  const authorities = hits.get(m.role.authoritySubject);
  let conceptFollows = false;
  for (const c of hits.get(m.role.restrictionConcept) ?? []) if (c.start >= o.end && c.start < scope.end) conceptFollows = true;
  const own = ownSubjectSpan(text, unitStart, o);
  if (own.end - own.start >= 2) {
    if (anyHitIn(authorities, own)) return true;
    if (anyHitIn(operators, own)) return false;
    return conceptFollows;
  }
  return conceptFollows || anyHitIn(authorities, firstClause(text, unitStart, unitEnd));
}

function prohibitionScopes(m: CompiledMatcher, hits: CueHits, text: string, unitStart: number, unitEnd: number): Hit[] {
  const scopes: Hit[] = [];
  const closers = hits.get(m.role.negationCloser);
  for (const o of hits.get(m.role.negationOpener) ?? []) {
    if (!insideNegativeRestriction(m, hits, o, m.role.negationOpener)) scopes.push(scopeAfter(o, closers, unitEnd));
  }
  for (const o of hits.get(m.role.conditionalOpener) ?? []) {
    if (insideNegativeRestriction(m, hits, o, m.role.conditionalOpener)) continue;
    const scope = scopeAfter(o, closers, unitEnd);
    if (openerForbids(m, hits, text, unitStart, unitEnd, o, scope)) scopes.push(scope);
  }
  for (const r of hits.get(m.role.retroactiveNegation) ?? []) scopes.push({ start: unitStart, end: r.end });
  return scopes;
}

/** From the opener to the first closer (但/否则) after it, or to the end of the unit. */
function scopeAfter(o: Hit, closers: Hit[] | undefined, unitEnd: number): Hit {
  if (closers) for (const c of closers) if (c.start >= o.end) return { start: o.start, end: c.start };
  return { start: o.start, end: unitEnd };
}

/** Offset of the last "：" or ":" in text[start, end), or -1 (searching no further back than the unit). */
function lastColon(text: string, start: number, end: number): number {
  for (let i = end - 1; i >= start; i--) {
    const c = text.charCodeAt(i);
    if (c === 0xff1a || c === 0x3a) return i;
  }
  return -1;
}

export interface UnitCues {
  hits: CueHits;
  /** Hits dropped because they fall inside a prohibition ("不得设置差别待遇" → 差别待遇); read only. */
  prohibited: ReadonlyMap<number, Hit[]>;
  /** True when a prohibition opener or lead-in applies somewhere in the unit. */
  prohibition: boolean;
  /** True when the unit opens an inline list under a prohibition ("不得有下列行为：…；"). */
  opensProhibitedList: boolean;
}

/**
 * Cues of text[start, end). `underProhibition` marks a unit enumerated under a prohibiting lead-in, whose
 * restriction cues are all dropped. `context` holds the `contextCues` of the text the unit is read with (its
 * lead-ins, the other "；"-parts of its sentence): a context group the unit lacks counts with those hits.
 */
export function unitCues(m: CompiledMatcher, text: string, start: number, end: number, underProhibition = false, context: readonly CueHits[] = []): UnitCues {
  scanRawHits(m, text, start, end);
  const hits = groupHits(m);
  for (const inherited of context) for (const [group, found] of inherited) if (!hits.has(group)) hits.set(group, found);
  addPatternCues(m, text, start, end, hits);
  const scopes = underProhibition ? [{ start, end }] : prohibitionScopes(m, hits, text, start, end);
  if (scopes.length === 0) return { hits, prohibited: NO_HITS, prohibition: false, opensProhibitedList: false };
  const prohibited: CueHits = new Map();
  for (const [group, list] of hits) {
    if (!m.groups[group]!.negatable) continue;
    const kept: Hit[] = [];
    const dropped: Hit[] = [];
    for (const h of list) (inAnyScope(h, scopes) ? dropped : kept).push(h);
    if (dropped.length === 0) continue;
    prohibited.set(group, dropped);
    if (kept.length === 0) hits.delete(group);
    else hits.set(group, kept);
  }
  let opensProhibitedList = false;
  if (!underProhibition) {
    const colon = lastColon(text, start, end);
    for (const scope of scopes) if (colon >= start && scope.start < colon) opensProhibitedList = true;
  }
  return { hits, prohibited, prohibition: true, opensProhibitedList };
}

/** Whether an enumeration lead-in ("行政机关不得有下列行为：") puts its items under a prohibition. */
export function leadProhibits(m: CompiledMatcher, leadText: string): boolean {
  return m.leadCheck.openers.some((o) => leadText.includes(o)) && m.leadCheck.listLeads.some((l) => leadText.includes(l));
}
