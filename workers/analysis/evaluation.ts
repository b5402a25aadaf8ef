/**
 * Metrics over labelled clauses ({id, text, label: "violation"|"compliant", item}), shared by scripts/eval.ts
 * and the regression tests, for the analyser and for the sensitive-word baseline alike.
 */
import { readFileSync } from 'node:fs';
import { parseLabelledClauses, type LabelledClause } from '../../checklists/index.js';
import type { AnalyzeOptions, Analyzer } from './analyze.js';

export type { LabelledClause };

export function readLabelledClauses(path: string): LabelledClause[] {
  const problems: string[] = [];
  const clauses = parseLabelledClauses(path, readFileSync(path, 'utf8'), problems);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return clauses;
}

export interface EvalError {
  id: string;
  kind: 'missed' | 'false-positive' | 'wrong-item';
  gold: string | null;
  got: string[];
  text: string;
}

export interface EvalReport {
  total: number;
  violations: number;
  compliant: number;
  truePositives: number;
  falsePositives: number;
  itemCorrect: number;
  /** Flagged violations whose gold item is known: the denominator of item accuracy. */
  itemKnownFlagged: number;
  recall: number;
  falsePositiveRate: number;
  precision: number;
  itemAccuracy: number;
  perCategory: Record<string, { total: number; flagged: number; itemCorrect: number; recall: number }>;
  errors: EvalError[];
}

/** What an analyser (or a baseline) answered for one labelled clause: the items it flagged, best first. */
export interface Verdict {
  clause: Pick<LabelledClause, 'id' | 'text' | 'label'> & { item: string | null };
  items: string[];
}

/**
 * Recall on violations, false-positive rate on compliant clauses, precision, and item accuracy: the first
 * flagged item equals the gold item, over the flagged violations whose item is known (recall says how many
 * were flagged at all).
 */
export function scoreVerdicts(verdicts: Verdict[]): EvalReport {
  let tp = 0;
  let fp = 0;
  let itemCorrect = 0;
  let itemKnownFlagged = 0;
  const perCategory: EvalReport['perCategory'] = {};
  const errors: EvalError[] = [];
  for (const { clause: c, items } of verdicts) {
    const flagged = items.length > 0;
    if (c.label === 'violation') {
      const category = (c.item ?? 'unknown').split('-')[0]!;
      const cat = (perCategory[category] ??= { total: 0, flagged: 0, itemCorrect: 0, recall: 0 });
      cat.total++;
      if (flagged) {
        tp++;
        cat.flagged++;
        if (c.item === null) continue;
        itemKnownFlagged++;
        if (items[0] === c.item) {
          itemCorrect++;
          cat.itemCorrect++;
        } else errors.push({ id: c.id, kind: 'wrong-item', gold: c.item, got: items, text: c.text });
      } else errors.push({ id: c.id, kind: 'missed', gold: c.item, got: [], text: c.text });
    } else if (flagged) {
      fp++;
      errors.push({ id: c.id, kind: 'false-positive', gold: null, got: items, text: c.text });
    }
  }
  for (const cat of Object.values(perCategory)) cat.recall = cat.flagged / cat.total;
  const violations = verdicts.filter((v) => v.clause.label === 'violation').length;
  const compliant = verdicts.length - violations;
  return {
    total: verdicts.length,
    violations,
    compliant,
    truePositives: tp,
    falsePositives: fp,
    itemCorrect,
    itemKnownFlagged,
    recall: tp / violations,
    falsePositiveRate: fp / compliant,
    precision: tp / (tp + fp),
    itemAccuracy: itemCorrect / itemKnownFlagged,
    perCategory: Object.fromEntries(Object.entries(perCategory).sort(([a], [b]) => a.localeCompare(b))),
    errors,
  };
}

export function evaluateClauses(analyzer: Analyzer, clauses: LabelledClause[], options: AnalyzeOptions = {}): EvalReport {
  return scoreVerdicts(clauses.map((clause) => ({ clause, items: analyzer.analyzeClause(clause.text, options).items })));
}

/** The sensitive-word baseline: a clause is flagged when it contains any of the words (its "item" is the first word). */
export function baselineVerdicts(words: readonly string[], clauses: Verdict['clause'][]): Verdict[] {
  return clauses.map((clause) => {
    const hit = words.find((w) => clause.text.includes(w));
    return { clause, items: hit ? [`word:${hit}`] : [] };
  });
}

/** Reads a word list: one word per line, # comments and blank lines ignored. */
export function readWordList(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));
}
