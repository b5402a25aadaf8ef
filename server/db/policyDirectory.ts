/**
 * The policy summaries held in memory by each API process, kept current from the change sequence that
 * policySummaries.ts publishes. Lists and statistics filter, sort and count here (summaryIndex.ts: a list request
 * costs its page, statistics are computed once per change), so what they cost does not grow with what the store
 * must read: the embedded store (FerretDB v1 on SQLite) answers only `_id` lookups without
 * reading and decoding the whole collection, and sorts in memory, so a list query in the store costs a full read of
 * every policy. Memory: about 1 kB per policy.
 *
 * Before answering, `sync` reads the sequence's counter (one `_id` lookup) and fetches the changes it has not seen
 * by their `_id`, so a request sees every change acknowledged before it arrived, whichever process made it. A
 * change whose number is taken but not yet written (its writer is between the two steps) is looked for again on
 * the next syncs and given up after `GAP_GRACE_MS` (its writer died; the worker's rebuild repairs the summary).
 * More than `MAX_CATCH_UP` changes behind, or at the first use, it reloads all summaries.
 */
import type { ListSelection, PolicySort, PolicySummary, SortOrder } from '../domain/policySummary';
import type { Models } from './models/index';
import type { PolicySummaryChangeDoc, StoredSummary } from './models/policySummary';
import { SUMMARY_SEQUENCE, changeKey, toSummary } from './policySummaries';
import { SummaryIndex, type Page } from './summaryIndex';

const MAX_CATCH_UP = 1000;
const GAP_GRACE_MS = 30_000;
/**
 * After a full reload, the changes numbered shortly before it are looked for during a few seconds: a writer may
 * have taken its number before the reload and written its summary after it.
 */
const IN_FLIGHT_WINDOW = 10;
const IN_FLIGHT_GRACE_MS = 2_000;

export class PolicyDirectory {
  private readonly summaries = new SummaryIndex();
  /** the number of the change each summary held comes from */
  private readonly seqs = new Map<string, number>();
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

  /** One page of the selection in `sort` order, with the selection's total; costs what the page holds. */
  page(selection: ListSelection, sort: PolicySort, order: SortOrder, page: number, pageSize: number): Page {
    return this.summaries.page(selection, sort, order, page, pageSize);
  }

  /** `compute` over every summary, computed again only once the summaries changed (statistics). */
  derive<T>(key: string, compute: (summaries: Iterable<PolicySummary>) => T): T {
    return this.summaries.derive(key, compute);
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
        this.apply(change.policyId, change.summary ? toSummary({ ...change.summary, _id: change.policyId, seq }) : null, seq);
      } else if (!this.gaps.has(seq)) this.gaps.set(seq, now + GAP_GRACE_MS);
      else if (now > this.gaps.get(seq)!) this.gaps.delete(seq);
    });
  }

  private async reload(head: number): Promise<void> {
    const stored = await this.models.PolicySummary.find({}).lean<StoredSummary[]>();
    this.summaries.reset(stored.map(toSummary));
    this.seqs.clear();
    for (const doc of stored) this.seqs.set(doc._id, doc.seq);
    this.gaps.clear();
    const now = this.now();
    for (let seq = Math.max(1, head - IN_FLIGHT_WINDOW + 1); seq <= head; seq++) this.gaps.set(seq, now + IN_FLIGHT_GRACE_MS);
    this.syncedThrough = head;
  }

  private apply(policyId: string, summary: PolicySummary | null, seq: number): void {
    if ((this.seqs.get(policyId) ?? -1) >= seq) return;
    if (summary) {
      this.summaries.put(summary);
      this.seqs.set(policyId, seq);
    } else {
      this.summaries.remove(policyId);
      this.seqs.delete(policyId);
    }
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
