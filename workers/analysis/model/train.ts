/**
 * Training the clause model from labelled clauses, and grouped cross-validation over them. Used by
 * scripts/train.ts (the committed artefact) and scripts/eval.ts (scores on data a fold never trained on).
 */
import { createHash } from 'node:crypto';
import { ITEM_IDS, type ItemId, type ModelArtefact } from '../../../checklists/index.js';
import { clauseVector, createAnalyzer, type Engine } from '../analyze.js';
import { ClauseModel, encodeBinary, encodeItems, type OperatingPoint } from './clauseModel.js';
import { HASH_BITS, MAX_N, type SparseVector } from './features.js';
import { trainBinary, trainSoftmax, Vocabulary, type TrainingOptions } from './logistic.js';

/** A labelled clause from any source; a violation's item may be unknown (many published cases name none). */
export interface TrainingClause {
  id: string;
  text: string;
  label: 'violation' | 'compliant';
  item: ItemId | null;
  /** Where it comes from (e.g. "own", "real-cases"); sets the example weight. */
  source: string;
  /** Cross-validation group: the batch of a published case, the document of a real clause. */
  group: string;
}

export interface ModelOptions {
  binary: TrainingOptions;
  items: TrainingOptions;
  /** Buckets seen in fewer training examples are dropped. */
  minCount: number;
  /** Example weight per source (default 1). */
  sourceWeights: Record<string, number>;
  /** Weight of compliant examples relative to violations. */
  compliantWeight: number;
}

export const DEFAULT_MODEL_OPTIONS: ModelOptions = {
  binary: { epochs: 12, learningRate: 0.3, l2: 20, seed: 20240801 },
  items: { epochs: 10, learningRate: 0.3, l2: 1, seed: 20240801 },
  minCount: 2,
  // real text counts most; our first own clauses (short, tidy, written for the rules) least
  sourceWeights: { 'real-cases': 3, 'real-docs': 3, dev: 1, own: 0.3, 'own-realstyle': 1, decisions: 2 },
  compliantWeight: 1,
};

/** A clause with its features (computed once, shared by every fold). */
export interface FeaturedClause extends TrainingClause {
  vector: SparseVector;
}

export function featurize(engine: Engine, clauses: TrainingClause[]): FeaturedClause[] {
  const out: FeaturedClause[] = [];
  for (const c of clauses) {
    const vector = clauseVector(engine, c.text);
    if (vector) out.push({ ...c, vector });
  }
  return out;
}

/** The same clauses in one canonical order, so training never depends on the order files were read in. */
function canonical(clauses: FeaturedClause[]): FeaturedClause[] {
  return [...clauses].sort((a, b) => (a.source + '\0' + a.id < b.source + '\0' + b.id ? -1 : a.source + '\0' + a.id > b.source + '\0' + b.id ? 1 : 0));
}

export function examplesSha256(clauses: TrainingClause[]): string {
  const hash = createHash('sha256');
  const sorted = [...clauses].sort((a, b) => (a.source + a.id < b.source + b.id ? -1 : 1));
  for (const c of sorted) hash.update(JSON.stringify([c.source, c.id, c.label, c.item, c.group, c.text])).update('\n');
  return hash.digest('hex');
}

/** The artefact as checklists/data/model.json holds it. */
export function serialiseArtefact(artefact: ModelArtefact): string {
  return `${JSON.stringify(artefact, null, 1)}\n`;
}

export interface TrainedModel {
  binaryVocabulary: Vocabulary;
  itemVocabulary: Vocabulary;
  artefact: ModelArtefact;
  model: ClauseModel;
}

function round(x: number): number {
  return Number(x.toFixed(6));
}

