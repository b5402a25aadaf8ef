/**
 * Screening batches and their documents as the domain types. Like every aggregate here, a batch's moves are ONE
 * conditional single-document update, guarded by state and rev, appending the event. A document's outcome is
 * recorded once however often its job runs (a retry, a worker presumed dead that was only slow): see recordOutcome.
 *
 * What runs once per file (adding it, reading it, recording its outcome) finds documents by `_id` alone: on the
 * embedded store (FerretDB on SQLite) a filter with any other field reads and parses every document of the
 * collection, which made each file cost a scan of all the batches' documents.
 */
import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import { ConflictError } from '../domain/errors';
import type { BatchCounts, ScreeningBatch } from '../domain/screeningBatch';
import type { BatchChange } from '../domain/screeningBatchWorkflow';
import type { DispositionSuggestion, DocumentStatus, ReviewChange, ScreeningOutcome } from '../domain/screeningDocument';
import { sumBy } from './aggregate';
import { isObjectIdHex, plain } from './storedValues';
import type { Models } from './models/index';
import type { ScreeningBatchDoc, ScreeningDocumentDoc } from './models/screening';

type Stored<T> = T & { _id: unknown };
export type StoredScreeningDocument = ScreeningDocumentDoc & { id: string };

function toBatch(doc: Stored<ScreeningBatchDoc>): ScreeningBatch {
  const { _id, ...fields } = doc;
  return { ...fields, id: String(_id) };
}

function toDocument(doc: Stored<ScreeningDocumentDoc>): StoredScreeningDocument {
  const { _id, ...fields } = doc;
  // a field stored as null can come back missing (an upsert's $setOnInsert on the embedded store)
  return { ...fields, fileChunks: fields.fileChunks ?? null, recheckPolicyId: fields.recheckPolicyId ?? null, review: fields.review ?? { status: 'pending' }, id: String(_id) };
}

export interface NewScreeningFile {
  sha256: string;
  path: string;
  filename: string;
  department: string;
  size: number;
}

/**
 * The id of a content in a batch, derived from both: finding the document of a file again is then a lookup by _id.
 * 96 bits of SHA-256, shaped like an ObjectId.
 */
export function screeningDocumentId(batchId: string, sha256: string): string {
  return createHash('sha256').update(`${batchId}\n${sha256}`).digest('hex').slice(0, 24);
}

/** What an outcome sets on its document. */
function outcomeFields(outcome: ScreeningOutcome, suggestion: DispositionSuggestion, now: Date): Record<string, unknown> {
  const fields = outcome.status === 'screened'
    ? { status: 'screened', format: outcome.format, chars: outcome.chars, checklistVersion: outcome.checklistVersion, operatingPoint: outcome.operatingPoint, clauses: outcome.clauses, clauseCount: outcome.clauses.length }
    : { status: 'failed', errorCode: outcome.errorCode, error: outcome.error };
  return plain({ ...fields, items: suggestion.items, maxScore: suggestion.maxScore, disposition: suggestion.disposition, dispositionReason: suggestion.reason, risk: suggestion.risk, finishedAt: now.toISOString() });
}

/** How many documents finished within this window make the batch's rate. */
const RATE_WINDOW_SECONDS = 60;
/** Well under the store's 16 MB document limit. */
const FILE_CHUNK_BYTES = 4 * 1024 * 1024;

export class ScreeningRepository {
  constructor(private readonly models: Models) {}

  async createBatch(batch: Omit<ScreeningBatch, 'id'>): Promise<ScreeningBatch> {
    const created = await this.models.ScreeningBatch.create(plain(batch));
    return toBatch(created.toObject() as Stored<ScreeningBatchDoc>);
  }

  async findBatch(id: string): Promise<ScreeningBatch | null> {
    if (!isObjectIdHex(id)) return null;
    const doc = await this.models.ScreeningBatch.findById(id).lean<Stored<ScreeningBatchDoc>>();
    return doc ? toBatch(doc) : null;
  }

  async listBatches(page: number, pageSize: number): Promise<{ items: ScreeningBatch[]; total: number }> {
    const [docs, total] = await Promise.all([
      this.models.ScreeningBatch.find({}, { events: 0 }).sort({ createdAt: -1, _id: -1 }).skip((page - 1) * pageSize).limit(pageSize).lean<Stored<ScreeningBatchDoc>[]>(),
      this.models.ScreeningBatch.countDocuments({}),
    ]);
    return { items: docs.map((d) => toBatch({ ...d, events: [] })), total };
  }

  /** Batches a worker should carry on with after a restart. */
  async unfinishedBatches(): Promise<ScreeningBatch[]> {
    const docs = await this.models.ScreeningBatch.find({ state: mongoose.trusted({ $in: ['running', 'paused'] }) }, { events: 0 }).lean<Stored<ScreeningBatchDoc>[]>();
    return docs.map((d) => toBatch({ ...d, events: [] }));
  }

