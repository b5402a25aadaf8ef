/**
 * Loads complaints as the domain type and stores the domain's decisions. Every state change is ONE conditional
 * single-document update guarded by state and rev that also $pushes the sealed event; reads of the reporter's
 * identity are appended to `reporterReads` without touching rev (see server/domain/confidentiality.ts).
 */
import mongoose from 'mongoose';
import { sealEvent } from '../domain/eventChain';
import type { Complaint, ComplaintEvent, ReporterReadRecord, UnsealedComplaintEvent } from '../domain/complaint';
import type { ComplaintDecision } from '../domain/complaintWorkflow';
import type { Models } from './models/index';
import type { ComplaintDoc } from './models/complaint';

type StoredComplaint = ComplaintDoc & { _id: unknown };

export function toComplaint(doc: StoredComplaint): Complaint {
  const { _id, createdAt: _createdAt, updatedAt: _updatedAt, ...fields } = doc;
  return { ...fields, id: String(_id), deadlines: fields.deadlines ?? {}, attachments: fields.attachments ?? [], events: fields.events ?? [], reporterReads: fields.reporterReads ?? [], pendingRecheck: fields.pendingRecheck ?? null };
}

/** What the store holds must be exactly what was hashed: JSON drops `undefined` members as canonicalJson does. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function isObjectIdHex(id: string): boolean {
  return /^[a-f0-9]{24}$/i.test(id);
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
    const event = sealEvent<ComplaintEvent>(decision.event, complaint.events);
    const doc = await this.models.Complaint.findOneAndUpdate(
      { _id: complaint.id, state: decision.guard.state, rev: decision.guard.rev },
      { $set: plain(decision.set), $push: { events: plain(event) } },
      { new: true },
    ).lean<StoredComplaint>();
    return doc ? toComplaint(doc) : null;
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
