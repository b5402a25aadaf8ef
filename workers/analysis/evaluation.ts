/**
 * Metrics over labelled clauses ({id, text, label: "violation"|"compliant", item}), shared by scripts/eval.ts
 * and the regression test.
 */
import { readFileSync } from 'node:fs';
import { parseLabelledClauses, type LabelledClause } from '../../checklists/index.js';
import type { Analyzer } from './analyze.js';

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
  recall: number;
  falsePositiveRate: number;
  precision: number;
  itemAccuracy: number;
  perCategory: Record<string, { total: number; flagged: number; itemCorrect: number; recall: number }>;
  errors: EvalError[];
}

export function evaluateClauses(analyzer: Analyzer, clauses: LabelledClause[]): EvalReport {
  let tp = 0;
  let fp = 0;
  let itemCorrect = 0;
  const perCategory: EvalReport['perCategory'] = {};
  const errors: EvalError[] = [];
  for (const c of clauses) {
    const result = analyzer.analyzeClause(c.text);
    if (c.label === 'violation') {
      const category = (c.item ?? 'unknown').split('-')[0]!;
      const cat = (perCategory[category] ??= { total: 0, flagged: 0, itemCorrect: 0, recall: 0 });
      cat.total++;
      if (result.flagged) {
        tp++;
        cat.flagged++;
        if (result.items[0] === c.item) {
          itemCorrect++;
          cat.itemCorrect++;
        } else errors.push({ id: c.id, kind: 'wrong-item', gold: c.item, got: result.items, text: c.text });
      } else errors.push({ id: c.id, kind: 'missed', gold: c.item, got: [], text: c.text });
    } else if (result.flagged) {
      fp++;
      errors.push({ id: c.id, kind: 'false-positive', gold: null, got: result.items, text: c.text });
    }
  }
  for (const cat of Object.values(perCategory)) cat.recall = cat.flagged / cat.total;
  const violations = clauses.filter((c) => c.label === 'violation').length;
  const compliant = clauses.length - violations;
  return {
    total: clauses.length,
    violations,
    compliant,
    truePositives: tp,
    falsePositives: fp,
    itemCorrect,
    recall: tp / violations,
    falsePositiveRate: fp / compliant,
    precision: tp / (tp + fp),
    itemAccuracy: itemCorrect / violations,
    perCategory: Object.fromEntries(Object.entries(perCategory).sort(([a], [b]) => a.localeCompare(b))),
    errors,
  };
}
