/**
 * What the analyser gives on the project's own fixtures, reduced to sha256 digests: a regulation-style
 * document built from test/fixtures/clauses.jsonl (as `npm run bench -- analyze` builds it, at two lengths),
 * analysed at both operating points, and every fixture clause analysed alone with its model features.
 * test/fixtures/analysis-pin.json holds the digests of the committed rules and model, so a change meant only
 * to make the analyser faster can show it changed no finding, score or feature.
 *
 * Rewrite the pin after a change that alters results on purpose (new rules, a retrained model):
 *   npx tsx test/support/pinnedAnalysis.ts --write
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { clauseVector, loadAnalyzer, loadRuleEngine } from '../../workers/analysis/analyze.js';
import { OPERATING_POINTS } from '../../workers/analysis/model/clauseModel.js';
import { benchPolicyText } from '../../bench/analyze.js';

export const PIN_FILE = fileURLToPath(new URL('../fixtures/analysis-pin.json', import.meta.url));
const FIXTURES = ['clauses.jsonl', 'heldout-clauses.jsonl', 'heldout-realstyle.jsonl'];

export interface AnalysisPin {
  checklistVersion: string;
  /** sha256 of the committed model artefact the digests were taken with. */
  model: string;
  /** Part of the fixtures → sha256 of its results. */
  digests: Record<string, string>;
}

function fixtureTexts(file: string): string[] {
  const path = fileURLToPath(new URL(`../fixtures/${file}`, import.meta.url));
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { text: string }).text);
}

function sha256(parts: unknown[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(JSON.stringify(part)).update('\n');
  return hash.digest('hex');
}

export function currentPin(): AnalysisPin {
  const analyzer = loadAnalyzer();
  const engine = loadRuleEngine();
  const digests: Record<string, string> = {};
  const clauses = fixtureTexts('clauses.jsonl');
  for (const chars of [3_000, 20_000]) {
    const text = benchPolicyText(chars, clauses);
    digests[`document of ${chars} characters`] = sha256(OPERATING_POINTS.map((point) => analyzer.analyzeText(text, { point })));
  }
  for (const file of FIXTURES) {
    const results: unknown[] = [];
    for (const text of fixtureTexts(file)) {
      for (const point of OPERATING_POINTS) results.push(analyzer.analyzeClause(text, { point }));
      const vector = clauseVector(engine, text);
      results.push(vector ? [Array.from(vector.index), Array.from(vector.value)] : null);
    }
    digests[`clauses of ${file}`] = sha256(results);
  }
  return {
    checklistVersion: analyzer.checklistVersion,
    model: createHash('sha256').update(JSON.stringify(analyzer.model.artefact)).digest('hex'),
    digests,
  };
}

export function readPin(): AnalysisPin {
  return JSON.parse(readFileSync(PIN_FILE, 'utf8')) as AnalysisPin;
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--write')) {
  writeFileSync(PIN_FILE, `${JSON.stringify(currentPin(), null, 2)}\n`);
  console.log(`wrote ${PIN_FILE}`);
}
