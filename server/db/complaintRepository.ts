/**
 * Loads complaints as the domain type and stores the domain's decisions. Every state change is ONE guarded update
 * (guardedUpdate.ts) that also appends the event, sealed here onto the case's chain; reads of the reporter's
 * identity are appended to `reporterReads` without touching rev (see server/domain/confidentiality.ts).
 */
import mongoose from 'mongoose';
import { sealEvent } from '../domain/eventChain';
import { TERMINAL_COMPLAINT_STATES, type Complaint, type ComplaintEvent, type ComplaintState, type ReporterReadRecord, type UnsealedComplaintEvent } from '../domain/complaint';
import type { ComplaintDecision } from '../domain/complaintWorkflow';
import type { Models } from './models/index';
import type { ComplaintDoc } from './models/complaint';
import { applyGuardedChange } from './guardedUpdate';
import { isObjectIdHex, plain } from './storedValues';

type StoredComplaint = ComplaintDoc & { _id: unknown };

export function toComplaint(doc: StoredComplaint): Complaint {
  const { _id, createdAt: _createdAt, updatedAt: _updatedAt, ...fields } = doc;
  return { ...fields, id: String(_id), deadlines: fields.deadlines ?? {}, attachments: fields.attachments ?? [], events: fields.events ?? [], reporterReads: fields.reporterReads ?? [], pendingRecheck: fields.pendingRecheck ?? null };
}

export class ComplaintRepository {
  constructor(private readonly models: Models) {}

  /** The complaint, or null for an unknown or malformed id. */
  async findById(id: string): Promise<Complaint | null> {
    if (!isObjectIdHex(id)) return null;
    const doc = await this.models.Complaint.findById(id).lean<StoredComplaint>();
    return doc ? toComplaint(doc) : null;
  }

  async findByRefNo(refNo: string): Promise<Complaint | null> {
    const doc = await this.models.Complaint.findOne({ refNo }).lean<StoredComplaint>();
    return doc ? toComplaint(doc) : null;
  }

  /** Inserts a new case with its first event sealed onto the chain. */
  async insert(complaint: Complaint, event: UnsealedComplaintEvent): Promise<Complaint> {
    const sealed = sealEvent<ComplaintEvent>(event, []);
    const { id, ...fields } = plain({ ...complaint, events: [sealed] });
    const created = await this.models.Complaint.create({ _id: new mongoose.Types.ObjectId(id), ...fields });
    return toComplaint(created.toObject() as StoredComplaint);
  }

  /**
   * Applies a decision as one guarded update; null when the case changed since it was read (someone else won).
   * `complaint` is the version the decision was made on: its events give the new event's prevHash.
   */
  async apply(complaint: Complaint, decision: ComplaintDecision): Promise<Complaint | null> {
    const { state, rev: _rev, ...set } = decision.set;
    const event = sealEvent<ComplaintEvent>(decision.event, complaint.events);
    const doc = await applyGuardedChange(this.models.Complaint, complaint.id, { guard: decision.guard, to: state ?? decision.guard.state, set, event });
    return doc ? toComplaint(doc as StoredComplaint) : null;
  }

  /** Appends one read of the unmasked reporter; throws if it could not be recorded (then nothing is shown). */
  async recordReporterRead(complaintId: string, record: ReporterReadRecord): Promise<void> {
    const result = await this.models.Complaint.updateOne({ _id: complaintId }, { $push: { reporterReads: plain(record) } });
    if (result.matchedCount !== 1) throw new Error(`reporter read of ${complaintId} not recorded`);
  }

  /** Clears the outbox record once the policy's recheck is open; like a reporter read, it does not bump `rev`. */
  async clearPendingRecheck(complaintId: string, refId: string): Promise<void> {
    await this.models.Complaint.updateOne({ _id: complaintId, 'pendingRecheck.refId': refId }, { $set: { pendingRecheck: null } });
  }

