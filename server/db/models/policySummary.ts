/**
 * The policy list's read model in the store (server/domain/policySummary.ts): `PolicySummary`, one document per
 * policy (`_id` = the policy's id, `seq` = the change that wrote it), and `PolicySummaryChange`, the recent changes
 * in order (`_id` = the change's sequence number as a fixed-width string, holding the summary it wrote, or the
 * removal of one). Each API process keeps the summaries in memory and reads only the changes it has not seen
 * (server/db/policyDirectory.ts): every lookup is by `_id`, the one query the embedded store answers without
 * reading the whole collection.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { ANALYSIS_STATUSES, CONCLUSION_OUTCOMES, ISSUING_LEVELS, POLICY_KINDS, POLICY_STATES } from '../../domain/policy';
import type { PolicySummary } from '../../domain/policySummary';
import { translateStoreErrors } from '../storeErrors';

const sub = { _id: false, strict: 'throw' as const };

const summaryFields = {
  title: { type: String, required: true },
  docNumber: { type: String, default: null },
  kind: { type: String, enum: POLICY_KINDS, required: true },
  issuingLevel: { type: String, enum: ISSUING_LEVELS, required: true },
  industries: [String],
  draftingDepartmentId: { type: String, required: true },
  draftingDepartmentName: { type: String, default: '' },
  state: { type: String, enum: POLICY_STATES, required: true },
  rev: { type: Number, required: true },
  latestVersion: {
    type: new Schema({ n: Number, filename: { type: String, default: null }, status: { type: String, enum: ANALYSIS_STATUSES }, progress: Number }, sub),
    default: null,
  },
  openFindings: { type: Number, default: 0 },
  outcome: { type: String, enum: [...CONCLUSION_OUTCOMES, null], default: null },
  publishedOn: { type: String, default: null },
  deadline: { type: String, default: null },
  updatedAt: { type: String, required: true },
  registeredAt: { type: String, default: '' },
  concludedAt: [String],
  turnaroundMs: { type: Number, default: null },
  jointReview: { type: new Schema({ members: [String] }, sub), default: null },
  evaluations: [new Schema({ evaluatorId: String }, sub)],
  publication: { type: new Schema({ publishedOn: { type: String, default: null } }, sub), default: null },
  findingsKey: { type: String, default: '' },
  findingsByItem: [new Schema({ itemId: String, open: Number, confirmed: Number, dismissed: Number }, sub)],
};

const policySummarySchema = new Schema(
  { _id: { type: String, required: true }, seq: { type: Number, required: true }, ...summaryFields },
  // `updatedAt` is the policy's, not this document's: no mongoose timestamps.
  { strict: 'throw', versionKey: false, timestamps: false },
);
translateStoreErrors(policySummarySchema);

const policySummaryChangeSchema = new Schema(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    policyId: { type: String, required: true },
    /** the summary written by this change; null when the policy is gone */
    summary: { type: new Schema(summaryFields, sub), default: null },
  },
  { strict: 'throw', versionKey: false, timestamps: false },
);
translateStoreErrors(policySummaryChangeSchema);

export type StoredSummary = Omit<PolicySummary, 'id'> & { _id: string; seq: number };
export interface PolicySummaryChangeDoc { _id: string; seq: number; policyId: string; summary: Omit<PolicySummary, 'id'> | null }

export type PolicySummaryModel = Model<StoredSummary>;
export type PolicySummaryChangeModel = Model<PolicySummaryChangeDoc>;

export function policySummaryModel(connection: Connection): PolicySummaryModel {
  return (connection.models.PolicySummary as PolicySummaryModel | undefined)
    ?? connection.model<StoredSummary>('PolicySummary', policySummarySchema as unknown as Schema<StoredSummary>, 'policysummaries');
}

export function policySummaryChangeModel(connection: Connection): PolicySummaryChangeModel {
  return (connection.models.PolicySummaryChange as PolicySummaryChangeModel | undefined)
    ?? connection.model<PolicySummaryChangeDoc>('PolicySummaryChange', policySummaryChangeSchema as unknown as Schema<PolicySummaryChangeDoc>, 'policysummarychanges');
}
