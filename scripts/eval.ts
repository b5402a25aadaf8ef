/**
 * npm run eval [-- --verbose] [-- --json]
 *
 * Scores the analyser on the labelled clause sets:
 *  - test/fixtures/clauses.jsonl, the project's own clauses written after the rules (the rules were tuned on
 *    their errors; the item model never learns from them);
 *  - checklists/data/training-clauses.jsonl, the item model's training clauses (in-sample, so optimistic);
 *  - the shared development set ../shared/eval/dev-clauses.jsonl (relative to the repository root) when it exists;
 *  - the held-out set test/fixtures/heldout-clauses.jsonl (written from the rulebook and published review cases
 *    by someone who had not seen the analyser or the dev set). It measures generalisation only: its
 *    clause-level errors are never printed, and it is not to be tuned against.
 * Prints recall on violations, false-positive rate on compliant clauses, precision, item accuracy (first
 * reported item = gold item, over all violating clauses) and recall per category.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadAnalyzer } from '../workers/analysis/analyze.js';
import { evaluateClauses, readLabelledClauses, type EvalReport } from '../workers/analysis/evaluation.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const datasets = [
  { name: 'own fixtures (test/fixtures/clauses.jsonl)', path: `${repoRoot}test/fixtures/clauses.jsonl` },
  { name: 'item model training clauses, in-sample (checklists/data/training-clauses.jsonl)', path: `${repoRoot}checklists/data/training-clauses.jsonl` },
  { name: 'shared dev set (../shared/eval/dev-clauses.jsonl)', path: `${repoRoot}../shared/eval/dev-clauses.jsonl` },
  { name: 'held-out set, not for tuning (test/fixtures/heldout-clauses.jsonl)', path: `${repoRoot}test/fixtures/heldout-clauses.jsonl`, heldOut: true },
];

const verbose = process.argv.includes('--verbose');
const asJson = process.argv.includes('--json');
const pct = (x: number) => (Number.isNaN(x) ? '   n/a' : `${(x * 100).toFixed(1).padStart(5)}%`);

function printReport(name: string, r: EvalReport, showErrors: boolean): void {
  console.log(`\n== ${name}`);
  console.log(`clauses ${r.total} (violations ${r.violations}, compliant ${r.compliant})`);
  console.log(`recall (violations flagged)      ${pct(r.recall)}   ${r.truePositives}/${r.violations}`);
  console.log(`false-positive rate (compliant)  ${pct(r.falsePositiveRate)}   ${r.falsePositives}/${r.compliant}`);
  console.log(`precision                        ${pct(r.precision)}`);
  console.log(`item accuracy (first item=gold)  ${pct(r.itemAccuracy)}   ${r.itemCorrect}/${r.violations}`);
  console.log(`recall per category:`);
  for (const [category, c] of Object.entries(r.perCategory)) {
    console.log(`  ${category.padEnd(9)} ${pct(c.recall)}   ${c.flagged}/${c.total}   item-correct ${c.itemCorrect}/${c.total}`);
  }
  if (showErrors && r.errors.length > 0) {
    console.log('errors:');
    for (const e of r.errors) console.log(`  ${e.id} [${e.kind}] gold=${e.gold ?? '-'} got=${e.got.join(',') || '-'}  ${e.text}`);
  }
}

const analyzer = loadAnalyzer();
const reports: Record<string, EvalReport> = {};
const heldOut = new Set(datasets.filter((ds) => ds.heldOut).map((ds) => ds.name));
for (const ds of datasets) {
  if (!existsSync(ds.path)) {
    console.log(`\n== ${ds.name}\nskipped: ${ds.path} not found`);
    continue;
  }
  reports[ds.name] = evaluateClauses(analyzer, readLabelledClauses(ds.path));
}
if (asJson) {
  const withoutHeldOutErrors = Object.fromEntries(Object.entries(reports).map(([name, r]) => [name, heldOut.has(name) ? { ...r, errors: [] } : r]));
  console.log(JSON.stringify({ checklistVersion: analyzer.checklistVersion, reports: withoutHeldOutErrors }, null, 2));
} else {
  console.log(`checklist version ${analyzer.checklistVersion}; analyser start-up ${analyzer.startupMs.toFixed(0)} ms`);
  for (const [name, r] of Object.entries(reports)) printReport(name, r, verbose && !heldOut.has(name));
}
