/**
 * The policy summaries held in memory by each API process, kept current from the change sequence that
 * policySummaries.ts publishes. Lists and statistics filter, sort and count here, so what they cost does not grow
 * with what the store must read: the embedded store (FerretDB v1 on SQLite) answers only `_id` lookups without
 * reading and decoding the whole collection, and sorts in memory, so a list query in the store costs a full read of
 * every policy. Memory: about 1 kB per policy.
 *
 * Before answering, `sync` reads the sequence's counter (one `_id` lookup) and fetches the changes it has not seen
 * by their `_id`, so a request sees every change acknowledged before it arrived, whichever process made it. A
 * change whose number is taken but not yet written (its writer is between the two steps) is looked for again on
 * the next syncs and given up after `GAP_GRACE_MS` (its writer died; the worker's rebuild repairs the summary).
 * More than `MAX_CATCH_UP` changes behind, or at the first use, it reloads all summaries.
 */
import { SORT_ORDER, deadlineless, type PolicySort, type PolicySummary } from '../domain/policySummary';
import type { Models } from './models/index';
import type { PolicySummaryChangeDoc, StoredSummary } from './models/policySummary';
import { SUMMARY_SEQUENCE, changeKey, toSummary } from './policySummaries';

const MAX_CATCH_UP = 1000;
const GAP_GRACE_MS = 30_000;
/**
 * After a full reload, the changes numbered shortly before it are looked for during a few seconds: a writer may
 * have taken its number before the reload and written its summary after it.
 */
const IN_FLIGHT_WINDOW = 10;
const IN_FLIGHT_GRACE_MS = 2_000;

interface Row { summary: PolicySummary; seq: number }

/** Rows kept in one sort order; a change moves one row (binary search, one splice). */
class SortedRows {
  readonly rows: PolicySummary[] = [];
  constructor(private readonly compare: (a: PolicySummary, b: PolicySummary) => number) {}

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

  remove(summary: PolicySummary): void {
    const at = this.position(summary);
    if (this.rows[at] === summary) this.rows.splice(at, 1);
    else this.rows.splice(this.rows.indexOf(summary), 1);
  }

  reset(summaries: PolicySummary[]): void {
    this.rows.splice(0, this.rows.length, ...summaries.sort(this.compare));
  }
}

export interface Page {
  items: PolicySummary[];
  total: number;
}

export class PolicyDirectory {
  private readonly rows = new Map<string, Row>();
  private readonly orders = Object.fromEntries(Object.entries(SORT_ORDER).map(([key, compare]) => [key, new SortedRows(compare)])) as Record<PolicySort, SortedRows>;
  /** every change up to here is applied or waiting in `gaps`; -1 before the first load */
  private syncedThrough = -1;
  /** changes numbered but not found yet, with when to give up on each */
  private readonly gaps = new Map<number, number>();
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(private readonly models: Models, private readonly now: () => number = Date.now) {}

  /**
   * Applies every change published before this call. A sync already running may have read the counter before the
   * caller's own change, so callers arriving meanwhile share the one that starts after it.
   */
  sync(): Promise<void> {
    if (!this.running) {
      this.running = this.catchUp().finally(() => { this.running = undefined; });
      return this.running;
    }
    this.next ??= this.running.catch(() => undefined).then(() => {
      this.next = undefined;
      return this.sync();
    });
    return this.next;
  }

  /** One page of the summaries matching `predicate`, in `sort` order (`desc`: read backwards), with the total. */
  page(predicate: (s: PolicySummary) => boolean, sort: PolicySort, order: 'asc' | 'desc', page: number, pageSize: number): Page {
    const from = (page - 1) * pageSize;
    const items: PolicySummary[] = [];
    let total = 0;
    const take = (s: PolicySummary) => {
      if (!predicate(s)) return;
      if (total >= from && items.length < pageSize) items.push(s);
      total++;
    };
    const rows = this.orders[sort].rows;
    // Rows without the sort key (no running deadline) come last in either order.
    if (order === 'asc') for (const s of rows) take(s);
    else {
      for (let i = rows.length - 1; i >= 0; i--) if (!deadlineless(sort, rows[i]!)) take(rows[i]!);
      for (const s of rows) if (deadlineless(sort, s)) take(s);
    }
    return { items, total };
  }

  /** Every summary matching `predicate`, in no particular order. */
  all(predicate: (s: PolicySummary) => boolean): PolicySummary[] {
    const out: PolicySummary[] = [];
    for (const { summary } of this.rows.values()) if (predicate(summary)) out.push(summary);
    return out;
  }

  private async head(): Promise<number> {
    const counter = await this.models.Counter.findById(SUMMARY_SEQUENCE).lean();
    return counter?.seq ?? 0;
  }

  private async catchUp(): Promise<void> {
    const head = await this.head();
    if (this.syncedThrough < 0 || head - this.syncedThrough > MAX_CATCH_UP || head < this.syncedThrough) {
      await this.reload(head);
      return;
    }
    const wanted = [...this.gaps.keys()];
    for (let seq = this.syncedThrough + 1; seq <= head; seq++) wanted.push(seq);
    await this.fetch(wanted);
    this.syncedThrough = head;
  }

  private async fetch(seqs: number[]): Promise<void> {
    const changes = await Promise.all(seqs.map((seq) => this.models.PolicySummaryChange.findById(changeKey(seq)).lean<PolicySummaryChangeDoc>()));
    const now = this.now();
    seqs.forEach((seq, i) => {
      const change = changes[i];
      if (change) {
        this.gaps.delete(seq);
        this.apply(change.policyId, change.summary ? { ...change.summary, id: change.policyId } : null, seq);
      } else if (!this.gaps.has(seq)) this.gaps.set(seq, now + GAP_GRACE_MS);
      else if (now > this.gaps.get(seq)!) this.gaps.delete(seq);
    });
  }

  private async reload(head: number): Promise<void> {
    const stored = await this.models.PolicySummary.find({}).lean<StoredSummary[]>();
    this.rows.clear();
    for (const doc of stored) this.rows.set(doc._id, { summary: toSummary(doc), seq: doc.seq });
    const summaries = [...this.rows.values()].map((r) => r.summary);
    for (const order of Object.values(this.orders)) order.reset([...summaries]);
    this.gaps.clear();
    const now = this.now();
    for (let seq = Math.max(1, head - IN_FLIGHT_WINDOW + 1); seq <= head; seq++) this.gaps.set(seq, now + IN_FLIGHT_GRACE_MS);
    this.syncedThrough = head;
  }

  private apply(policyId: string, summary: PolicySummary | null, seq: number): void {
    const current = this.rows.get(policyId);
    if (current && current.seq >= seq) return;
    if (current) for (const order of Object.values(this.orders)) order.remove(current.summary);
    if (!summary) {
      this.rows.delete(policyId);
      return;
    }
    this.rows.set(policyId, { summary, seq });
    for (const order of Object.values(this.orders)) order.insert(summary);
  }
}

const directories = new WeakMap<Models, PolicyDirectory>();

/** The one directory of a store connection's models in this process (lists and statistics share it). */
export function policyDirectoryFor(models: Models): PolicyDirectory {
  let directory = directories.get(models);
  if (!directory) {
    directory = new PolicyDirectory(models);
    directories.set(models, directory);
  }
  return directory;
}
