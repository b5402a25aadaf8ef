/**
 * The clause analyser: segment → rule cues per sentence unit (one Aho–Corasick pass, prohibition scope, rule
 * scores per checklist item) → the learned clause model decides, per sentence, whether it breaches an item
 * and which → findings whose evidence is the rules' phrases or, where no rule holds, the model's most telling
 * phrases, always verbatim with offsets into the source text.
 *
 * The model (model/clauseModel.ts, trained by scripts/train.ts on labelled real and own clauses) sees the
 * sentence's character n-grams, its lead-in and the rule cues; the rules explain and attribute, and a
 * sentence enumerated under a prohibiting lead-in ("不得有下列行为：") is never flagged (veto).
 * Two operating points: `review` (self-review of a draft, recall first) and `screen` (bulk screening of
 * existing documents, precision first).
 *
 * `analyzeDocument()` runs the extractor first. `loadAnalyzer()` does all start-up work once and caches it.
 */
import { loadChecklists, type ChecklistItem, type Checklists, type ItemId } from '../../checklists/index.js';
import { extractDocument, type ExtractedDocument, type ExtractOptions } from './extract/index.js';
import { normalize, segmentDetailed } from './segment.js';
import { compileMatcher, type CompiledMatcher } from './match/compile.js';
import { contextCues, leadProhibits, unitCues, type CueHits, type Hit, type UnitCues } from './match/cues.js';
import { fitCalibration, scoreItems, type Calibration, type ItemScore, type RuleMatch } from './match/score.js';
import { ClauseModel, type OperatingPoint } from './model/clauseModel.js';
import { cueBucket, FoldScratch, foldText, forEachNgramSpan, sentenceFeatures, type FoldedText, type SentenceInput, type SparseVector } from './model/features.js';

export { OPERATING_POINTS, type OperatingPoint } from './model/clauseModel.js';

export interface EvidencePhrase {
  phrase: string;
  start: number;
  end: number;
}

export interface Finding {
  /** Structural path of the sentence, e.g. "第三章 第十二条 第二款 （一）" (empty for unstructured text). */
  path: string;
  text: string;
  start: number;
  end: number;
  itemId: ItemId;
  subItemId?: string;
  /** Calibrated probability that the sentence breaches this item. */
  score: number;
  evidence: EvidencePhrase[];
  basis: string;
  explanation: string;
  suggestion: string;
  /** 1-based page of the sentence (PDF documents only). */
  page?: number;
  /** Where the evidence comes from: rule phrases, or (no rule held) the model's most telling phrases. */
  evidenceSource: 'rules' | 'model';
}

export interface AnalyzeOptions {
  /** `review` (default): recall first, for a draft's self-review; `screen`: precision first, for bulk screening. */
  point?: OperatingPoint;
}

export interface AnalysisResult {
  checklistVersion: string;
  operatingPoint: OperatingPoint;
  /** The threshold on P(breach) of that operating point. */
  threshold: number;
  findings: Finding[];
}

export interface ClauseResult {
  checklistVersion: string;
  operatingPoint: OperatingPoint;
  /** P(breach) of the clause read as one sentence. */
  probability: number;
  flagged: boolean;
  /** Flagged item ids, best first. */
  items: ItemId[];
  findings: Finding[];
}

/** Per-unit scores, for evaluation and debugging. */
export interface UnitScores {
  path: string;
  text: string;
  start: number;
  end: number;
  cues: UnitCues;
  scores: ItemScore[];
  /** Enumeration lead-ins the unit is read under (outside the unit). */
  context: Hit[];
  /** The heading the unit stands under (the segmenter's `headingAbove`), as a list of at most one. */
  headings: readonly Hit[];
  /** The sentence before the unit in the same article or item (the segmenter's `previous`), if there is one. */
  previous: readonly Hit[];
  /** Enumerated under a prohibiting lead-in, or continuing a prohibited inline list. */
  prohibited: boolean;
}

export interface Analyzer {
  checklistVersion: string;
  checklists: Checklists;
  model: ClauseModel;
  analyzeText(text: string, options?: AnalyzeOptions): AnalysisResult;
  analyzeClause(text: string, options?: AnalyzeOptions): ClauseResult;
  /** Clauses of one document, each judged as one sentence where it stands (its lead-ins are its context). */
  analyzeClausesInDocument(documentText: string, spans: ClauseSpan[], options?: AnalyzeOptions): ClauseResult[];
  scoreText(text: string): UnitScores[];
  /** Start-up cost in milliseconds, measured inside loadAnalyzer. */
  startupMs: number;
  calibration: Calibration;
}

