/**
 * The policy summaries one process holds (policyDirectory.ts keeps them current), arranged so that what a request
 * costs grows with what it answers, not with the number of policies:
 * - every summary in each list order (a change moves one row: binary search and one splice);
 * - the rows of recently asked list selections (visibility and filters), in each order asked, kept current by every
 *   change like the orders, so a list request copies only its page;
 * - figures derived from all summaries (the statistics), computed once per state of the summaries.
 */
import { SORT_ORDER, deadlineless, type ListSelection, type PolicySort, type PolicySummary, type SortOrder } from '../domain/policySummary';

/** Selections and derived figures kept; the least recently used goes first. */
const MAX_SELECTIONS = 64;
const MAX_DERIVED = 32;

/** Summaries in one order. */
class SortedRows {
  /** `rows`: already in this order */
  constructor(private readonly compare: (a: PolicySummary, b: PolicySummary) => number, readonly rows: PolicySummary[] = []) {}

  private position(summary: PolicySummary): number {
    let low = 0;
    let high = this.rows.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.compare(this.rows[mid]!, summary) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  insert(summary: PolicySummary): void {
    this.rows.splice(this.position(summary), 0, summary);
  }

  /** Removes a summary these rows hold. */
  remove(summary: PolicySummary): void {
    const at = this.position(summary);
    this.rows.splice(this.rows[at] === summary ? at : this.rows.indexOf(summary), 1);
  }

  /** How many rows come before the first without the sort key (they come last: `deadlineless`). */
  keyed(sort: PolicySort): number {
    let low = 0;
    let high = this.rows.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (deadlineless(sort, this.rows[mid]!)) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}

export interface Page {
  items: PolicySummary[];
  total: number;
}

interface CachedSelection { matches: ListSelection['matches']; rows: SortedRows }

export class SummaryIndex {
  private readonly byId = new Map<string, PolicySummary>();
  private orders = this.ordersOf([]);
  /** by sort and selection key */
  private readonly selections = new Map<string, CachedSelection>();
  private readonly derived = new Map<string, { version: number; value: unknown }>();
  /** moves on with every change of the summaries */
  private version = 0;

  get size(): number {
    return this.byId.size;
  }

  /** Replaces every summary. */
  reset(summaries: PolicySummary[]): void {
    this.byId.clear();
    for (const summary of summaries) this.byId.set(summary.id, summary);
    this.orders = this.ordersOf(summaries);
    this.selections.clear();
    this.version++;
  }

  /** Adds or replaces the summary of `summary.id`. */
  put(summary: PolicySummary): void {
    this.drop(summary.id);
    this.byId.set(summary.id, summary);
    for (const order of Object.values(this.orders)) order.insert(summary);
    for (const selection of this.selections.values()) if (selection.matches(summary)) selection.rows.insert(summary);
    this.version++;
  }

  remove(id: string): void {
    this.drop(id);
    this.version++;
  }

  private drop(id: string): void {
    const current = this.byId.get(id);
    if (!current) return;
    this.byId.delete(id);
    for (const order of Object.values(this.orders)) order.remove(current);
    // A selection holds exactly the summaries it matches.
    for (const selection of this.selections.values()) if (selection.matches(current)) selection.rows.remove(current);
  }

  /** One page of the selection in `sort` order (`desc`: read backwards, rows without the key still last). */
  page(selection: ListSelection, sort: PolicySort, order: SortOrder, page: number, pageSize: number): Page {
    const rows = this.selected(selection, sort);
    const from = Math.min((page - 1) * pageSize, rows.rows.length);
    const to = Math.min(from + pageSize, rows.rows.length);
    const keyed = order === 'desc' ? rows.keyed(sort) : 0;
    const items: PolicySummary[] = [];
    for (let i = from; i < to; i++) items.push(rows.rows[order === 'desc' && i < keyed ? keyed - 1 - i : i]!);
    return { items, total: rows.rows.length };
  }

  /** `compute` over every summary, computed again only after the summaries changed. */
  derive<T>(key: string, compute: (summaries: Iterable<PolicySummary>) => T): T {
    const cached = this.derived.get(key);
    if (cached?.version === this.version) return touch(this.derived, key, cached).value as T;
    const value = compute(this.byId.values());
    remember(this.derived, key, { version: this.version, value }, MAX_DERIVED);
    return value;
  }

  private selected(selection: ListSelection, sort: PolicySort): SortedRows {
    const key = `${sort}:${selection.key}`;
    const cached = this.selections.get(key);
    if (cached) return touch(this.selections, key, cached).rows;
    // Filtering rows already in order keeps them in order.
    const rows = new SortedRows(SORT_ORDER[sort], this.orders[sort].rows.filter(selection.matches));
    remember(this.selections, key, { matches: selection.matches, rows }, MAX_SELECTIONS);
    return rows;
  }

  private ordersOf(summaries: readonly PolicySummary[]): Record<PolicySort, SortedRows> {
    return Object.fromEntries(Object.entries(SORT_ORDER).map(([sort, compare]) => [sort, new SortedRows(compare, [...summaries].sort(compare))])) as Record<PolicySort, SortedRows>;
  }
}

/** Marks an entry as used most recently (a Map iterates in insertion order). */
function touch<V>(map: Map<string, V>, key: string, value: V): V {
  map.delete(key);
  map.set(key, value);
  return value;
}

function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  touch(map, key, value);
  if (map.size > max) map.delete(map.keys().next().value!);
}
