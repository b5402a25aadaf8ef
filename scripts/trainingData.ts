/**
 * The labelled clauses the clause model learns from and is evaluated on, read where they live:
 * our own clauses in checklists/data (committed), the shared real sets in ../shared/eval (read at run time,
 * never copied into the project), reviewers' decisions exported from a deployment (`--with FILE`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { ITEM_IDS, type ItemId } from '../checklists/index.js';
import type { TrainingClause } from '../workers/analysis/model/train.js';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const sharedEval = `${repoRoot}../shared/eval/`;

interface RawClause {
  id?: unknown;
  text?: unknown;
  label?: unknown;
  item?: unknown;
  batch?: unknown;
  doc?: unknown;
}

/** k folds for clauses with no natural group, by a hash of the id (stable whatever the file order). */
function hashFold(id: string, k: number): number {
  return createHash('sha256').update(id).digest().readUInt32LE(0) % k;
}

/**
 * Reads JSON Lines of labelled clauses. A line that is not a labelled clause is an error naming the file
 * and line: training on half a file would be worse than stopping.
 */
export function readClauses(
  path: string,
  source: string,
  groupOf: (raw: RawClause, id: string) => string,
  documentOf?: (raw: RawClause) => string,
): TrainingClause[] {
  const out: TrainingClause[] = [];
  const documents = new Map<string, string | undefined>();
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim().length === 0) return;
      let raw: RawClause;
      try {
        raw = JSON.parse(line) as RawClause;
      } catch {
        throw new Error(`${path}:${i + 1}: 不是 JSON`);
      }
      const where = `${path}:${i + 1}`;
      if (typeof raw.id !== 'string' || raw.id.length === 0) throw new Error(`${where}: 缺少 id`);
      if (typeof raw.text !== 'string' || raw.text.trim().length === 0) throw new Error(`${where}: 缺少 text`);
      if (raw.label !== 'violation' && raw.label !== 'compliant') throw new Error(`${where}: label 应为 violation 或 compliant`);
      const item = raw.item ?? null;
      if (item !== null && !(ITEM_IDS as readonly unknown[]).includes(item)) throw new Error(`${where}: 未知的审查事项 ${String(item)}`);
      // a compliant clause may name the item it comes near; only a violation's item is a label
      const label = raw.label;
      const clause: TrainingClause = { id: raw.id, text: raw.text, label, item: label === 'violation' ? (item as ItemId | null) : null, source, group: groupOf(raw, raw.id) };
      if (documentOf) {
        const documentPath = documentOf(raw);
        if (!documents.has(documentPath)) documents.set(documentPath, readDocumentBody(documentPath));
        const text = documents.get(documentPath);
        const start = text?.indexOf(raw.text) ?? -1;
        // a clause its document does not hold verbatim is read alone
        if (text !== undefined && start >= 0) clause.inDocument = { text, start, end: start + raw.text.length };
      }
      out.push(clause);
    });
  return out;
}

/** A real document's text: its file without the first two lines (the title and the source address). */
function readDocumentBody(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  return readFileSync(path, 'utf8').split('\n').slice(2).join('\n');
}

export interface ClauseSet {
  name: string;
  source: string;
  path: string;
  /** Trained on by the committed model (then evaluated by grouped cross-validation, or in-sample). */
  training: boolean;
  /** How its cross-validation groups are formed, in words. */
  grouping: string;
  groupOf: (raw: RawClause, id: string) => string;
  /** The file of the whole document a clause was taken from, when the set has them: the clause is read there. */
  documentOf?: (raw: RawClause) => string;
}

const OWN_FOLDS = 5;

export const CLAUSE_SETS: ClauseSet[] = [
  {
    name: 'own training clauses (checklists/data/training-clauses.jsonl)',
    source: 'own',
    path: `${repoRoot}checklists/data/training-clauses.jsonl`,
    training: true,
    grouping: `${OWN_FOLDS} folds by id`,
    groupOf: (_, id) => `own-${hashFold(id, OWN_FOLDS)}`,
  },
  {
    name: 'own real-style training clauses, incl. procurement documents (checklists/data/training-realstyle.jsonl)',
    source: 'own-realstyle',
    path: `${repoRoot}checklists/data/training-realstyle.jsonl`,
    training: true,
    grouping: `${OWN_FOLDS} folds by id`,
    groupOf: (_, id) => `realstyle-${hashFold(id, OWN_FOLDS)}`,
  },
  {
    name: 'own real-style documents, every clause labelled (checklists/data/documents)',
    source: 'own-realstyle',
    path: `${repoRoot}checklists/data/documents/clauses.jsonl`,
    training: true,
    grouping: 'by document; each clause read where it stands in its document',
    groupOf: (raw) => `own-doc:${String(raw.doc)}`,
    documentOf: (raw) => `${repoRoot}checklists/data/documents/${String(raw.doc)}.txt`,
  },
  {
    name: 'shared dev set (../shared/eval/dev-clauses.jsonl)',
    source: 'dev',
    path: `${sharedEval}dev-clauses.jsonl`,
    training: true,
    grouping: `${OWN_FOLDS} folds by id`,
    groupOf: (_, id) => `dev-${hashFold(id, OWN_FOLDS)}`,
  },
  {
    name: 'shared real published cases (../shared/eval/real-dev-cases.jsonl)',
    source: 'real-cases',
    path: `${sharedEval}real-dev-cases.jsonl`,
    training: true,
    grouping: 'by batch',
    groupOf: (raw) => `batch:${String(raw.batch)}`,
  },
  {
    name: 'shared real documents (../shared/eval/real-docs/clauses.jsonl)',
    source: 'real-docs',
    path: `${sharedEval}real-docs/clauses.jsonl`,
    training: true,
    grouping: 'by document; each clause read where it stands in its document',
    groupOf: (raw) => `doc:${String(raw.doc)}`,
    documentOf: (raw) => `${sharedEval}real-docs/${String(raw.doc)}.txt`,
  },
  {
    name: 'own fixtures (test/fixtures/clauses.jsonl; the rules were tuned on them, the model never)',
    source: 'own-fixtures',
    path: `${repoRoot}test/fixtures/clauses.jsonl`,
    training: false,
    grouping: '',
    groupOf: () => 'fixtures',
  },
  {
    name: 'own held-out set (test/fixtures/heldout-clauses.jsonl; never tuned or trained on)',
    source: 'own-heldout',
    path: `${repoRoot}test/fixtures/heldout-clauses.jsonl`,
    training: false,
    grouping: '',
    groupOf: () => 'heldout',
  },
  {
    name: 'own real-style held-out set (test/fixtures/heldout-realstyle.jsonl; never tuned or trained on)',
    source: 'own-heldout-realstyle',
    path: `${repoRoot}test/fixtures/heldout-realstyle.jsonl`,
    training: false,
    grouping: '',
    groupOf: () => 'heldout-realstyle',
  },
];

export interface LoadedSet extends ClauseSet {
  clauses: TrainingClause[];
}

/** The sets whose files exist (the shared ones only beside a checkout that has ../shared). */
export function loadSets(): LoadedSet[] {
  return CLAUSE_SETS.filter((s) => existsSync(s.path)).map((s) => ({ ...s, clauses: readClauses(s.path, s.source, s.groupOf, s.documentOf) }));
}

/** Reviewers' decisions exported by `fairreview export-decisions`, as training clauses of their own source. */
export function readDecisions(path: string): TrainingClause[] {
  return readClauses(path, 'decisions', (_, id) => `decisions-${hashFold(id, OWN_FOLDS)}`);
}
