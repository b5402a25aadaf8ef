/**
 * A Finding: one clause of one document version that the analyser flagged against one checklist item, and the
 * reviewer's decision on it. Findings of a version are written by the analysis worker (replaced as a whole when
 * a version is analysed again) and decided by reviewers; they live outside the Policy document because a long
 * draft can have hundreds.
 */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { translateStoreErrors } from '../storeErrors';

export const FINDING_DECISIONS = ['pending', 'confirmed', 'dismissed'] as const;
export type FindingDecisionStatus = (typeof FINDING_DECISIONS)[number];

const sub = { _id: false, strict: 'throw' as const };

const findingSchema = new Schema(
  {
    policyId: { type: String, required: true },
    versionN: { type: Number, required: true },
    checklistVersion: { type: String, default: '' },
    /** structural path of the clause, e.g. "第三章 第十二条 第二款" */
    path: { type: String, default: '' },
    text: { type: String, default: '' },
    start: { type: Number, required: true },
    end: { type: Number, required: true },
    itemId: { type: String, required: true },
    subItemId: String,
    score: { type: Number, default: 0 },
    /** rules: the phrases an item's rules matched; model: the clause model's most telling phrases (no rule held) */
    evidenceSource: { type: String, enum: ['rules', 'model'], default: 'rules' },
    evidence: [new Schema({ phrase: String, start: Number, end: Number }, sub)],
    basis: { type: String, default: '' },
    explanation: { type: String, default: '' },
    suggestion: { type: String, default: '' },
    decision: {
      type: new Schema(
        {
          status: { type: String, enum: FINDING_DECISIONS, required: true },
          reason: { type: String, default: '' },
          by: { type: String, default: null },
          byUsername: { type: String, default: null },
          at: { type: String, default: null },
          carriedFrom: {
            type: new Schema({ versionN: Number, findingId: String, by: String, byUsername: String, at: String }, sub),
            default: undefined,
          },
        },
        sub,
      ),
      default: () => ({ status: 'pending' }),
    },
  },
  { timestamps: true, strict: 'throw', versionKey: false },
);

findingSchema.index({ policyId: 1, versionN: 1, start: 1 });

translateStoreErrors(findingSchema);

export type FindingDoc = InferSchemaType<typeof findingSchema>;
export type FindingModel = Model<FindingDoc>;

export function findingModel(connection: Connection): FindingModel {
  return (connection.models.Finding as FindingModel | undefined) ?? connection.model('Finding', findingSchema);
}
