/**
 * 存量政策清理 in the store: a batch (mirrors `server/domain/screeningBatch.ts`) and its documents, one per distinct
 * content in the batch (unique batchId + sha256), each with every path it was found under. Documents live outside
 * the batch document because a batch holds thousands.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { BATCH_STATES, INGEST_STATUSES, type ScreeningBatch } from '../../domain/screeningBatch';
import { DISPOSITIONS, DOCUMENT_REVIEWS, DOCUMENT_STATUSES, type Disposition, type DocumentReview, type DocumentStatus, type ScreenedClause } from '../../domain/screeningDocument';
import { translateStoreErrors } from '../storeErrors';
import { subDocument as sub } from './chainedEvent';

const actorSchema = new Schema({ id: String, username: String }, sub);

const batchSchema = new Schema(
  {
    name: { type: String, required: true },
    source: {
      type: new Schema({ kind: { type: String, enum: ['zip', 'dir'], required: true }, filename: String, size: Number, uploadFileId: String, dir: String }, sub),
      required: true,
    },
    state: { type: String, enum: BATCH_STATES, required: true },
    rev: { type: Number, required: true },
    generation: { type: Number, required: true },
    ingest: {
      type: new Schema({ status: { type: String, enum: INGEST_STATUSES, required: true }, files: Number, error: { type: String, default: null }, finishedAt: { type: String, default: null } }, sub),
      required: true,
    },
    createdBy: { type: actorSchema, required: true },
    createdAt: { type: String, required: true },
    finishedAt: { type: String, default: null },
    events: [new Schema({ action: String, from: { type: String, default: null }, to: String, by: { type: actorSchema, default: null }, at: String, comment: String }, sub)],
  },
  // createdAt is the domain's ISO string; the store's own timestamps would clash with it.
  { timestamps: false, strict: 'throw', versionKey: false, minimize: false },
);
batchSchema.index({ createdAt: -1 });
batchSchema.index({ state: 1 });
translateStoreErrors(batchSchema);

const clauseSchema = new Schema(
  {
    path: String, text: String, start: Number, end: Number, itemId: String, subItemId: String, score: Number,
    evidence: [String], basis: String, explanation: String, suggestion: String, page: Number,
  },
  sub,
);

const documentSchema = new Schema(
  {
    batchId: { type: String, required: true },
    sha256: { type: String, required: true },
    /** every path (folders kept, "/"-separated) this content was found under in the batch */
    paths: { type: [String], required: true },
    filename: { type: String, required: true },
    department: { type: String, default: '' },
    size: { type: Number, required: true },
    /** how many chunks of the file are stored (ScreeningFileChunk); null until stored, and for a file refused unread */
    fileChunks: { type: Number, default: null },
    status: { type: String, enum: DOCUMENT_STATUSES, required: true },
    /** how many outcomes were recorded: 1 for every finished document (its one outcome is in ScreeningOutcome) */
    screenings: { type: Number, default: 0 },
    format: { type: String, default: null },
    chars: { type: Number, default: 0 },
    checklistVersion: { type: String, default: null },
    operatingPoint: { type: String, default: null },
    errorCode: { type: String, default: null },
    error: { type: String, default: null },
    clauses: { type: [clauseSchema], default: [] },
    clauseCount: { type: Number, default: 0 },
    items: { type: [String], default: [] },
    maxScore: { type: Number, default: 0 },
    disposition: { type: String, enum: [...DISPOSITIONS, null], default: null },
    dispositionReason: { type: String, default: '' },
    /** what lists are sorted by, highest first (see suggestDisposition) */
    risk: { type: Number, default: 0 },
    finishedAt: { type: String, default: null },
    review: {
      type: new Schema({ status: { type: String, enum: DOCUMENT_REVIEWS, required: true }, reason: String, by: String, byUsername: String, at: String }, sub),
      default: () => ({ status: 'pending' }),
    },
    /** set (before the policy is created) when a confirmed document is turned into a policy in recheck */
    recheckPolicyId: { type: String, default: null },
  },
  { timestamps: false, strict: 'throw', versionKey: false, minimize: false },
);
documentSchema.index({ batchId: 1, sha256: 1 }, { unique: true });
documentSchema.index({ batchId: 1, status: 1 });
documentSchema.index({ batchId: 1, risk: -1 });
documentSchema.index({ batchId: 1, finishedAt: 1 });
translateStoreErrors(documentSchema);