  /**
   * One page of cases, newest first, without their history. The list's query becomes a store filter here; its
   * operators are built here, never taken from the request.
   */
  async list(query: ComplaintListQuery, actor: { id: string }, now: Date, page: number, pageSize: number): Promise<{ items: Complaint[]; total: number }> {
    const filter = listFilter(query, actor, now);
    const [docs, total] = await Promise.all([
      this.models.Complaint.find(filter, { events: 0, reporterReads: 0 }).sort({ receivedAt: -1, _id: -1 }).skip((page - 1) * pageSize).limit(pageSize).lean<StoredComplaint[]>(),
      this.models.Complaint.countDocuments(filter),
    ]);
    return { items: docs.map((doc) => toComplaint({ ...doc, events: [], reporterReads: [] })), total };
  }

  /** Every case not yet finished (neither closed nor transferred), without its history. */
  async openCases(): Promise<Complaint[]> {
    const docs = await this.models.Complaint.find({ state: mongoose.trusted({ $nin: [...TERMINAL_COMPLAINT_STATES] }) }, { events: 0, reporterReads: 0 }).sort({ receivedAt: 1 }).lean<StoredComplaint[]>();
    return docs.map((doc) => toComplaint({ ...doc, events: [], reporterReads: [] }));
  }

  /** Running cases (a deadline counting) whose supplement or verification deadline is provisional, with their history. */
  async withProvisionalDeadlines(): Promise<Complaint[]> {
    const docs = await this.models.Complaint.find({
      state: mongoose.trusted({ $in: ['supplement_requested', 'accepted', 'verifying'] }),
      $or: [{ 'deadlines.supplement.provisional': true }, { 'deadlines.verification.provisional': true }],
    }).sort({ receivedAt: 1 }).lean<StoredComplaint[]>();
    return docs.map(toComplaint);
  }

  /** The next number of a named sequence (1, 2, …), atomically. */
  async nextSequence(name: string): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        const doc = await this.models.Counter.findOneAndUpdate({ _id: name }, { $inc: { seq: 1 } }, { upsert: true, new: true }).lean();
        return doc.seq;
      } catch (err) {
        // two first-of-the-day upserts can race on the unique _id; the loser simply increments the winner's row
        if (attempt < 3 && (err as { code?: string }).code === 'duplicate_key') continue;
        throw err;
      }
    }
  }
}

export interface ComplaintListQuery {
  state?: ComplaintState;
  overdue?: 'true' | 'false';
  /** a user id, `me`, or `none` for unassigned cases */
  assignee?: string;
}

function listFilter(query: ComplaintListQuery, actor: { id: string }, now: Date): Record<string, unknown> {
  const and: Record<string, unknown>[] = [];
  if (query.state) and.push({ state: query.state });
  if (query.assignee === 'none') and.push({ assigneeId: null });
  else if (query.assignee === 'me') and.push({ assigneeId: actor.id });
  else if (query.assignee) and.push({ assigneeId: query.assignee });
  if (query.overdue) {
    const at = now.toISOString();
    const supplementOverdue = { state: 'supplement_requested', 'deadlines.supplement.dueAt': mongoose.trusted({ $lt: at }) };
    const verificationOverdue = { state: mongoose.trusted({ $in: ['accepted', 'verifying'] }), 'deadlines.verification.dueAt': mongoose.trusted({ $lt: at }) };
    and.push(
      query.overdue === 'true'
        ? { $or: [supplementOverdue, verificationOverdue] }
        : {
            $or: [
              { state: mongoose.trusted({ $nin: ['supplement_requested', 'accepted', 'verifying'] }) },
              { state: 'supplement_requested', 'deadlines.supplement.dueAt': mongoose.trusted({ $gte: at }) },
              { state: mongoose.trusted({ $in: ['accepted', 'verifying'] }), 'deadlines.verification.dueAt': mongoose.trusted({ $gte: at }) },
            ],
          },
    );
  }
  return and.length === 0 ? {} : and.length === 1 ? (and[0] as Record<string, unknown>) : { $and: and };
}