/** The rules, without the learned model: what training needs to compute the model's features. */
export interface Engine {
  checklists: Checklists;
  matcher: CompiledMatcher;
  threshold: number;
  calibration: Calibration;
}

const IDENTITY: Calibration = { a: 1, b: 0 };

/** What a unit without siblings or lead-ins shares: no spans, no context cues (never written to). */
const NO_SPANS: readonly Hit[] = [];
const NO_CONTEXT: readonly CueHits[] = [];

/**
 * For each unit, the other parts of its sentence when "；" splits it ("外地旅行社…按挂牌价执行；本县旅行社…按五折执行。"):
 * consecutive units of one path, each but the last ending in "；". They share their context cues, so a
 * contrast drawn across the "；" is read as one.
 */
function semicolonSiblings(norm: string, units: { path: string; start: number; end: number; heading: boolean }[]): (readonly Hit[])[] {
  const out: (readonly Hit[])[] = units.map(() => NO_SPANS);
  let first = 0;
  for (let i = 0; i < units.length; i++) {
    const last = norm[units[i]!.end - 1];
    const continues = (last === '；' || last === ';') && i + 1 < units.length && units[i + 1]!.path === units[i]!.path && !units[i + 1]!.heading;
    if (continues) continue;
    for (let k = first; k <= i && i > first; k++) {
      const others: Hit[] = [];
      for (let j = first; j <= i; j++) if (j !== k) others.push({ start: units[j]!.start, end: units[j]!.end });
      out[k] = others;
    }
    first = i + 1;
  }
  return out;
}

/** Paths ending in an enumeration label: （一） (1) 1. 一、 ①. */
const ENUMERATION_PATH = /(?:（[^（）]+）|\d+\.|[一二三四五六七八九十]+、|[\u2460-\u2473])$/;

/**
 * Sentence units with their scores. Two kinds of prohibition reach beyond one sentence: an enumeration under
 * a lead-in "不得有下列行为：" (the segmenter's `leads`, or — for unstructured text — the enumerated units that
 * directly follow such a sentence), and an inline list "不得有下列行为：指定…；限定…；" continued after "；".
 * `norm` is `normalize(text)`, passed by callers that have it already.
 */
function scoreUnits(engine: Engine, text: string, norm = normalize(text)): UnitScores[] {
  return Array.from(unitScores(engine, text, norm));
}

/**
 * `scoreUnits` one unit at a time, in text order: a document read sentence by sentence drops each sentence's
 * units once it is judged, instead of holding every unit's cues and scores until the end, which the garbage
 * collector would copy again and again.
 */