export function trainModel(
  engine: Engine,
  clauses: FeaturedClause[],
  thresholds: ModelArtefact['thresholds'],
  options: ModelOptions = DEFAULT_MODEL_OPTIONS,
): TrainedModel {
  const ordered = canonical(clauses);
  const weightOf = (c: FeaturedClause) => (options.sourceWeights[c.source] ?? 1) * (c.label === 'compliant' ? options.compliantWeight : 1);

  const binaryVocabulary = Vocabulary.fromExamples(ordered.map((c) => c.vector), options.minCount);
  const binaryExamples = ordered.map((c) => binaryVocabulary.toRows(c.vector, c.label === 'violation' ? 1 : 0, weightOf(c)));
  const binary = trainBinary(binaryExamples, binaryVocabulary.size, options.binary);

  const withItem = ordered.filter((c) => c.label === 'violation' && c.item !== null);
  const itemVocabulary = Vocabulary.fromExamples(withItem.map((c) => c.vector), options.minCount);
  const itemExamples = withItem.map((c) => itemVocabulary.toRows(c.vector, ITEM_IDS.indexOf(c.item!), weightOf(c)));
  const items = trainSoftmax(itemExamples, itemVocabulary.size, ITEM_IDS.length, options.items);

  const sources: ModelArtefact['training']['sources'] = {};
  for (const c of ordered) {
    const s = (sources[c.source] ??= { clauses: 0, violations: 0 });
    s.clauses++;
    if (c.label === 'violation') s.violations++;
  }
  const flatOptions: Record<string, number> = { minCount: options.minCount, compliantWeight: options.compliantWeight };
  for (const [name, o] of Object.entries({ binary: options.binary, items: options.items })) {
    for (const [k, v] of Object.entries(o)) flatOptions[`${name}.${k}`] = v;
  }
  for (const [source, w] of Object.entries(options.sourceWeights)) flatOptions[`weight.${source}`] = w;
  const artefact: ModelArtefact = {
    format: 1,
    hashBits: HASH_BITS,
    maxN: MAX_N,
    rulesVersion: engine.checklists.rulesVersion,
    training: { sources, examplesSha256: examplesSha256(ordered), options: flatOptions },
    thresholds: { review: round(thresholds.review), screen: round(thresholds.screen) },
    binary: encodeBinary(binaryVocabulary.buckets, binary),
    items: encodeItems(itemVocabulary.buckets, [...ITEM_IDS], items),
  };
  return { binaryVocabulary, itemVocabulary, artefact, model: new ClauseModel(artefact) };
}

/** One clause's out-of-fold verdict, from a model that never saw the clause's group. */
export interface OutOfFold {
  clause: FeaturedClause;
  probability: number;
  /** Flagged items, best first, at each operating point. */
  items: Record<OperatingPoint, ItemId[]>;
}

/**
 * Grouped cross-validation: for each group of `evaluate` (by `groupOf`), a model trained on every clause of
 * `pool` outside that group, with the given thresholds, scores the group's clauses through the full analyser
 * (rules, veto, evidence).
 */
export function crossValidate(
  engine: Engine,
  pool: FeaturedClause[],
  evaluate: FeaturedClause[],
  groupOf: (c: TrainingClause) => string,
  thresholds: ModelArtefact['thresholds'],
  options: ModelOptions = DEFAULT_MODEL_OPTIONS,
): OutOfFold[] {
  const groups = [...new Set(evaluate.map(groupOf))].sort();
  const out: OutOfFold[] = [];
  for (const group of groups) {
    const training = pool.filter((c) => groupOf(c) !== group);
    const { model } = trainModel(engine, training, thresholds, options);
    const analyzer = createAnalyzer(engine, model);
    for (const clause of evaluate.filter((c) => groupOf(c) === group)) {
      const review = analyzer.analyzeClause(clause.text, { point: 'review' });
      const screen = analyzer.analyzeClause(clause.text, { point: 'screen' });
      out.push({ clause, probability: review.probability, items: { review: review.items, screen: screen.items } });
    }
  }
  return out;
}

/** Sources whose compliant clauses are real-style text: where a threshold's false positives are counted. */
export const REALISTIC_COMPLIANT = new Set(['real-docs', 'own-realstyle', 'decisions']);

export interface ThresholdChoice {
  threshold: number;
  falsePositiveRate: number;
  recall: number;
}

/** The lowest threshold (in steps of 0.01) whose false-positive rate on `negatives` is at most `maxFp`. */
export function chooseThreshold(oof: OutOfFold[], maxFp: number): ThresholdChoice {
  const negatives = oof.filter((o) => o.clause.label === 'compliant' && REALISTIC_COMPLIANT.has(o.clause.source));
  const positives = oof.filter((o) => o.clause.label === 'violation');
  for (let step = 5; step <= 99; step++) {
    const threshold = step / 100;
    const fp = negatives.filter((o) => o.probability >= threshold).length / Math.max(1, negatives.length);
    if (fp <= maxFp) {
      return { threshold, falsePositiveRate: fp, recall: positives.filter((o) => o.probability >= threshold).length / Math.max(1, positives.length) };
    }
  }
  return { threshold: 0.99, falsePositiveRate: 0, recall: 0 };
}

