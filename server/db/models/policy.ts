/**
 * The Policy aggregate in the store: mirrors `server/domain/policy.ts` field for field (ids and timestamps are
 * strings there, so they are strings here too, and an event hashes the same after a round trip). Every
 * sub-record has its own strict schema, so a field the domain does not know cannot be written by accident.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import {
  ANALYSIS_STATUSES,
  CHECKLIST_ITEM_IDS,
  CONCLUSION_OUTCOMES,
  CONSULTATION_AUDIENCES,
  EXCEPTION_SITUATIONS,
  ISSUING_LEVELS,
  LEGAL_BASIS_KINDS,
  POLICY_KINDS,
  POLICY_STATES,
  RECHECK_SOURCES,
  SIGN_OFF_VOTES,
  type Policy,
} from '../../domain/policy';
import { translateStoreErrors } from '../storeErrors';
import { chainedEventSchema, subDocument } from './chainedEvent';

const sub = subDocument;
const nullable = <T>(schema: Schema<T>) => ({ type: schema, default: null });

const legalBasisSchema = new Schema({ kind: { type: String, enum: LEGAL_BASIS_KINDS }, citation: String }, sub);

const analysisSchema = new Schema(
  {
    status: { type: String, enum: ANALYSIS_STATUSES, required: true },
    progress: { type: Number, default: 0 },
    error: String,
    errorCode: String,
    findingCounts: new Schema({ total: Number, open: Number, confirmed: Number, dismissed: Number }, sub),
    checklistVersion: String,
    operatingPoint: { type: String, enum: ['review', 'screen'] },
    threshold: Number,
    startedAt: String,
    finishedAt: String,
  },
  sub,
);

const versionSchema = new Schema(
  {
    n: { type: Number, required: true },
    fileId: String,
    filename: String,
    mimeType: String,
    size: Number,
    sha256: String,
    uploadedBy: String,
    uploadedAt: String,
    analysis: { type: analysisSchema, required: true },
  },
  sub,
);

const answerSchema = new Schema(
  {
    itemId: { type: String, enum: CHECKLIST_ITEM_IDS, required: true },
    answer: { type: String, enum: ['no', 'yes'], required: true },
    note: String,
    findingIds: [String],
    legalBasis: legalBasisSchema,
  },
  sub,
);

const consultationSchema = new Schema(
  {
    audiences: [{ type: String, enum: CONSULTATION_AUDIENCES }],
    channel: String,
    startDate: String,
    endDate: String,
    feedback: String,
    adoption: String,
    confidentialityNote: String,
  },
  sub,
);

const draftConclusionSchema = new Schema({ outcome: { type: String, enum: CONCLUSION_OUTCOMES }, reasoning: String }, sub);

const selfReviewSchema = new Schema(
  {
    versionN: Number,
    answers: [answerSchema],
    consultation: nullable(consultationSchema),
    draftConclusion: nullable(draftConclusionSchema),
    updatedBy: String,
    updatedAt: String,
  },
  sub,
);

const signOffSchema = new Schema(
  { memberId: String, username: String, vote: { type: String, enum: SIGN_OFF_VOTES }, comment: String, at: String },
  sub,
);

const jointReviewSchema = new Schema(
  { members: [String], quorum: Number, deadline: String, requestedBy: String, requestedAt: String, signOffs: [signOffSchema] },
  sub,
);

const evaluationSchema = new Schema(
  {
    n: Number,
    evaluatorId: String,
    scope: String,
    deadline: String,
    requestedBy: String,
    requestedAt: String,
    returnTo: { type: String, enum: ['self_review', 'joint_review'] },
    status: { type: String, enum: ['requested', 'submitted', 'cancelled'] },
    summary: String,
    reportFileId: String,
    submittedAt: String,
  },
  sub,
);

const exceptionSchema = new Schema(
  {
    restrictiveEffect: String,
    situation: { type: String, enum: EXCEPTION_SITUATIONS },
    situationExplanation: String,
    situationBasis: legalBasisSchema,
    leastRestrictive: String,
    periodReasonableness: String,
    other: String,
    endDate: String,
    terminationCondition: String,
  },
  sub,
);

const conclusionSchema = new Schema(
  {
    outcome: { type: String, enum: CONCLUSION_OUTCOMES },
    reasoning: String,
    exception: nullable(exceptionSchema),
    versionN: Number,
    concludedBy: String,
    concludedAt: String,
    jointReview: Boolean,
    undecidedFindings: { type: [new Schema({ findingId: String, itemId: String, path: String, reason: String }, sub)], default: undefined },
  },
  sub,
);

const publicationSchema = new Schema({ docNumber: String, publishedOn: String, recordedBy: String, recordedAt: String }, sub);

const recheckSchema = new Schema(
  {
    reason: String,
    source: { type: String, enum: RECHECK_SOURCES },
    refId: String,
    openedBy: String,
    openedAt: String,
    outcome: { type: String, enum: ['revised', 'abolished', 'upheld'] },
    closingReason: String,
    closedBy: String,
    closedAt: String,
  },
  sub,
);

const eventSchema = chainedEventSchema();

const policySchema = new Schema(
  {
    title: { type: String, required: true },
    docNumber: { type: String, default: null },
    kind: { type: String, enum: POLICY_KINDS, required: true },
    issuingLevel: { type: String, enum: ISSUING_LEVELS, required: true },
    industries: [String],
    draftingDepartmentId: { type: String, required: true },
    createdBy: { type: String, required: true },
    state: { type: String, enum: POLICY_STATES, required: true },
    rev: { type: Number, required: true },
    versions: [versionSchema],
    selfReview: nullable(selfReviewSchema),
    jointReview: nullable(jointReviewSchema),
    evaluations: [evaluationSchema],
    conclusion: nullable(conclusionSchema),
    publication: nullable(publicationSchema),
    recheck: nullable(recheckSchema),
    handover: nullable(new Schema({ status: { type: String, enum: ['submitted', 'returned'] }, submittedBy: String, submittedAt: String, returnedBy: String, returnedAt: String, comments: String }, sub)),
    events: [eventSchema],
  },
  // `rev` is the revision; mongoose's own __v would be a second one.
  { timestamps: true, strict: 'throw', versionKey: false },
);

// The list filters (server/domain/visibility.ts): by department and state, by assignment, newest first.
policySchema.index({ draftingDepartmentId: 1, state: 1 });
policySchema.index({ state: 1 });
policySchema.index({ 'jointReview.members': 1 });
policySchema.index({ 'evaluations.evaluatorId': 1 });
policySchema.index({ updatedAt: -1 });

translateStoreErrors(policySchema);

/** A stored policy: the domain aggregate with the store's `_id` instead of `id`, plus timestamps. */
export type PolicyDoc = Omit<Policy, 'id'> & { createdAt?: Date; updatedAt?: Date };
export type PolicyModel = Model<PolicyDoc>;

export function policyModel(connection: Connection): PolicyModel {
  return (connection.models.Policy as PolicyModel | undefined) ?? connection.model<PolicyDoc>('Policy', policySchema as unknown as Schema<PolicyDoc>);
}