function* unitScores(engine: Engine, text: string, norm: string): Generator<UnitScores> {
  let carried = false;
  let previousPath: string | undefined;
  /** The last sentence ending in "：" while enumerated units follow it (unstructured text). */
  let colonLead: (Hit & { prohibits: boolean }) | undefined;
  const units = segmentDetailed(text, norm);
  const siblings = semicolonSiblings(norm, units);
  // a lead-in or "；"-part is context for several units: its context cues, and whether it prohibits, are found once
  const spanKey = (span: Hit) => span.start * (norm.length + 1) + span.end;
  const contextBySpan = new Map<number, CueHits>();
  const contextOf = (span: Hit): CueHits => {
    let cues = contextBySpan.get(spanKey(span));
    if (!cues) contextBySpan.set(spanKey(span), (cues = contextCues(engine.matcher, norm, span)));
    return cues;
  };
  const prohibitsBySpan = new Map<number, boolean>();
  const prohibits = (lead: Hit): boolean => {
    let found = prohibitsBySpan.get(spanKey(lead));
    if (found === undefined) prohibitsBySpan.set(spanKey(lead), (found = leadProhibits(engine.matcher, norm.slice(lead.start, lead.end))));
    return found;
  };
  for (const [index, unit] of units.entries()) {
    if (unit.heading) continue;
    const headings = unit.headingAbove ? [unit.headingAbove] : NO_SPANS;
    const previous = unit.previous ? [unit.previous] : NO_SPANS;
    const enumerated = ENUMERATION_PATH.test(unit.path);
    if (!enumerated) colonLead = undefined;
    const underLead = colonLead?.prohibits === true || unit.leads.some(prohibits);
    const inherited: boolean = carried && unit.path === previousPath;
    const leads = unit.leads.length > 0 ? unit.leads : colonLead ? [colonLead] : [];
    const siblingSpans = siblings[index]!;
    const context = leads.length + siblingSpans.length > 0 ? [...leads, ...siblingSpans].map(contextOf) : NO_CONTEXT;
    const cues = unitCues(engine.matcher, norm, unit.start, unit.end, underLead || inherited, context);
    const lastChar = norm[unit.end - 1];
    carried = (cues.opensProhibitedList || inherited) && (lastChar === '；' || lastChar === ';');
    if (lastChar === '：' || lastChar === ':') colonLead = { start: unit.start, end: unit.end, prohibits: leadProhibits(engine.matcher, unit.text) };
    previousPath = unit.path;
    const scores = scoreItems(engine.matcher, cues, engine.calibration);
    yield { path: unit.path, text: unit.text, start: unit.start, end: unit.end, cues, scores, context: leads, headings, previous, prohibited: underLead || inherited };
  }
}

/** The rules' own verdict on an item (before the model): a positive rule held and its score passes the rules' threshold. */
function ruleFlags(engine: Engine, s: ItemScore): boolean {
  return s.matched.length > 0 && s.probability >= engine.threshold;
}

function basisText(item: ChecklistItem): string {
  return [item.basis.regulation, ...item.basis.measures].join('；');
}

function byStart(a: EvidencePhrase, b: EvidencePhrase): number {
  return a.start - b.start;
}

/** Distinct evidence spans of the matched rules, minus spans contained in a longer one, in text order. */
function evidenceOf(text: string, matches: RuleMatch[]): EvidencePhrase[] {
  const spans: EvidencePhrase[] = [];
  for (const m of matches) {
    for (const e of m.evidence) {
      let covered = false;
      for (const o of spans) if (o.start <= e.start && o.end >= e.end) covered = true;
      if (covered) continue;
      for (let i = spans.length - 1; i >= 0; i--) {
        const o = spans[i]!;
        if (e.start <= o.start && e.end >= o.end) spans.splice(i, 1);
      }
      spans.push({ phrase: text.slice(e.start, e.end), start: e.start, end: e.end });
    }
  }
  return spans.sort(byStart);
}

function whyOf(m: RuleMatch): string {
  return m.rule.why;
}

function quoted(e: EvidencePhrase): string {
  return `「${e.phrase}」`;
}

function percent(p: number): string {
  return `${Math.round(p * 100)}%`;
}

function ruleExplanation(item: ChecklistItem, score: ItemScore, probability: number, evidence: EvidencePhrase[], context: EvidencePhrase[]): string {
  const [best, ...others] = score.matched;
  const parts = [`【${item.id} ${item.title}】${best!.rule.why}。`];
  if (others.length > 0) parts.push(`同时：${others.map(whyOf).join('；')}。`);
  parts.push(`命中要素：${evidence.map(quoted).join('、')}。`);
  if (context.length > 0) parts.push(`结合上下文（所在列举的引导语或同句其他分句）：${context.map(quoted).join('、')}。`);
  if (score.mitigating.length > 0) parts.push(`已考虑的减轻因素：${score.mitigating.map(whyOf).join('；')}。`);
  parts.push(`模型判断存在排除、限制竞争问题的概率约为${percent(probability)}。`);
  if (item.category === 'cost') parts.push('如该措施有法律、行政法规依据或经国务院批准，请在审查结论中写明并核实依据。');
  return parts.join('');
}

function modelExplanation(item: ChecklistItem, probability: number, evidence: EvidencePhrase[]): string {
  return [
    `【${item.id} ${item.title}】本句与已确认的同类违规条款措辞相近，模型判断存在排除、限制竞争问题的概率约为${percent(probability)}，`,
    `未命中具体规则，请人工核实。`,
    `关键措辞：${evidence.map(quoted).join('、')}。`,
    item.category === 'cost' ? '如该措施有法律、行政法规依据或经国务院批准，请在审查结论中写明并核实依据。' : '',
  ].join('');
}

