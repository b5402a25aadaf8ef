/**
 * The findings of the analyser, one document per flagged clause of a version, and the reviewer's decision on each.
 * This is the one place that maps them: from the analyser's result into the store (`replaceVersion`, ids derived
 * from the content so a second analysis writes the very same records) and from the store into the API's shape
 * (`FindingView`); and the one place that counts them per decision (the version's `findingCounts`).
 */
import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import { ConflictError } from '../domain/errors';
import type { FindingStatus } from '../domain/conclusion';
import type { ClauseDecision, ComparableFinding, FindingDecision } from '../domain/findingReview';
import type { FindingCounts } from '../domain/policy';
import { sumBy } from './aggregate';
import type { FindingDoc } from './models/finding';
import type { Models } from './models/index';
import { isObjectIdHex } from './storedValues';

type StoredFinding = FindingDoc & { _id: unknown };

export type FindingView = ReturnType<typeof toView>;

export interface FindingFilter {
  status?: 'pending' | 'confirmed' | 'dismissed';
  itemId?: string;
}

/** What the analyser said about the clause, the same in the store and in the API. */
export interface Clause {
  path: string;
  text: string;
  start: number;
  end: number;
  itemId: string;
  subItemId?: string | null;
  score: number;
  /** rules: the phrases an item's rules matched; model: the clause model's most telling phrases */
  evidenceSource?: 'rules' | 'model' | null;
  evidence: ReadonlyArray<{ phrase?: string | null; start?: number | null; end?: number | null }>;
  basis: string;
  explanation: string;
  suggestion: string;
}

function clauseFields(f: Clause) {
  return {
    path: f.path,
    text: f.text,
    start: f.start,
    end: f.end,
    itemId: f.itemId,
    ...(f.subItemId ? { subItemId: f.subItemId } : {}),
    score: f.score,
    evidenceSource: f.evidenceSource,
    evidence: f.evidence.map((e) => ({ phrase: e.phrase, start: e.start, end: e.end })),
    basis: f.basis,
    explanation: f.explanation,
    suggestion: f.suggestion,
  };
}

function toView(f: StoredFinding) {
  return { id: String(f._id), versionN: f.versionN, checklistVersion: f.checklistVersion, ...clauseFields(f), decision: f.decision };
}

/** A finding's id from what it is, so the same analysis always yields the same ids. */
function findingId(policyId: string, versionN: number, f: Pick<Clause, 'itemId' | 'subItemId' | 'start' | 'end'>): string {
  return createHash('sha256').update(`${policyId}|${versionN}|${f.itemId}|${f.subItemId ?? ''}|${f.start}|${f.end}`).digest('hex').slice(0, 24);
}

export class FindingRepository {
  constructor(private readonly models: Models) {}

  /** A version's findings in document order, optionally by decision and item. */
  async list(policyId: string, versionN: number, filter: FindingFilter = {}): Promise<FindingView[]> {
    const query = { policyId, versionN, ...(filter.status ? { 'decision.status': filter.status } : {}), ...(filter.itemId ? { itemId: filter.itemId } : {}) };
    const found = await this.models.Finding.find(query).sort({ start: 1, itemId: 1 }).lean<StoredFinding[]>();
    return found.map(toView);
  }

  /** One finding of the policy, or null for an unknown or malformed id. */
  async find(policyId: string, findingId: string): Promise<FindingView | null> {
    if (!isObjectIdHex(findingId)) return null;
    const found = await this.models.Finding.findOne({ _id: findingId, policyId }).lean<StoredFinding>();
    return found ? toView(found) : null;
  }

  /** What comparing two versions needs of each finding (see resolvedSincePrevious), with where its clause starts. */
  async comparable(policyId: string, versionN: number): Promise<Array<ComparableFinding & { start: number }>> {
    const found = await this.models.Finding.find({ policyId, versionN }, { itemId: 1, path: 1, text: 1, start: 1 }).sort({ start: 1 }).lean();
    return found.map((f) => ({ id: String(f._id), itemId: f.itemId, path: f.path, text: f.text, start: f.start }));
  }

