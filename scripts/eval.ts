/**
 * npm run eval [-- --json] [-- --verbose]
 *
 * Scores the analyser beside the sensitive-word baseline (test/baseline/sensitive-words.txt: a clause is
 * flagged when it contains any listed word) on every labelled set, at both operating points:
 *  - sets the committed model was trained on (our own clauses, the shared dev set, the shared real cases and
 *    real documents) are scored by grouped cross-validation: each clause by a model trained without its
 *    group (the batch of a published case, the document of a real clause, one of five folds of our own);
 *  - held-out sets (test/fixtures: own fixtures, own held-out, own real-style held-out) by the committed model.
 * Prints recall, false-positive rate, precision and item accuracy (first item = gold, over flagged violations
 * whose item is known), recall per category, and the analyser's recall at the baseline's false-positive rate.
 * --verbose lists the errors of the sets that are not held out.
 */
import { fileURLToPath } from 'node:url';
import { loadAnalyzer, loadRuleEngine, type OperatingPoint } from '../workers/analysis/analyze.js';
import { baselineVerdicts, readWordList, scoreVerdicts, type EvalReport, type Verdict } from '../workers/analysis/evaluation.js';
import { crossValidate, featurize, type FeaturedClause } from '../workers/analysis/model/train.js';
import { loadSets, type LoadedSet } from './trainingData.js';

const BASELINE = fileURLToPath(new URL('../test/baseline/sensitive-words.txt', import.meta.url));
const asJson = process.argv.includes('--json');
const verbose = process.argv.includes('--verbose');

interface SetScores {
  name: string;
  method: string;
  review: EvalReport;
  screen: EvalReport;
  baseline: EvalReport;
  /** The analyser's recall at the lowest threshold whose false-positive rate is at most the baseline's. */
  atBaselineFp: { threshold: number; recall: number; falsePositiveRate: number } | null;
}

function atMostFp(scored: { clause: FeaturedClause; probability: number }[], maxFp: number): SetScores['atBaselineFp'] {
  const positives = scored.filter((s) => s.clause.label === 'violation');
  const negatives = scored.filter((s) => s.clause.label === 'compliant');
  if (negatives.length === 0) return null;
  for (let step = 1; step <= 99; step++) {
    const threshold = step / 100;
    const fp = negatives.filter((s) => s.probability >= threshold).length / negatives.length;
    if (fp <= maxFp) return { threshold, falsePositiveRate: fp, recall: positives.filter((s) => s.probability >= threshold).length / Math.max(1, positives.length) };
  }
  return null;
}

const started = performance.now();
const analyzer = loadAnalyzer();
const engine = loadRuleEngine();
const words = readWordList(BASELINE);
const sets = loadSets();
const featured = new Map<LoadedSet, FeaturedClause[]>(sets.map((s) => [s, featurize(engine, s.clauses)]));
const pool = sets.filter((s) => s.training).flatMap((s) => featured.get(s)!);
const thresholds = analyzer.model.thresholds;

const results: SetScores[] = [];
for (const set of sets) {
  const clauses = featured.get(set)!;
  let scored: { clause: FeaturedClause; probability: number; items: Record<OperatingPoint, string[]> }[];
  let method: string;
  if (set.training) {
    scored = crossValidate(engine, pool, clauses, (c) => c.group, thresholds);
    method = `grouped cross-validation, ${set.grouping}`;
  } else {
    scored = clauses.map((clause) => {
      const review = analyzer.analyzeClause(clause.text, { point: 'review' });
      const screen = analyzer.analyzeClause(clause.text, { point: 'screen' });
      return { clause, probability: review.probability, items: { review: review.items, screen: screen.items } };
    });
    method = 'committed model, never trained on';
  }
  const verdicts = (point: OperatingPoint): Verdict[] => scored.map((s) => ({ clause: s.clause, items: s.items[point] }));
  const baseline = scoreVerdicts(baselineVerdicts(words, clauses));
  results.push({
    name: set.name,
    method,
    review: scoreVerdicts(verdicts('review')),
    screen: scoreVerdicts(verdicts('screen')),
    baseline,
    atBaselineFp: Number.isNaN(baseline.falsePositiveRate) ? null : atMostFp(scored, baseline.falsePositiveRate),
  });
}

const pct = (x: number) => (Number.isNaN(x) ? '   n/a' : `${(x * 100).toFixed(1).padStart(5)}%`);
const heldOut = new Set(sets.filter((s) => !s.training).map((s) => s.name));
if (asJson) {
  const plain = results.map((r) => ({ ...r, review: { ...r.review, errors: [] }, screen: { ...r.screen, errors: [] }, baseline: { ...r.baseline, errors: [] } }));
  console.log(JSON.stringify({ checklistVersion: analyzer.checklistVersion, thresholds, baselineWords: words.length, sets: plain }, null, 2));
} else {
  console.log(`checklist version ${analyzer.checklistVersion}; thresholds review ${thresholds.review}, screen ${thresholds.screen}; baseline ${words.length} words`);
  for (const r of results) {
    console.log(`\n== ${r.name}\n   ${r.method}; clauses ${r.review.total} (violations ${r.review.violations}, compliant ${r.review.compliant})`);
    console.log(`   ${''.padEnd(24)}  recall   FP rate  precision  item acc.`);
    const row = (label: string, e: EvalReport) =>
      console.log(`   ${label.padEnd(24)} ${pct(e.recall)}   ${pct(e.falsePositiveRate)}   ${pct(e.precision)}   ${pct(e.itemAccuracy)}  (${e.itemCorrect}/${e.itemKnownFlagged})`);
    row(`analyser review (${thresholds.review})`, r.review);
    row(`analyser screen (${thresholds.screen})`, r.screen);
    row('sensitive-word baseline', r.baseline);
    if (r.atBaselineFp) {
      console.log(`   analyser at the baseline's FP rate: recall ${pct(r.atBaselineFp.recall)} at FP ${pct(r.atBaselineFp.falsePositiveRate)} (threshold ${r.atBaselineFp.threshold})`);
    }
    const categories = Object.entries(r.review.perCategory)
      .map(([c, v]) => `${c} ${v.flagged}/${v.total}`)
      .join(', ');
    const baseCategories = Object.entries(r.baseline.perCategory)
      .map(([c, v]) => `${c} ${v.flagged}/${v.total}`)
      .join(', ');
    console.log(`   recall per category (review): ${categories}\n   recall per category (baseline): ${baseCategories}`);
    if (verbose && !heldOut.has(r.name)) for (const e of r.review.errors) console.log(`   ${e.id} [${e.kind}] gold=${e.gold ?? '-'} got=${e.got.join(',') || '-'}  ${e.text}`);
  }
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