/** Beyond the model's item, at most this many further items per sentence, each with its own specific rule evidence. */
const MAX_FURTHER_ITEMS = 2;
/** A second item is reported only when the item model gives it at least this share of the first item's probability. */
const SECONDARY_ITEM_SHARE = 0.2;

function hasSpecificEvidence(s: ItemScore): boolean {
  for (const m of s.matched) if (!m.rule.generic) return true;
  return false;
}

/**
 * Sentences as the model reads them, each as soon as its units have come: consecutive units of one path
 * joined by "；" (the parts of one sentence), or the whole text when it is analysed as one clause.
 */
function* sentencesOf(norm: string, units: Iterable<UnitScores>, wholeText: boolean): Generator<UnitScores[]> {
  if (wholeText) {
    const all = Array.from(units);
    if (all.length > 0) yield all;
    return;
  }
  let current: UnitScores[] = [];
  for (const unit of units) {
    const previous = current[current.length - 1];
    if (previous !== undefined) {
      const last = norm[previous.end - 1];
      const continues = (last === '；' || last === ';') && unit.path === previous.path;
      if (!continues) {
        yield current;
        current = [];
      }
    }
    current.push(unit);
  }
  if (current.length > 0) yield current;
}

/** The buckets of every rule cue's name, computed once per engine (names like "item:entry-3" are hashed once). */
interface CueBuckets {
  group: Int32Array;
  prohibited: Int32Array;
  item: Int32Array;
  category: Int32Array;
  mitigated: Int32Array;
  flag: Int32Array;
  prohibition: number;
  underProhibition: number;
  anyFlag: number;
}

const cueBucketsOf = new WeakMap<Engine, CueBuckets>();

function cueBuckets(engine: Engine): CueBuckets {
  let table = cueBucketsOf.get(engine);
  if (!table) {
    const { groups } = engine.matcher;
    const { items } = engine.checklists;
    const each = <T>(list: readonly T[], name: (x: T) => string) => Int32Array.from(list, (x) => cueBucket(name(x)));
    table = {
      group: each(groups, (g) => `group:${g.key}`),
      prohibited: each(groups, (g) => `prohibited:${g.key}`),
      item: each(items, (i) => `item:${i.id}`),
      category: each(items, (i) => `category:${i.category}`),
      mitigated: each(items, (i) => `mitigated:${i.id}`),
      flag: each(items, (i) => `flag:${i.id}`),
      prohibition: cueBucket('prohibition'),
      underProhibition: cueBucket('under-prohibition'),
      anyFlag: cueBucket('flag'),
    };
    cueBucketsOf.set(engine, table);
  }
  return table;
}

/** Where a sentence's rule cues are listed: each sentence's input is read before the next is made. */
const cueScratch: number[] = [];

/** The rule cues that held on a sentence (as buckets): the model's rule features. Valid until the next call. */
function sentenceCues(engine: Engine, units: UnitScores[]): number[] {
  const table = cueBuckets(engine);
  const out = cueScratch;
  out.length = 0;
  for (const unit of units) {
    for (const group of unit.cues.hits.keys()) out.push(table.group[group]!);
    for (const group of unit.cues.prohibited.keys()) out.push(table.prohibited[group]!);
    if (unit.cues.prohibition) out.push(table.prohibition);
    if (unit.prohibited) out.push(table.underProhibition);
    for (const s of unit.scores) {
      if (s.matched.length === 0) continue;
      const i = s.itemIndex;
      out.push(table.item[i]!, table.category[i]!);
      if (s.mitigating.length > 0) out.push(table.mitigated[i]!);
      if (ruleFlags(engine, s)) out.push(table.flag[i]!, table.anyFlag);
    }
  }
  return out;
}

/** Lead-ins and headings folded for the model: each is the context of every unit under it, folded once. */
const foldedSpans = new WeakMap<Hit, FoldedText>();

function foldedSpan(norm: string, span: Hit): FoldedText {
  let folded = foldedSpans.get(span);
  if (!folded) foldedSpans.set(span, (folded = foldText(norm, span.start, span.end)));
  return folded;
}

