/**
 * The Complaint aggregate (举报) in the store: mirrors `server/domain/complaint.ts` field for field (ids and
 * timestamps are strings there, so they are strings here, and an event hashes the same after a round trip).
 * The reporter's access code is stored only as a bcrypt hash (`accessCodeHash`).
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { COMPLAINT_ACTIONS, COMPLAINT_STATES, RATING_GRADES, type Complaint } from '../../domain/complaint';
import { translateStoreErrors } from '../storeErrors';
import { chainedEventSchema, subDocument } from './chainedEvent';

const sub = subDocument;

const reporterSchema = new Schema({ name: { type: String, required: true }, contact: { type: String, required: true }, org: String }, sub);

const targetSchema = new Schema({ policyId: String, measureText: String, issuingBody: String }, sub);

const attachmentSchema = new Schema(
  { fileId: String, filename: String, mimeType: String, size: Number, sha256: String },
  sub,
);

const extensionSchema = new Schema({ approvedBy: String, approvedAt: String, previousDueDate: String, reason: String }, sub);

const deadlineSchema = new Schema(
  {
    startDate: String,
    unit: { type: String, enum: ['working_days', 'calendar_days', 'fixed_date'] },
    length: Number,
    dueDate: String,
    dueAt: String,
    remindAt: String,
    provisional: Boolean,
    remindedAt: String,
    extension: extensionSchema,
  },
  sub,
);

const eventSchema = chainedEventSchema([...COMPLAINT_ACTIONS, 'receive']);

const readSchema = new Schema({ actorId: String, username: String, role: String, at: String, purpose: String }, sub);

const complaintSchema = new Schema(
  {
    refNo: { type: String, required: true, unique: true },
    accessCodeHash: { type: String, required: true },
    reporter: { type: reporterSchema, required: true },
    target: { type: targetSchema, required: true },
    description: { type: String, required: true },
    attachments: [attachmentSchema],
    state: { type: String, enum: COMPLAINT_STATES, required: true },
    rev: { type: Number, required: true },
    receivedAt: { type: String, required: true },
    assigneeId: { type: String, default: null },
    deadlines: { type: new Schema({ supplement: deadlineSchema, verification: deadlineSchema }, sub), default: () => ({}) },
    overdue: { type: Boolean, default: false },
    supplementRequest: { type: new Schema({ items: [String], requestedAt: String }, sub), default: null },
    notAccepted: { type: new Schema({ reason: String, lapsed: Boolean }, sub), default: null },
    transfer: { type: new Schema({ toAuthority: String, reason: String, at: String }, sub), default: null },
    finding: {
      type: new Schema({ outcome: { type: String, enum: ['violation', 'no_violation'] }, summary: String, policyId: { type: String, default: null }, at: String }, sub),
      default: null,
    },
    reply: { type: new Schema({ text: String, at: String }, sub), default: null },
    rating: { type: new Schema({ grade: { type: String, enum: RATING_GRADES, required: true }, comment: { type: String, default: '' }, at: String }, sub), default: null },
    pendingRecheck: {
      type: new Schema({ policyId: String, source: { type: String, enum: ['complaint'] }, refId: String, reason: String, requestedBy: String }, sub),
      default: null,
    },
    events: [eventSchema],
    /** reads of the unmasked reporter identity: appended without touching `rev` (see confidentiality.ts) */
    reporterReads: [readSchema],
  },
  // `rev` is the revision; mongoose's own __v would be a second one.
  { timestamps: true, strict: 'throw', versionKey: false, minimize: false },
);

// The handlers' list filters, newest first.
complaintSchema.index({ state: 1, receivedAt: -1 });
complaintSchema.index({ assigneeId: 1, state: 1 });
complaintSchema.index({ receivedAt: -1 });
complaintSchema.index({ 'target.policyId': 1 });

translateStoreErrors(complaintSchema);

/** A stored complaint: the domain aggregate with the store's `_id` instead of `id`, plus timestamps. */
export type ComplaintDoc = Omit<Complaint, 'id'> & { createdAt?: Date; updatedAt?: Date };
export type ComplaintModel = Model<ComplaintDoc>;

export function complaintModel(connection: Connection): ComplaintModel {
  return (
    (connection.models.Complaint as ComplaintModel | undefined) ??
    connection.model<ComplaintDoc>('Complaint', complaintSchema as unknown as Schema<ComplaintDoc>)
  );
}
