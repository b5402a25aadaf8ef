/**
 * The sub-schema of an aggregate's append-only, hash-chained history (server/domain/eventChain.ts): every policy,
 * complaint and spot check stores its events in this shape.
 */
import { Schema } from 'mongoose';

export const subDocument = { _id: false, strict: 'throw' as const };

/** `actions`, when given, is the only vocabulary the store accepts for `action`. */
export function chainedEventSchema(actions?: readonly string[]): Schema {
  return new Schema(
    {
      actor: new Schema({ id: String, username: String }, subDocument),
      action: { type: String, required: true, ...(actions ? { enum: [...actions] } : {}) },
      from: { type: String, default: null },
      to: { type: String, required: true },
      at: { type: String, required: true },
      comment: { type: String, default: '' },
      data: { type: Schema.Types.Mixed, default: {} },
      prevHash: { type: String, required: true },
      hash: { type: String, required: true },
    },
    subDocument,
  );
}