/** The context of a sentence without lead-ins (never written to). */
const NO_FOLDS: FoldedText[] = [];

/** Where a sentence is folded for the model, and a unit for its telling phrases: each is read before the next. */
const sentenceFolds = new FoldScratch();
const unitFolds = new FoldScratch();
/** The sentence before is the context of one sentence only: folded into a buffer of its own, not kept. */
const previousFolds = new FoldScratch();

/**
 * The model's features of one sentence: its n-grams, the n-grams of its lead-ins, its heading and the sentence
 * before it, and its rule cues. Valid until the next sentence's input is made (the sentence and the one before
 * it are folded into shared buffers).
 */
function sentenceInput(engine: Engine, norm: string, sentence: UnitScores[]): SentenceInput {
  const first = sentence[0]!;
  const last = sentence[sentence.length - 1]!;
  const [before] = first.previous;
  return {
    sentence: sentenceFolds.fold(norm, first.start, last.end),
    context: first.context.length > 0 ? first.context.map((lead) => foldedSpan(norm, lead)) : NO_FOLDS,
    headings: first.headings.length > 0 ? first.headings.map((heading) => foldedSpan(norm, heading)) : NO_FOLDS,
    previous: before ? [previousFolds.fold(norm, before.start, before.end)] : NO_FOLDS,
    cues: sentenceCues(engine, sentence),
  };
}

/** The features of a clause read as one sentence without context, exactly as `analyzeClause` reads it. */
export function clauseVector(engine: Engine, text: string): SparseVector | undefined {
  const norm = normalize(text);
  const units = scoreUnits(engine, text, norm);
  return units.length > 0 ? sentenceFeatures(sentenceInput(engine, norm, units)) : undefined;
}

/** A clause of a whole document: [start, end) offsets into the document's text. */
export interface ClauseSpan {
  start: number;
  end: number;
}

/** The units a clause of a document covers: read as one sentence, with the lead-ins the segmenter found for them. */
function coveredUnits(units: UnitScores[], span: ClauseSpan): UnitScores[] {
  return units.filter((u) => u.start < span.end && span.start < u.end);
}

/**
 * The features of clauses read where they stand in a whole document, exactly as `analyzeClausesInDocument`
 * reads them: a clause enumerated under "对符合下列情况之一的项目，一事一议：" carries that lead-in as context,
 * as it does when `analyzeText` reads the document. A span covering no unit gives undefined.
 */
export function documentClauseVectors(engine: Engine, documentText: string, spans: ClauseSpan[]): (SparseVector | undefined)[] {
  const norm = normalize(documentText);
  const units = scoreUnits(engine, documentText, norm);
  return spans.map((span) => {
    const covered = coveredUnits(units, span);
    return covered.length > 0 ? sentenceFeatures(sentenceInput(engine, norm, covered)) : undefined;
  });
}

/** Up to this many telling phrases when the model alone flags a sentence, each at most this long. */
const MAX_TELLING_PHRASES = 3;
const MAX_TELLING_LENGTH = 12;
const EDGE_PUNCTUATION = /^[\s，。；：、,.;:（）()“”"《》]+|[\s，。；：、,.;:（）()“”"《》]+$/g;

interface WeightedSpan {
  start: number;
  end: number;
  weight: number;
}

function strongestFirst(a: WeightedSpan, b: WeightedSpan): number {
  return b.weight - a.weight || a.start - b.start;
}

/**
 * The unit's phrases that push it most toward a breach: its n-grams with the largest positive model weights,
 * strongest first, each grown by the overlapping ones up to MAX_TELLING_LENGTH, trimmed of punctuation at
 * their edges, in text order.
 */
