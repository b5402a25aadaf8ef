/**
 * Clause-level comparison of two versions of a draft: which clauses (articles, or the top-level paragraphs of a
 * text without articles) were changed, added or removed, and which of the earlier version's findings each change
 * resolved. Pure: clauses and findings in, the comparison out.
 *
 * Clauses are matched by their text without the article number, so an article that only moved (第四条 became
 * 第三条 after a deletion) counts as unchanged. The order is kept: the longest common run of unchanged clauses
 * anchors the comparison, and between two anchors the removed and added clauses are paired in order as changes.
 */
import { resolvedSincePrevious, type ComparableFinding } from './findingReview';

export interface Clause {
  /** "第十二条", "第1段" */
  label: string;
  path: string;
  text: string;
  start: number;
  end: number;
}

export interface LocatedFinding extends ComparableFinding {
  start: number;
}

export type ChangeKind = 'changed' | 'added' | 'removed';

export interface ClauseChange {
  kind: ChangeKind;
  before: Clause | null;
  after: Clause | null;
  /** Findings of the earlier version on the earlier clause that the later version no longer raises. */
  resolved: ComparableFinding[];
  /** How many findings the later version raises on the later clause. */
  findingsNow: number;
}

export interface VersionComparison {
  from: number;
  to: number;
  unchanged: number;
  changes: ClauseChange[];
  /** Resolved findings on clauses whose text did not change (the analysis itself changed). */
  resolvedElsewhere: ComparableFinding[];
  resolvedCount: number;
}

/** The clause's text as compared: no article number, no whitespace. */
export function clauseKey(clause: Pick<Clause, 'label' | 'text'>): string {
  const text = clause.text.replace(/\s+/g, '');
  const label = clause.label.replace(/\s+/g, '');
  return label && text.startsWith(label) ? text.slice(label.length) : text;
}

/** Index pairs [i, j] of the longest common subsequence of two key lists. */
function commonRun(a: readonly string[], b: readonly string[]): Array<[number, number]> {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const length = new Uint32Array(rows * cols);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      length[i * cols + j] = a[i] === b[j] ? length[(i + 1) * cols + j + 1]! + 1 : Math.max(length[(i + 1) * cols + j]!, length[i * cols + j + 1]!);
    }
  }
  const pairs: Array<[number, number]> = [];
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] === b[j]) pairs.push([i++, j++]);
    else if (length[(i + 1) * cols + j]! >= length[i * cols + j + 1]!) i++;
    else j++;
  }
  return pairs;
}

const within = (clause: Clause, offset: number) => offset >= clause.start && offset < clause.end;

export function compareVersions(
  from: { n: number; clauses: readonly Clause[]; findings: readonly LocatedFinding[] },
  to: { n: number; clauses: readonly Clause[]; findings: readonly LocatedFinding[] },
): VersionComparison {
  const anchors = commonRun(from.clauses.map(clauseKey), to.clauses.map(clauseKey));
  const changes: Array<Omit<ClauseChange, 'resolved' | 'findingsNow'>> = [];
  let i = 0;
  let j = 0;
  for (const [ai, bj] of [...anchors, [from.clauses.length, to.clauses.length] as [number, number]]) {
    const removed = from.clauses.slice(i, ai);
    const added = to.clauses.slice(j, bj);
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      const before = removed[k] ?? null;
      const after = added[k] ?? null;
      changes.push({ kind: before && after ? 'changed' : before ? 'removed' : 'added', before, after });
    }
    i = ai + 1;
    j = bj + 1;
  }

  const resolvedIds = new Set(resolvedSincePrevious(from.n, from.findings, to.findings).findings.map((f) => f.id));
  const resolved = from.findings.filter((f) => resolvedIds.has(f.id));
  const placed = new Set<string>();
  const view = ({ id, itemId, path, text }: LocatedFinding): ComparableFinding => ({ id, itemId, path, text });
  const withFindings = changes.map((change) => {
    const mine = change.before ? resolved.filter((f) => within(change.before!, f.start)) : [];
    for (const f of mine) placed.add(f.id);
    return {
      ...change,
      resolved: mine.map(view),
      findingsNow: change.after ? to.findings.filter((f) => within(change.after!, f.start)).length : 0,
    };
  });
  return {
    from: from.n,
    to: to.n,
    unchanged: anchors.length,
    changes: withFindings,
    resolvedElsewhere: resolved.filter((f) => !placed.has(f.id)).map(view),
    resolvedCount: resolved.length,
  };
}
