/**
 * The one way an aggregate (policy, complaint, spot check) changes. A domain decision is made on the version that
 * was read and comes back as a `GuardedChange`: the state and revision it was made on, the state it leads to, the
 * fields to set or append, and its event. This turns it into ONE conditional single-document update that applies
 * only if state and revision still hold, sets the fields and the state, bumps `rev` and appends the event; there
 * are no transactions to lean on, so a lost race shows up as "no document matched" (null) and the caller decides
 * again or answers 409.
 */
import type { Model } from 'mongoose';
import { plain } from './storedValues';

export interface GuardedChange {
  /** the state and revision the decision was made on */
  guard: { state: string; rev: number };
  to: string;
  /** top-level fields replaced whole (every update is guarded by `rev`, so nothing is lost) */
  set: object;
  /** array elements appended */
  push?: object;
  /** the decision's event, sealed onto the aggregate's hash chain */
  event: object;
}

export function conditionalUpdate(id: unknown, change: GuardedChange) {
  return {
    filter: { _id: id, state: change.guard.state, rev: change.guard.rev },
    update: {
      $set: { ...change.set, state: change.to },
      $inc: { rev: 1 },
      $push: { ...change.push, events: change.event },
    },
  };
}

/** Applies the change; the updated document, or null when the aggregate changed since the decision's read. */
export async function applyGuardedChange<Doc>(model: Model<Doc>, id: string, change: GuardedChange): Promise<(Doc & { _id: unknown }) | null> {
  const { filter, update } = conditionalUpdate(id, plain(change));
  return model.findOneAndUpdate(filter as never, update, { new: true }).lean<Doc & { _id: unknown }>();
}