function tellingPhrases(model: ClauseModel, norm: string, text: string, unit: UnitScores): { phrases: EvidencePhrase[]; weight: number } {
  const spans: WeightedSpan[] = [];
  forEachNgramSpan(unitFolds.fold(norm, unit.start, unit.end), (bucket, start, end) => {
    const weight = model.bucketWeight(bucket);
    if (weight > 0) spans.push({ start, end, weight });
  });
  spans.sort(strongestFirst);
  const chosen: WeightedSpan[] = [];
  for (const span of spans) {
    const overlapping = chosen.filter((c) => span.start < c.end && c.start < span.end);
    if (overlapping.length > 0) {
      const into = overlapping[0]!;
      const start = Math.min(span.start, ...overlapping.map((c) => c.start));
      const end = Math.max(span.end, ...overlapping.map((c) => c.end));
      if (end - start > MAX_TELLING_LENGTH) continue;
      into.start = start;
      into.end = end;
      for (const other of overlapping.slice(1)) {
        into.weight += other.weight;
        chosen.splice(chosen.indexOf(other), 1);
      }
      continue;
    }
    if (chosen.length === MAX_TELLING_PHRASES) continue;
    chosen.push({ start: span.start, end: span.end, weight: span.weight });
  }
  const phrases: EvidencePhrase[] = [];
  for (const c of chosen) {
    const raw = text.slice(c.start, c.end);
    const lead = raw.length - raw.replace(/^[\s，。；：、,.;:（）()“”"《》]+/, '').length;
    const phrase = raw.replace(EDGE_PUNCTUATION, '');
    if (phrase.length >= 2) phrases.push({ phrase, start: c.start + lead, end: c.start + lead + phrase.length });
  }
  const weight = chosen.reduce((sum, c) => sum + c.weight, 0);
  return { phrases: phrases.sort(byStart), weight };
}

interface SentenceVerdict {
  probability: number;
  findings: Finding[];
}

function ruleFinding(engine: Engine, text: string, unit: UnitScores, s: ItemScore, probability: number): Finding | undefined {
  const item = engine.checklists.items[s.itemIndex]!;
  // cues inherited from a lead-in or a "；" sibling explain the finding but are not its evidence
  const spans = evidenceOf(text, s.matched);
  const evidence = spans.filter((e) => e.start >= unit.start && e.end <= unit.end);
  if (evidence.length === 0) return undefined;
  const context = spans.filter((e) => e.start < unit.start || e.end > unit.end);
  const finding: Finding = {
    path: unit.path,
    text: unit.text,
    start: unit.start,
    end: unit.end,
    itemId: item.id,
    score: Math.round(probability * 1000) / 1000,
    evidence,
    basis: basisText(item),
    explanation: ruleExplanation(item, s, probability, evidence, context),
    suggestion: item.suggestion,
    evidenceSource: 'rules',
  };
  const subItemId = s.matched[0]!.rule.subItemId;
  if (subItemId) finding.subItemId = subItemId;
  return finding;
}

const itemIndexOf = new WeakMap<Engine, WeakMap<ClauseModel, Int32Array>>();

/** For each class of the item model, the index of its item in the engine's checklists (-1 when they lack it); found once. */
function itemIndexOfClass(engine: Engine, model: ClauseModel): Int32Array {
  let byModel = itemIndexOf.get(engine);
  if (!byModel) itemIndexOf.set(engine, (byModel = new WeakMap()));
  let table = byModel.get(model);
  if (!table) byModel.set(model, (table = Int32Array.from(model.itemIds, (id) => engine.checklists.items.findIndex((i) => i.id === id))));
  return table;
}

/** The `count` classes with the largest shares, largest first; of equal shares the earlier class first. */
function bestClasses(shares: Float64Array, count: number): number[] {
  const best: number[] = [];
  for (let k = 0; k < shares.length; k++) {
    let at = best.length;
    while (at > 0 && shares[best[at - 1]!]! < shares[k]!) at--;
    if (at === count) continue;
    best.splice(at, 0, k);
    if (best.length > count) best.pop();
  }
  return best;
}

/** Every unit of the sentence is enumerated under a prohibiting lead-in (or continues a prohibited list): vetoed. */
function allProhibited(sentence: UnitScores[]): boolean {
  for (const unit of sentence) if (!unit.prohibited) return false;
  return true;
}

/**
 * One sentence: the model's P(breach); when it reaches the operating point's threshold, the item the item
 * model ranks first gives the finding, on the part of the sentence where that item's rules hold (their
 * phrases are the evidence) or else where the model's telling phrases are; other items follow only with
 * their own specific rule evidence.
 */
function judgeSentence(engine: Engine, model: ClauseModel, norm: string, text: string, sentence: UnitScores[], threshold: number): SentenceVerdict {
  if (allProhibited(sentence)) return { probability: 0, findings: [] };
  const input = sentenceInput(engine, norm, sentence);
  const probability = model.probabilityOf(input);
  // the model alone decides: rules that added sentences below the threshold brought more false alarms than
  // violations on the real documents (grouped cross-validation)
  if (probability < threshold) return { probability, findings: [] };

  const itemProbabilities = model.itemProbabilitiesOf(input);
  const itemIndex = itemIndexOfClass(engine, model);
  const ranked = bestClasses(itemProbabilities, 1 + MAX_FURTHER_ITEMS).map((k) => ({ itemIndex: itemIndex[k]!, share: itemProbabilities[k]! }));
  const lead = ranked[0]!;
  const findings: Finding[] = [];

  // a unit's scores are in item order
  const scoreFor = (unit: UnitScores, itemIndex: number): ItemScore | undefined => {
    const s = unit.scores[itemIndex];
    return s && s.matched.length > 0 ? s : undefined;
  };
  const ruled = sentence.filter((u) => !u.prohibited && scoreFor(u, lead.itemIndex));
  if (ruled.length > 0) {
    // the part where the item's rules hold most strongly, and every other part where they flag on their own
    const best = ruled.reduce((a, b) => (scoreFor(b, lead.itemIndex)!.z > scoreFor(a, lead.itemIndex)!.z ? b : a));
    for (const unit of ruled) {
      const s = scoreFor(unit, lead.itemIndex)!;
      if (unit !== best && !ruleFlags(engine, s)) continue;
      const f = ruleFinding(engine, text, unit, s, probability);
      if (f) findings.push(f);
    }
  }
  if (findings.length === 0) {
    let best: { unit: UnitScores; phrases: EvidencePhrase[]; weight: number } | undefined;
    for (const unit of sentence) {
      if (unit.prohibited) continue;
      const telling = tellingPhrases(model, norm, text, unit);
      if (telling.phrases.length > 0 && (!best || telling.weight > best.weight)) best = { unit, ...telling };
    }
    if (!best) return { probability, findings: [] };
    const item = engine.checklists.items[lead.itemIndex]!;
    findings.push({
      path: best.unit.path,
      text: best.unit.text,
      start: best.unit.start,
      end: best.unit.end,
      itemId: item.id,
      score: Math.round(probability * 1000) / 1000,
      evidence: best.phrases,
      basis: basisText(item),
      explanation: modelExplanation(item, probability, best.phrases),
      suggestion: item.suggestion,
      evidenceSource: 'model',
    });
  }
  for (const other of ranked.slice(1)) {
    if (other.share < SECONDARY_ITEM_SHARE * lead.share) break;
    for (const unit of sentence) {
      const s = scoreFor(unit, other.itemIndex);
      if (!s || unit.prohibited || !hasSpecificEvidence(s)) continue;
      const f = ruleFinding(engine, text, unit, s, (probability * other.share) / lead.share);
      if (f) findings.push(f);
      break;
    }
  }
  return { probability, findings };
}

function judgeText(engine: Engine, model: ClauseModel, text: string, wholeText: boolean, threshold: number): SentenceVerdict {
  const norm = normalize(text);
  let probability = 0;
  const findings: Finding[] = [];
  for (const sentence of sentencesOf(norm, unitScores(engine, text, norm), wholeText)) {
    const verdict = judgeSentence(engine, model, norm, text, sentence, threshold);
    probability = Math.max(probability, verdict.probability);
    findings.push(...verdict.findings);
  }
  return { probability, findings };
}

function clauseResult(engine: Engine, point: OperatingPoint, verdict: SentenceVerdict): ClauseResult {
  const best = new Map<ItemId, number>();
  for (const f of verdict.findings) best.set(f.itemId, Math.max(best.get(f.itemId) ?? 0, f.score));
  const items = [...best.keys()];
  return {
    checklistVersion: engine.checklists.version,
    operatingPoint: point,
    probability: Math.round(verdict.probability * 1000) / 1000,
    flagged: items.length > 0,
    items,
    findings: verdict.findings,
  };
}

/** The checklist's exemplar clauses with labels (1 violating, 0 compliant): what the rules' scores are calibrated on. */
function exemplars(checklists: Checklists): { text: string; label: 0 | 1 }[] {
  return checklists.items.flatMap((item) => [
    ...item.exemplars.violating.map((e) => ({ text: e.text, label: 1 as const })),
    ...item.exemplars.compliant.map((e) => ({ text: e.text, label: 0 as const })),
  ]);
}

function buildEngine(checklists: Checklists): Engine {
  const engine: Engine = {
    checklists,
    matcher: compileMatcher(checklists),
    threshold: checklists.lexicon.flagThreshold,
    calibration: IDENTITY,
  };
  const samples = exemplars(checklists).map(({ text, label }) => {
    let z = -Infinity;
    let zWithEvidence = -Infinity;
    for (const unit of scoreUnits(engine, text)) {
      for (const s of unit.scores) {
        z = Math.max(z, s.z);
        if (s.matched.length > 0) zWithEvidence = Math.max(zWithEvidence, s.z);
      }
    }
    return { z: Number.isFinite(zWithEvidence) ? zWithEvidence : z, label };
  });
  engine.calibration = fitCalibration(samples);
  return engine;
}

/** An analyser from the rules and a clause model (the committed one, or one trained in cross-validation). */
export function createAnalyzer(engine: Engine, model: ClauseModel, startupMs = 0): Analyzer {
  const thresholdOf = (options?: AnalyzeOptions) => model.thresholds[options?.point ?? 'review'];
  return {
    checklistVersion: engine.checklists.version,
    checklists: engine.checklists,
    model,
    startupMs,
    calibration: engine.calibration,
    scoreText: (text) => scoreUnits(engine, text),
    analyzeText(text, options) {
      const point = options?.point ?? 'review';
      const threshold = thresholdOf(options);
      const { findings } = judgeText(engine, model, text, false, threshold);
      return { checklistVersion: engine.checklists.version, operatingPoint: point, threshold, findings };
    },
    analyzeClause(text, options) {
      return clauseResult(engine, options?.point ?? 'review', judgeText(engine, model, text, true, thresholdOf(options)));
    },
    analyzeClausesInDocument(documentText, spans, options) {
      const norm = normalize(documentText);
      const units = scoreUnits(engine, documentText, norm);
      const threshold = thresholdOf(options);
      return spans.map((span) => {
        const covered = coveredUnits(units, span);
        const verdict = covered.length > 0 ? judgeSentence(engine, model, norm, documentText, covered, threshold) : { probability: 0, findings: [] };
        return clauseResult(engine, options?.point ?? 'review', verdict);
      });
    },
  };
}

let cachedEngine: Engine | undefined;
let cached: Analyzer | undefined;

/** The rules alone, built once per process (checklists, automaton, dictionary, exemplar index, calibration). */
export function loadRuleEngine(): Engine {
  return (cachedEngine ??= buildEngine(loadChecklists()));
}

/** Builds the analyser once per process: the rules and the committed clause model (checklists/data/model.json). */
export function loadAnalyzer(): Analyzer {
  if (!cached) {
    const started = performance.now();
    const engine = loadRuleEngine();
    const artefact = engine.checklists.model;
    if (!artefact) throw new Error('检查清单数据缺少训练好的条款模型（checklists/data/model.json），请先运行 npm run train');
    cached = createAnalyzer(engine, new ClauseModel(artefact), performance.now() - started);
  }
  return cached;
}

export function analyzeText(text: string, options?: AnalyzeOptions): AnalysisResult {
  return loadAnalyzer().analyzeText(text, options);
}

export function analyzeClause(text: string, options?: AnalyzeOptions): ClauseResult {
  return loadAnalyzer().analyzeClause(text, options);
}

export interface DocumentAnalysis extends AnalysisResult {
  /** The extracted document; finding offsets point into `document.text`. */
  document: ExtractedDocument;
}

/** Extract (DOCX/PDF/TXT, typed errors on bad input) → analyzeText; PDF findings carry their page. */
export async function analyzeDocument(buf: Buffer, opts: ExtractOptions & AnalyzeOptions = {}): Promise<DocumentAnalysis> {
  const document = await extractDocument(buf, opts);
  const result = analyzeText(document.text, opts);
  if (document.format === 'pdf') {
    for (const f of result.findings) {
      const page = document.blocks.find((b) => b.start <= f.start && f.start < b.end)?.page;
      if (page !== undefined) f.page = page;
    }
  }
  return { ...result, document };
}

