/**
 * Spot checks as the domain type. Recording a result is ONE guarded update (guardedUpdate.ts) that also appends
 * the event, sealed here onto the spot check's chain, as for policies and complaints.
 */
import mongoose from 'mongoose';
import { sealEvent, type ChainEvent } from '../domain/eventChain';
import type { SpotCheck, SpotCheckDecision, SpotCheckEvent } from '../domain/spotCheck';
import type { Models } from './models/index';
import type { SpotCheckDoc, SpotCheckDraw } from './models/spotCheck';
import { applyGuardedChange } from './guardedUpdate';
import { isObjectIdHex, plain } from './storedValues';
import type { OwedRecheck } from '../domain/recheck';

type StoredSpotCheck = SpotCheckDoc & { _id: unknown };
type SealedSpotCheckEvent = SpotCheckEvent & { prevHash: string; hash: string };

export type StoredSpotCheckView = SpotCheck & { draw: SpotCheckDraw };

export function toSpotCheck(doc: StoredSpotCheck): StoredSpotCheckView {
  // The owed rechecks are the store's outbox, not part of the spot check anyone reads.
  const { _id, pendingRechecks: _owed, ...fields } = doc;
  return { ...fields, id: String(_id), scope: fields.scope ?? {}, entries: fields.entries ?? [], events: fields.events ?? [] };
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
    const owedSets = Object.fromEntries(owed.map((o) => [`pendingRechecks.${o.policyId}`, o]));
    const { state, rev: _rev, ...set } = decision.set;
    const doc = await applyGuardedChange(this.models.SpotCheck, spotCheck.id, { guard: decision.guard, to: state, set: { ...set, ...owedSets }, event });
    return doc ? toSpotCheck(doc as StoredSpotCheck) : null;
  }

  /** One page of spot check summaries, newest first: all of them, or those assigning `reviewerId`. */
  async list(reviewerId: string | null, page: number, pageSize: number) {
    const filter = reviewerId ? { 'entries.reviewerIds': reviewerId } : {};
    const [docs, total] = await Promise.all([
      this.models.SpotCheck.find(filter, { events: 0 }).sort({ createdAt: -1, _id: -1 }).skip((page - 1) * pageSize).limit(pageSize).lean(),
      this.models.SpotCheck.countDocuments(filter),
    ]);
    const items = docs.map(({ _id, draw: _draw, ...fields }) => ({
      id: String(_id),
      scope: fields.scope,
      seed: fields.seed,
      state: fields.state,
      rev: fields.rev,
      populationSize: fields.populationSize,
      sampleSize: fields.sampleSize,
      recorded: fields.entries.filter((e) => e.result).length,
      problems: fields.entries.filter((e) => e.result?.outcome === 'problem').length,
      createdBy: fields.createdBy,
      createdAt: fields.createdAt,
    }));
    return { items, total };
  }

  /** Clears an owed recheck once it is open; like the complaint's, it does not bump `rev`. */
  async clearOwedRecheck(spotCheckId: string, policyId: string): Promise<void> {
    await this.models.SpotCheck.updateOne({ _id: spotCheckId }, { $unset: { [`pendingRechecks.${policyId}`]: '' } });
  }
}