  /** What carrying decisions from one version to the next compares (see planCarriedDecisions). */
  async clauseDecisions(policyId: string, versionN: number): Promise<ClauseDecision[]> {
    const found = await this.models.Finding.find({ policyId, versionN }, { itemId: 1, path: 1, text: 1, decision: 1 }).sort({ start: 1, itemId: 1 }).lean();
    return found.map((f) => ({ id: String(f._id), itemId: f.itemId, path: f.path ?? '', text: f.text ?? '', decision: f.decision }));
  }

  /** Each finding of one version with its decision status (what a conclusion is checked against). */
  async statuses(policyId: string, versionN: number | undefined): Promise<FindingStatus[]> {
    if (versionN === undefined) return [];
    const found = await this.models.Finding.find({ policyId, versionN }, { itemId: 1, path: 1, decision: 1 }).sort({ start: 1, itemId: 1 }).lean();
    return found.map((f) => ({ id: String(f._id), itemId: f.itemId, path: f.path ?? '', status: f.decision?.status ?? 'pending' }));
  }

  async ids(policyId: string, versionN: number): Promise<Set<string>> {
    const found = await this.models.Finding.find({ policyId, versionN }, { _id: 1 }).lean();
    return new Set(found.map((f) => String(f._id)));
  }

  /**
   * Replaces a version's findings with an analysis result (the analysis of an upload, or the screening of a
   * document that became a policy); returns how many there are.
   */
  async replaceVersion(policyId: string, versionN: number, checklistVersion: string, findings: readonly Clause[]): Promise<number> {
    const docs = findings.map((f) => ({ _id: findingId(policyId, versionN, f), policyId, versionN, checklistVersion, ...clauseFields(f) }));
    // The new findings go in first and only then do the others go, so a reader never sees the version without
    // findings, even while a second run of the same analysis (a worker presumed dead that was only slow) replaces them.
    try {
      await this.models.Finding.insertMany(docs, { ordered: false });
    } catch (err) {
      // The ids are derived from the content: a finding already there is exactly what this run would have written.
      if (!(err instanceof ConflictError && err.code === 'duplicate_key')) throw err;
    }
    await this.models.Finding.deleteMany({ policyId, versionN, _id: mongoose.trusted({ $nin: docs.map((d) => d._id) }) });
    return docs.length;
  }

  /** Every finding a reviewer confirmed or dismissed, oldest first (what the clause model may be retrained on). */
  async decided(): Promise<Array<{ id: string; text: string; itemId: string; status: 'confirmed' | 'dismissed'; reason: string }>> {
    const found = await this.models.Finding.find(
      { 'decision.status': mongoose.trusted({ $in: ['confirmed', 'dismissed'] }) },
      { text: 1, itemId: 1, decision: 1 },
    ).sort({ _id: 1 }).lean();
    return found.map((f) => ({ id: String(f._id), text: f.text, itemId: f.itemId, status: f.decision!.status as 'confirmed' | 'dismissed', reason: f.decision?.reason ?? '' }));
  }

  /** Sets a decision only where none was made yet (a carried decision never overrides a reviewer's); whether it applied. */
  async setDecisionIfPending(policyId: string, findingId: string, decision: FindingDecision): Promise<boolean> {
    const result = await this.models.Finding.updateOne({ _id: findingId, policyId, 'decision.status': 'pending' }, { $set: { decision } });
    return result.modifiedCount === 1;
  }

  async setDecision(findingId: string, decision: FindingDecision): Promise<FindingView | null> {
    const updated = await this.models.Finding.findOneAndUpdate({ _id: findingId }, { $set: { decision } }, { new: true }).lean<StoredFinding>();
    return updated ? toView(updated) : null;
  }

  /** A version's findings by reviewer decision (one $group, one accumulator: see sumBy). */
  async count(policyId: string, versionN: number): Promise<FindingCounts> {
    const byStatus = await sumBy(this.models.Finding, { policyId, versionN }, '$decision.status');
    const count = (status: string) => byStatus.get(status) ?? 0;
    return {
      total: count('pending') + count('confirmed') + count('dismissed'),
      open: count('pending'),
      confirmed: count('confirmed'),
      dismissed: count('dismissed'),
    };
  }
}