export type ScreeningBatchDoc = Omit<ScreeningBatch, 'id'>;

export interface ScreeningDocumentDoc {
  batchId: string;
  sha256: string;
  paths: string[];
  filename: string;
  department: string;
  size: number;
  fileChunks: number | null;
  status: DocumentStatus;
  screenings: number;
  format: 'docx' | 'pdf' | 'txt' | null;
  chars: number;
  checklistVersion: string | null;
  operatingPoint: string | null;
  errorCode: string | null;
  error: string | null;
  clauses: ScreenedClause[];
  clauseCount: number;
  items: string[];
  maxScore: number;
  disposition: Disposition | null;
  dispositionReason: string;
  risk: number;
  finishedAt: string | null;
  review: { status: DocumentReview; reason?: string; by?: string; byUsername?: string; at?: string };
  recheckPolicyId: string | null;
}

/**
 * The content of a batch's files, in chunks addressed by "<documentId>:<n>". Not GridFS: its chunks are found by
 * `files_id`, which the embedded store answers by scanning every chunk of the bucket, so reading one file of a
 * batch of thousands took seconds; a lookup by `_id` is direct on both stores.
 */
const chunkSchema = new Schema({ _id: { type: String, required: true }, data: { type: Buffer, required: true } }, { timestamps: false, strict: 'throw', versionKey: false });
translateStoreErrors(chunkSchema);

export interface ScreeningFileChunkDoc { _id: string; data: Buffer }
export type ScreeningFileChunkModel = Model<ScreeningFileChunkDoc>;

export function screeningFileChunkModel(connection: Connection): ScreeningFileChunkModel {
  return (connection.models.ScreeningFileChunk as ScreeningFileChunkModel | undefined)
    ?? connection.model<ScreeningFileChunkDoc>('ScreeningFileChunk', chunkSchema as unknown as Schema<ScreeningFileChunkDoc>);
}

/**
 * The outcome of a document, recorded once under the document's id before it is copied onto the document (see
 * ScreeningRepository.recordOutcome): the insert is what makes a job that runs twice record one outcome.
 */
const outcomeSchema = new Schema({ _id: { type: String, required: true }, fields: { type: Schema.Types.Mixed, required: true } }, { timestamps: false, strict: 'throw', versionKey: false, minimize: false });
translateStoreErrors(outcomeSchema);

export interface ScreeningOutcomeDoc { _id: string; fields: Record<string, unknown> }
export type ScreeningOutcomeModel = Model<ScreeningOutcomeDoc>;

export function screeningOutcomeModel(connection: Connection): ScreeningOutcomeModel {
  return (connection.models.ScreeningOutcome as ScreeningOutcomeModel | undefined)
    ?? connection.model<ScreeningOutcomeDoc>('ScreeningOutcome', outcomeSchema as unknown as Schema<ScreeningOutcomeDoc>);
}

export type ScreeningBatchModel = Model<ScreeningBatchDoc>;
export type ScreeningDocumentModel = Model<ScreeningDocumentDoc>;

export function screeningBatchModel(connection: Connection): ScreeningBatchModel {
  return (connection.models.ScreeningBatch as ScreeningBatchModel | undefined)
    ?? connection.model<ScreeningBatchDoc>('ScreeningBatch', batchSchema as unknown as Schema<ScreeningBatchDoc>);
}

export function screeningDocumentModel(connection: Connection): ScreeningDocumentModel {
  return (connection.models.ScreeningDocument as ScreeningDocumentModel | undefined)
    ?? connection.model<ScreeningDocumentDoc>('ScreeningDocument', documentSchema as unknown as Schema<ScreeningDocumentDoc>);
}