  /** The batch of an import of this folder that stopped before every file was in (the newest, if several). */
  async interruptedDirectoryImport(dir: string): Promise<ScreeningBatch | null> {
    // the batches collection is small (one record per batch): a filter on it is cheap on either store
    const docs = await this.models.ScreeningBatch.find({ 'source.kind': 'dir', 'source.dir': dir, state: mongoose.trusted({ $in: ['running', 'paused'] }), 'ingest.status': mongoose.trusted({ $in: ['pending', 'running'] }) }, { events: 0 })
      .sort({ createdAt: -1 }).limit(1).lean<Stored<ScreeningBatchDoc>[]>();
    return docs[0] ? toBatch({ ...docs[0], events: [] }) : null;
  }

  /** Applies a decision as one guarded update; null when the batch changed since it was read. */
  async applyBatchChange(id: string, change: BatchChange): Promise<ScreeningBatch | null> {
    const doc = await this.models.ScreeningBatch.findOneAndUpdate(
      { _id: id, state: change.from, rev: change.rev },
      { $set: { ...plain(change.set), state: change.to }, $inc: { rev: 1 }, $push: { events: plain(change.event) } },
      { new: true },
    ).lean<Stored<ScreeningBatchDoc>>();
    return doc ? toBatch(doc) : null;
  }

  /** Records how far unpacking got; not a decision, so `rev` stays (a user's pending pause is not made stale). */
  async setIngest(id: string, ingest: ScreeningBatch['ingest']): Promise<void> {
    await this.models.ScreeningBatch.updateOne({ _id: id }, { $set: { ingest: plain(ingest) } });
  }

  /**
   * Adds one file found in the batch: a new content becomes a queued document, a known one gains the path.
   * Returns the document as stored now.
   */
  async addFile(batchId: string, file: NewScreeningFile): Promise<StoredScreeningDocument> {
    const _id = screeningDocumentId(batchId, file.sha256);
    const update = {
      // null-defaults spelled out: an upsert does not apply them, and guards below compare with null
      $setOnInsert: { batchId, sha256: file.sha256, filename: file.filename, department: file.department, size: file.size, status: 'queued', fileChunks: null, recheckPolicyId: null, review: { status: 'pending' } },
      $addToSet: { paths: file.path },
    };
    for (let attempt = 1; ; attempt++) {
      try {
        const doc = await this.models.ScreeningDocument.findOneAndUpdate({ _id }, update, { upsert: true, new: true }).lean<Stored<ScreeningDocumentDoc>>();
        if (!doc) throw new Error('screening document upsert returned nothing');
        return toDocument(doc);
      } catch (err) {
        if (!(err instanceof ConflictError && err.code === 'duplicate_key') || attempt >= 3) throw err;
        // Two ingests of the same content raced to insert it (the next attempt finds the winner's), or the content
        // was added before ids were derived from it: that document gains the path.
        const earlier = await this.models.ScreeningDocument.findOneAndUpdate({ batchId, sha256: file.sha256 }, { $addToSet: update.$addToSet }, { new: true }).lean<Stored<ScreeningDocumentDoc>>();
        if (earlier) return toDocument(earlier);
      }
    }
  }

  /**
   * Stores a document's file. Idempotent: the chunks are addressed by the document, so a second run (or a
   * concurrent one with the same content) writes the same bytes to the same places.
   */
  async storeFile(documentId: string, data: Buffer): Promise<void> {
    const chunks = Math.max(1, Math.ceil(data.length / FILE_CHUNK_BYTES));
    for (let n = 0; n < chunks; n++) {
      const _id = `${documentId}:${n}`;
      await this.models.ScreeningFileChunk.updateOne({ _id }, { $set: { data: data.subarray(n * FILE_CHUNK_BYTES, (n + 1) * FILE_CHUNK_BYTES) } }, { upsert: true });
    }
    await this.models.ScreeningDocument.updateOne({ _id: documentId }, { $set: { fileChunks: chunks } });
  }

  async readFile(documentId: string, chunks: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (let n = 0; n < chunks; n++) {
      const chunk = await this.models.ScreeningFileChunk.findById(`${documentId}:${n}`).lean();
      if (!chunk) throw new Error(`文件内容缺失（第 ${n + 1}/${chunks} 块）`);
      // lean() hands back the driver's BSON Binary, whose `buffer` holds the bytes
      const data = chunk.data as unknown as Buffer | { buffer: Uint8Array };
      parts.push(Buffer.isBuffer(data) ? data : Buffer.from(data.buffer));
    }
    return Buffer.concat(parts);
  }

  async findDocument(batchId: string, documentId: string): Promise<StoredScreeningDocument | null> {
    if (!isObjectIdHex(documentId)) return null;
    const doc = await this.models.ScreeningDocument.findById(documentId).lean<Stored<ScreeningDocumentDoc>>();
    return doc && doc.batchId === batchId ? toDocument(doc) : null;
  }

