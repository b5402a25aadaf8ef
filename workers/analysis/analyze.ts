/**
 * The clause analyser: segment → cues (one Aho–Corasick pass per sentence, prohibition scope) → rule and
 * similarity scores per checklist item → findings with evidence offsets into the source text.
 *
 * `analyzeDocument()` runs the extractor first.
 * `loadAnalyzer()` does all start-up work once (validate checklists, compile the automaton, load the jieba
 * dictionary, index exemplars, train the item model, fit the calibration) and caches the result.
 */
import { loadChecklists, type ChecklistItem, type Checklists, type ItemId } from '../../checklists/index.js';
import { extractDocument, type ExtractedDocument, type ExtractOptions } from './extract/index.js';
import { normalize, segmentDetailed } from './segment.js';
import { compileMatcher, type CompiledMatcher } from './match/compile.js';
import { contextCues, leadProhibits, unitCues, type CueHits, type Hit, type UnitCues } from './match/cues.js';
import { calibrated, fitCalibration, scoreItems, type Calibration, type ItemScore, type RuleMatch, type SimilaritySource } from './match/score.js';
import { createTokenizer, ExemplarSimilarity, type Tokenize } from './match/statistics.js';
import { ItemModel, textFeatures } from './match/itemModel.js';

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
}

export interface AnalysisResult {
  checklistVersion: string;
  findings: Finding[];
}

export interface ClauseResult {
  checklistVersion: string;
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
}

export interface Analyzer {
  checklistVersion: string;
  checklists: Checklists;
  analyzeText(text: string): AnalysisResult;
  analyzeClause(text: string): ClauseResult;
  scoreText(text: string): UnitScores[];
  /** Start-up cost in milliseconds, measured inside loadAnalyzer. */
  startupMs: number;
  calibration: Calibration;
}

interface Engine {
  checklists: Checklists;
  matcher: CompiledMatcher;
  tokenize: Tokenize;
  similarity: ExemplarSimilarity;
  itemModel: ItemModel;
  statWeight: number;
  threshold: number;
  calibration: Calibration;
}

const IDENTITY: Calibration = { a: 1, b: 0 };

/** One sentence's similarity scores and jieba tokens, each computed only when first asked for. */
class UnitSimilarity implements SimilaritySource {
  private cachedTokens: string[] | undefined;

  constructor(
    private readonly engine: Engine,
    readonly text: string,
    private readonly excludeExemplar: number,
  ) {}

  tokens(): string[] {
    return (this.cachedTokens ??= this.engine.tokenize(this.text));
  }

  get(): Float64Array {
    return this.engine.similarity.scores(this.tokens(), this.excludeExemplar);
  }
}

function leadProhibitsAny(engine: Engine, norm: string, leads: Hit[]): boolean {
  for (const lead of leads) if (leadProhibits(engine.matcher, norm.slice(lead.start, lead.end))) return true;
  return false;
}

/**
 * For each unit, the other parts of its sentence when "；" splits it ("外地旅行社…按挂牌价执行；本县旅行社…按五折执行。"):
 * consecutive units of one path, each but the last ending in "；". They share their context cues, so a
 * contrast drawn across the "；" is read as one.
 */
