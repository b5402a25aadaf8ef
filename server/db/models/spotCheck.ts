/**
 * A spot check (抽查) in the store: mirrors `server/domain/spotCheck.ts`, plus `draw`, the inputs the draw and
 * the assignment were made from (population ids, reviewer pool, reviewers per policy), so anyone can replay them
 * from the recorded seed even after more policies are published or the pool changes.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { SPOT_CHECK_OUTCOMES, type SpotCheck } from '../../domain/spotCheck';
import type { OwedRecheck } from '../../domain/recheck';
import { translateStoreErrors } from '../storeErrors';
import { chainedEventSchema, subDocument } from './chainedEvent';

const sub = subDocument;

const resultSchema = new Schema(
  { outcome: { type: String, enum: SPOT_CHECK_OUTCOMES }, items: [String], notes: String, recordedBy: String, recordedAt: String },
  sub,
);

const entrySchema = new Schema(
  { policyId: String, departmentId: String, reviewerIds: [String], result: { type: resultSchema, default: null } },
  sub,
);

const eventSchema = chainedEventSchema(['create', 'record_result']);

const spotCheckSchema = new Schema(
  {
    scope: {
      type: new Schema({ departmentIds: { type: [String], default: undefined }, kinds: { type: [String], default: undefined }, period: new Schema({ from: String, to: String }, sub) }, sub),
      default: () => ({}),
    },
    seed: { type: String, required: true },
    populationSize: { type: Number, required: true },
    sampleSize: { type: Number, required: true },
    state: { type: String, enum: ['in_progress', 'completed'], required: true },
    rev: { type: Number, required: true },
    entries: [entrySchema],
    createdBy: { type: String, required: true },
    createdAt: { type: String, required: true },
    events: [eventSchema],
    /** rechecks that recorded problems still owe, by policy id (outbox; see server/services/rechecks.ts) */
    pendingRechecks: {
      type: Map,
      of: new Schema({ policyId: String, source: { type: String, enum: ['spot_check'] }, refId: String, reason: String, requestedBy: String }, sub),
      default: {},
    },
    draw: {
      type: new Schema(
        {
          populationIds: [String],
          pool: [new Schema({ id: String, departmentId: String }, sub)],
          reviewersPerPolicy: Number,
        },
        sub,
      ),
      required: true,
    },
  },
  // createdAt is the domain's ISO string; the store's own timestamps would clash with it.
  { timestamps: false, strict: 'throw', versionKey: false, minimize: false },
);

spotCheckSchema.index({ createdAt: -1 });
spotCheckSchema.index({ 'entries.reviewerIds': 1 });

translateStoreErrors(spotCheckSchema);

export interface SpotCheckDraw {
  populationIds: string[];
  pool: Array<{ id: string; departmentId: string }>;
  reviewersPerPolicy: number;
}

export type SpotCheckDoc = Omit<SpotCheck, 'id'> & { draw: SpotCheckDraw; pendingRechecks?: Record<string, OwedRecheck> };
export type SpotCheckModel = Model<SpotCheckDoc>;

export function spotCheckModel(connection: Connection): SpotCheckModel {
  return (
    (connection.models.SpotCheck as SpotCheckModel | undefined) ??
    connection.model<SpotCheckDoc>('SpotCheck', spotCheckSchema as unknown as Schema<SpotCheckDoc>)
  );
}