  /**
   * Records a document's outcome once, however often its job runs: the outcome is first stored under the
   * document's id (screeningoutcomes; a unique insert, so the first run's outcome is THE outcome), then copied onto
   * the document — by every run, always that first outcome, so a run that died between the two is completed by
   * the next one. (An update guarded by `status: 'queued'` would be one write, but a scan of the whole collection
   * per document on the embedded store.) Returns whether this call's outcome is the one recorded.
   */
  async recordOutcome(documentId: string, outcome: ScreeningOutcome, suggestion: DispositionSuggestion, now: Date): Promise<boolean> {
    let fields = outcomeFields(outcome, suggestion, now);
    let recorded = true;
    try {
      await this.models.ScreeningOutcome.create({ _id: documentId, fields });
    } catch (err) {
      if (!(err instanceof ConflictError && err.code === 'duplicate_key')) throw err;
      const first = await this.models.ScreeningOutcome.findById(documentId).lean();
      if (!first) throw err;
      fields = first.fields;
      recorded = false;
    }
    await this.models.ScreeningDocument.updateOne({ _id: documentId }, { $set: { ...fields, screenings: 1 } });
    return recorded;
  }

  async hasQueued(batchId: string): Promise<boolean> {
    return (await this.models.ScreeningDocument.exists({ batchId, status: 'queued' })) !== null;
  }

  /** Ids of the documents still waiting, oldest first, as a stream (a batch can hold tens of thousands). */
  queuedDocumentIds(batchId: string): AsyncIterable<{ _id: unknown }> {
    return this.models.ScreeningDocument.find({ batchId, status: 'queued' }, { _id: 1 }).sort({ _id: 1 }).lean<{ _id: unknown }>().cursor();
  }

  /** A cancelled batch's waiting documents are marked so; those already screened keep their results. */
  async cancelQueued(batchId: string): Promise<number> {
    const result = await this.models.ScreeningDocument.updateMany({ batchId, status: 'queued' }, { $set: { status: 'cancelled' } });
    return result.modifiedCount;
  }

  async counts(batchId: string, filesFound: number, now: Date): Promise<BatchCounts> {
    const since = new Date(now.getTime() - RATE_WINDOW_SECONDS * 1000).toISOString();
    const [byStatus, recent] = await Promise.all([
      sumBy(this.models.ScreeningDocument, { batchId }, '$status'),
      this.models.ScreeningDocument.countDocuments({ batchId, finishedAt: mongoose.trusted({ $gte: since }) }),
    ]);
    const count = (status: DocumentStatus) => byStatus.get(status) ?? 0;
    const documents = [...byStatus.values()].reduce((a, b) => a + b, 0);
    return {
      documents,
      files: Math.max(filesFound, documents),
      queued: count('queued'),
      screened: count('screened'),
      failed: count('failed'),
      cancelled: count('cancelled'),
      recent,
      windowSeconds: RATE_WINDOW_SECONDS,
    };
  }

  /** One page of a batch's documents, highest risk first, without their clauses. */
  async listDocuments(batchId: string, filter: { disposition?: string; review?: string; status?: string }, page: number, pageSize: number) {
    const query: Record<string, unknown> = { batchId };
    if (filter.disposition) query.disposition = filter.disposition;
    if (filter.review) query['review.status'] = filter.review;
    if (filter.status) query.status = filter.status;
    const [docs, total] = await Promise.all([
      this.models.ScreeningDocument.find(query, { clauses: 0 }).sort({ risk: -1, clauseCount: -1, _id: 1 }).skip((page - 1) * pageSize).limit(pageSize).lean<Stored<ScreeningDocumentDoc>[]>(),
      this.models.ScreeningDocument.countDocuments(query),
    ]);
    return { items: docs.map((d) => toDocument({ ...d, clauses: [] })), total };
  }

  /** Every document of the batch, highest risk first, streamed from the store (exports of any size). */
  async *documentsByRisk(batchId: string, withClauses: boolean): AsyncGenerator<StoredScreeningDocument> {
    const cursor = this.models.ScreeningDocument.find({ batchId }, withClauses ? {} : { clauses: 0 }).sort({ risk: -1, clauseCount: -1, _id: 1 }).lean<Stored<ScreeningDocumentDoc>>().cursor();
    for await (const doc of cursor) yield toDocument({ ...doc, clauses: doc.clauses ?? [] });
  }

  /** Applies a reviewer's confirm / dismiss if the document is still as it was read. */
  async applyReview(documentId: string, change: ReviewChange): Promise<StoredScreeningDocument | null> {
    const doc = await this.models.ScreeningDocument.findOneAndUpdate(
      { _id: documentId, status: change.expected.status, 'review.status': change.expected.review, recheckPolicyId: null },
      { $set: { review: plain(change.review) } },
      { new: true },
    ).lean<Stored<ScreeningDocumentDoc>>();
    return doc ? toDocument(doc) : null;
  }

  /**
   * Reserves the policy id a confirmed document becomes, before the policy is created: a retry after a crash
   * finds the id and finishes the same policy instead of creating a second one.
   */
  async reserveRecheckPolicy(documentId: string, policyId: string): Promise<boolean> {
    const result = await this.models.ScreeningDocument.updateOne(
      { _id: documentId, status: 'screened', 'review.status': 'confirmed', recheckPolicyId: null },
      { $set: { recheckPolicyId: policyId } },
    );
    return result.matchedCount === 1;
  }
}