function semicolonSiblings(norm: string, units: { path: string; start: number; end: number; heading: boolean }[]): Hit[][] {
  const out = units.map(() => [] as Hit[]);
  let first = 0;
  for (let i = 0; i < units.length; i++) {
    const last = norm[units[i]!.end - 1];
    const continues = (last === '；' || last === ';') && i + 1 < units.length && units[i + 1]!.path === units[i]!.path && !units[i + 1]!.heading;
    if (continues) continue;
    for (let k = first; k <= i; k++) for (let j = first; j <= i; j++) if (j !== k) out[k]!.push({ start: units[j]!.start, end: units[j]!.end });
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
 */
function scoreUnits(engine: Engine, text: string, excludeExemplar = -1): UnitScores[] {
  const norm = normalize(text);
  const out: UnitScores[] = [];
  let carried = false;
  let previousPath: string | undefined;
  /** The last sentence ending in "：" while enumerated units follow it (unstructured text). */
  let colonLead: (Hit & { prohibits: boolean }) | undefined;
  const units = segmentDetailed(text);
  const siblings = semicolonSiblings(norm, units);
  // a lead-in or "；"-part is context for several units: its context cues are found once
  const contextBySpan = new Map<string, CueHits>();
  const contextOf = (span: Hit): CueHits => {
    const key = `${span.start}-${span.end}`;
    let cues = contextBySpan.get(key);
    if (!cues) contextBySpan.set(key, (cues = contextCues(engine.matcher, norm, span)));
    return cues;
  };
  for (const [index, unit] of units.entries()) {
    if (unit.heading) continue;
    const enumerated = ENUMERATION_PATH.test(unit.path);
    if (!enumerated) colonLead = undefined;
    const underLead = colonLead?.prohibits === true || leadProhibitsAny(engine, norm, unit.leads);
    const inherited: boolean = carried && unit.path === previousPath;
    const leads = unit.leads.length > 0 ? unit.leads : colonLead ? [colonLead] : [];
    const context = [...leads, ...siblings[index]!].map(contextOf);
    const cues = unitCues(engine.matcher, norm, unit.start, unit.end, underLead || inherited, context);
    const lastChar = norm[unit.end - 1];
    carried = (cues.opensProhibitedList || inherited) && (lastChar === '；' || lastChar === ';');
    if (lastChar === '：' || lastChar === ':') colonLead = { start: unit.start, end: unit.end, prohibits: leadProhibits(engine.matcher, unit.text) };
    previousPath = unit.path;
    const similarity = new UnitSimilarity(engine, norm.slice(unit.start, unit.end), excludeExemplar);
    const scores = scoreItems(engine.matcher, cues, similarity, engine.statWeight, engine.calibration);
    rankFlaggedItems(engine, similarity, scores);
    out.push({ path: unit.path, text: unit.text, start: unit.start, end: unit.end, cues, scores });
  }
  return out;
}

function isFlagged(engine: Engine, s: ItemScore): boolean {
  return s.matched.length > 0 && s.probability >= engine.threshold;
}

/**
 * When the rules flag several items on one sentence, the item model decides their order: each item loses
 * log-odds in proportion to how far its log-likelihood falls behind the likeliest flagged item's (capped).
 * The likeliest keeps its score, so whether the sentence is flagged never changes, only which item leads.
 */
function rankFlaggedItems(engine: Engine, sentence: UnitSimilarity, scores: ItemScore[]): void {
  const flagged = scores.filter((s) => isFlagged(engine, s));
  if (flagged.length < 2) return;
  const { weight, maxPenalty } = engine.checklists.lexicon.statistics.itemModel;
  const likelihoods = engine.itemModel.logLikelihoods(
    textFeatures(sentence.tokens(), sentence.text),
    flagged.map((s) => s.itemIndex),
  );
  const best = Math.max(...likelihoods);
  flagged.forEach((s, i) => {
    s.z -= Math.min(maxPenalty, weight * (best - likelihoods[i]!));
    s.probability = calibrated(engine.calibration, s.z);
  });
}

function basisText(item: ChecklistItem): string {
  return [item.basis.regulation, ...item.basis.measures].join('；');
}

function byStart(a: EvidencePhrase, b: EvidencePhrase): number {
  return a.start - b.start;
}

function byProbabilityDescending(a: ItemScore, b: ItemScore): number {
  return b.probability - a.probability;
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

function explanationOf(item: ChecklistItem, score: ItemScore, evidence: EvidencePhrase[], context: EvidencePhrase[]): string {
  const [best, ...others] = score.matched;
  const parts = [`【${item.id} ${item.title}】${best!.rule.why}。`];
  if (others.length > 0) parts.push(`同时：${others.map(whyOf).join('；')}。`);
  parts.push(`命中要素：${evidence.map(quoted).join('、')}。`);
  if (context.length > 0) parts.push(`结合上下文（所在列举的引导语或同句其他分句）：${context.map(quoted).join('、')}。`);
  if (score.mitigating.length > 0) parts.push(`已考虑的减轻因素：${score.mitigating.map(whyOf).join('；')}。`);
  if (item.category === 'cost') parts.push('如该措施有法律、行政法规依据或经国务院批准，请在审查结论中写明并核实依据。');
  return parts.join('');
}

function whyOf(m: RuleMatch): string {
  return m.rule.why;
}

function quoted(e: EvidencePhrase): string {
  return `「${e.phrase}」`;
}

/** At most this many findings per sentence: the best item, then items with their own specific evidence. */
const MAX_FINDINGS_PER_SENTENCE = 3;

function hasSpecificEvidence(s: ItemScore): boolean {
  for (const m of s.matched) if (!m.rule.generic) return true;
  return false;
}

/**
 * Flagged items of one sentence, best first. A generic category rule holds for every item of its category, so
 * beyond the best item only items with item-specific evidence are reported.
 */
function reportedItems(engine: Engine, unit: UnitScores): ItemScore[] {
  const flagged: ItemScore[] = [];
  for (const s of unit.scores) if (isFlagged(engine, s)) flagged.push(s);
  flagged.sort(byProbabilityDescending);
  const reported: ItemScore[] = [];
  for (const s of flagged) {
    if (reported.length === MAX_FINDINGS_PER_SENTENCE) break;
    if (reported.length === 0 || hasSpecificEvidence(s)) reported.push(s);
  }
  return reported;
}

function findingsOf(engine: Engine, text: string, units: UnitScores[]): Finding[] {
  const findings: Finding[] = [];
  for (const unit of units) {
    for (const s of reportedItems(engine, unit)) {
      const item = engine.checklists.items[s.itemIndex]!;
      // cues inherited from a lead-in or a "；" sibling explain the finding but are not its evidence
      const spans = evidenceOf(text, s.matched);
      const evidence = spans.filter((e) => e.start >= unit.start && e.end <= unit.end);
      if (evidence.length === 0) continue;
      const context = spans.filter((e) => e.start < unit.start || e.end > unit.end);
      const finding: Finding = {
        path: unit.path,
        text: unit.text,
        start: unit.start,
        end: unit.end,
        itemId: item.id,
        score: Math.round(s.probability * 1000) / 1000,
        evidence,
        basis: basisText(item),
        explanation: explanationOf(item, s, evidence, context),
        suggestion: item.suggestion,
      };
      const subItemId = s.matched[0]!.rule.subItemId;
      if (subItemId) finding.subItemId = subItemId;
      findings.push(finding);
    }
  }
  return findings;
}

function clauseResult(engine: Engine, findings: Finding[]): ClauseResult {
  const best = new Map<ItemId, number>();
  for (const f of findings) best.set(f.itemId, Math.max(best.get(f.itemId) ?? 0, f.score));
  const items = [...best.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
  return { checklistVersion: engine.checklists.version, flagged: items.length > 0, items, findings };
}

/** Exemplar clauses with labels, in the order their documents were added to the similarity index. */
function exemplarCorpus(checklists: Checklists): { text: string; itemIndex: number }[] {
  const corpus: { text: string; itemIndex: number }[] = [];
  checklists.items.forEach((item, itemIndex) => {
    for (const e of item.exemplars.violating) corpus.push({ text: e.text, itemIndex });
    for (const e of item.exemplars.compliant) corpus.push({ text: e.text, itemIndex: -1 });
  });
  return corpus;
}

function domainWords(checklists: Checklists): Set<string> {
  const words = new Set<string>();
  const add = (phrases: string[]) => phrases.forEach((p) => p.split('…').forEach((w) => words.add(w)));
  for (const g of checklists.lexicon.groups) add(g.phrases);
  for (const item of checklists.items) for (const g of item.detection.groups) add(g.phrases);
  return words;
}

function buildEngine(checklists: Checklists): Engine {
  const matcher = compileMatcher(checklists);
  const tokenize = createTokenizer(domainWords(checklists));
  const corpus = exemplarCorpus(checklists);
  const similarity = new ExemplarSimilarity(
    corpus.map((c) => ({ tokens: tokenize(normalize(c.text)), itemIndex: c.itemIndex })),
    checklists.items.length,
    checklists.lexicon.statistics.neighbours,
  );
  const itemIndex = new Map(checklists.items.map((item, i) => [item.id, i]));
  const itemModel = new ItemModel(
    checklists.trainingClauses
      .filter((c) => c.label === 'violation')
      .map((c) => {
        const text = normalize(c.text);
        return { features: textFeatures(tokenize(text), text), itemIndex: itemIndex.get(c.item!)! };
      }),
    checklists.items.length,
    checklists.lexicon.statistics.itemModel.smoothing,
  );
  const engine: Engine = {
    checklists,
    matcher,
    tokenize,
    similarity,
    itemModel,
    statWeight: checklists.lexicon.statistics.weight,
    threshold: checklists.lexicon.flagThreshold,
    calibration: IDENTITY,
  };
  // Calibrate on the exemplars, each scored with itself left out of the similarity index.
  const samples = corpus.map((c, docIndex) => {
    let z = -Infinity;
    let zWithEvidence = -Infinity;
    for (const unit of scoreUnits(engine, c.text, docIndex)) {
      for (const s of unit.scores) {
        z = Math.max(z, s.z);
        if (s.matched.length > 0) zWithEvidence = Math.max(zWithEvidence, s.z);
      }
    }
    return { z: Number.isFinite(zWithEvidence) ? zWithEvidence : z, label: (c.itemIndex >= 0 ? 1 : 0) as 0 | 1 };
  });
  engine.calibration = fitCalibration(samples);
  return engine;
}

function makeAnalyzer(engine: Engine, startupMs: number): Analyzer {
  return {
    checklistVersion: engine.checklists.version,
    checklists: engine.checklists,
    startupMs,
    calibration: engine.calibration,
    scoreText: (text) => scoreUnits(engine, text),
    analyzeText(text) {
      return { checklistVersion: engine.checklists.version, findings: findingsOf(engine, text, scoreUnits(engine, text)) };
    },
    analyzeClause(text) {
      return clauseResult(engine, findingsOf(engine, text, scoreUnits(engine, text)));
    },
  };
}

let cached: Analyzer | undefined;

/** Builds the analyser once per process (checklists, automaton, dictionary, exemplar index, calibration). */
export function loadAnalyzer(): Analyzer {
  if (!cached) {
    const started = performance.now();
    const engine = buildEngine(loadChecklists());
    cached = makeAnalyzer(engine, performance.now() - started);
  }
  return cached;
}

export function analyzeText(text: string): AnalysisResult {
  return loadAnalyzer().analyzeText(text);
}

export function analyzeClause(text: string): ClauseResult {
  return loadAnalyzer().analyzeClause(text);
}

export interface DocumentAnalysis extends AnalysisResult {
  /** The extracted document; finding offsets point into `document.text`. */
  document: ExtractedDocument;
}

/** Extract (DOCX/PDF/TXT, typed errors on bad input) → analyzeText; PDF findings carry their page. */
export async function analyzeDocument(buf: Buffer, opts: ExtractOptions = {}): Promise<DocumentAnalysis> {
  const document = await extractDocument(buf, opts);
  const result = analyzeText(document.text);
  if (document.format === 'pdf') {
    for (const f of result.findings) {
      const page = document.blocks.find((b) => b.start <= f.start && f.start < b.end)?.page;
      if (page !== undefined) f.page = page;
    }
  }
  return { ...result, document };
}
