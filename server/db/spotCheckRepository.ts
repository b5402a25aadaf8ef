/**
 * Spot checks as the domain type. Recording a result is ONE conditional update guarded by state and rev that
 * also $pushes the sealed event, as for policies and complaints.
 */
import mongoose from 'mongoose';
import { sealEvent, type ChainEvent } from '../domain/eventChain';
import type { SpotCheck, SpotCheckDecision, SpotCheckEvent } from '../domain/spotCheck';
import type { Models } from './models/index';
import type { SpotCheckDoc, SpotCheckDraw } from './models/spotCheck';
import { isObjectIdHex } from './complaintRepository';
import type { OwedRecheck } from '../domain/recheck';

type StoredSpotCheck = SpotCheckDoc & { _id: unknown };
type SealedSpotCheckEvent = SpotCheckEvent & { prevHash: string; hash: string };

export type StoredSpotCheckView = SpotCheck & { draw: SpotCheckDraw };

export function toSpotCheck(doc: StoredSpotCheck): StoredSpotCheckView {
  // The owed rechecks are the store's outbox, not part of the spot check anyone reads.
  const { _id, pendingRechecks: _owed, ...fields } = doc;
  return { ...fields, id: String(_id), scope: fields.scope ?? {}, entries: fields.entries ?? [], events: fields.events ?? [] };
}

function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export class SpotCheckRepository {
  constructor(private readonly models: Models) {}

  async findById(id: string): Promise<StoredSpotCheckView | null> {
    if (!isObjectIdHex(id)) return null;
    const doc = await this.models.SpotCheck.findById(id).lean<StoredSpotCheck>();
    return doc ? toSpotCheck(doc) : null;
  }

  async insert(spotCheck: SpotCheck, event: SpotCheckEvent, draw: SpotCheckDraw): Promise<StoredSpotCheckView> {
    const sealed = sealEvent<SealedSpotCheckEvent & ChainEvent>(event, []);
    const { id, ...fields } = plain({ ...spotCheck, events: [sealed], draw });
    const created = await this.models.SpotCheck.create({ _id: new mongoose.Types.ObjectId(id), ...fields });
    return toSpotCheck(created.toObject() as StoredSpotCheck);
  }

  /**
   * Applies a decision as one guarded update; null when the spot check changed since it was read. The rechecks it
   * owes are written in the same update, each under its policy id, so concurrent results never overwrite them.
   */
  async apply(spotCheck: SpotCheck, decision: SpotCheckDecision, owed: readonly OwedRecheck[] = []): Promise<StoredSpotCheckView | null> {
    const event = sealEvent<SealedSpotCheckEvent & ChainEvent>(decision.event, spotCheck.events);
    const owedSets = Object.fromEntries(owed.map((o) => [`pendingRechecks.${o.policyId}`, plain(o)]));
    const doc = await this.models.SpotCheck.findOneAndUpdate(
      { _id: spotCheck.id, state: decision.guard.state, rev: decision.guard.rev },
      { $set: { ...plain(decision.set), ...owedSets }, $push: { events: plain(event) } },
      { new: true },
    ).lean<StoredSpotCheck>();
    return doc ? toSpotCheck(doc) : null;
  }

  /** Clears an owed recheck once it is open; like the complaint's, it does not bump `rev`. */
  async clearOwedRecheck(spotCheckId: string, policyId: string): Promise<void> {
    await this.models.SpotCheck.updateOne({ _id: spotCheckId }, { $unset: { [`pendingRechecks.${policyId}`]: '' } });
  }
}
