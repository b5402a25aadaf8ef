/**
 * Named sequences (e.g. the day's complaint number for refNo). `_id` is the sequence's name; `nextSequence`
 * increments it with one atomic upsert, so concurrent requests never get the same number.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { translateStoreErrors } from '../storeErrors';

const counterSchema = new Schema(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true, default: 0 },
  },
  { strict: 'throw', versionKey: false },
);

translateStoreErrors(counterSchema);

export interface CounterDoc {
  _id: string;
  seq: number;
}
export type CounterModel = Model<CounterDoc>;

export function counterModel(connection: Connection): CounterModel {
  return (
    (connection.models.Counter as CounterModel | undefined) ??
    connection.model<CounterDoc>('Counter', counterSchema as unknown as Schema<CounterDoc>, 'counters')
  );
}
