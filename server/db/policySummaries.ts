/**
 * Keeps the policy list's read model (models/policySummary.ts) in step with the policies. Whoever changes a policy
 * calls `recordPolicySummary` after the change (the policy repository does it for every change it makes); the
 * worker runs `rebuildPolicySummaries` at start-up and `repairRecentSummaries` with every later outbox sweep, which
 * repair whatever a process that died between the two steps left behind.
 *
 * Publishing a summary takes the next number of the `policySummaries` sequence, records the change under that
 * number and replaces the summary document. Two processes recording the same policy at once may finish in either
 * order, so each reads the policy again after writing and writes again until what it wrote is what is stored:
 * the last write for a policy always summarises its latest state.
 */
import { isDeepStrictEqual } from 'node:util';
import mongoose from 'mongoose';
import { findingsKey, latestAnalysedVersion, summarizePolicy, tallyFindings, type FindingTally, type PolicySummary } from '../domain/policySummary';
import type { Policy } from '../domain/policy';
import type { Models } from './models/index';
import type { PolicyDoc } from './models/policy';
import type { StoredSummary } from './models/policySummary';
import { isObjectIdHex } from './storedValues';

export const SUMMARY_SEQUENCE = 'policySummaries';
/** Changes kept for processes catching up; one further behind reloads every summary. */
export const CHANGES_KEPT = 5000;
const RECORD_ATTEMPTS = 5;

/** A change's `_id`: fixed width, so the store's string `_id` lookups address it exactly. */
export function changeKey(seq: number): string {
  return String(seq).padStart(12, '0');
}

type StoredPolicy = PolicyDoc & { _id: unknown };

function policyOf(doc: StoredPolicy): Policy {
  const { _id, createdAt: _c, updatedAt: _u, ...fields } = doc;
  return { id: String(_id), ...fields };
}

export function toSummary(stored: StoredSummary): PolicySummary {
  const { _id, seq: _seq, ...fields } = stored;
  // written before summaries had `concludedAt`: empty until the worker's rebuild publishes it
  return { id: _id, ...fields, concludedAt: fields.concludedAt ?? [] };
}

async function countFindings(models: Models, policyId: string, versionN: number | null): Promise<FindingTally[]> {
  if (versionN === null) return [];
  const findings = await models.Finding.find({ policyId, versionN }, { itemId: 1, 'decision.status': 1 }).lean();
  return tallyFindings(findings.map((f) => ({ itemId: f.itemId, status: f.decision?.status ?? 'pending' })));
}

async function reserve(models: Models, count: number): Promise<number> {
  const counter = await models.Counter.findOneAndUpdate({ _id: SUMMARY_SEQUENCE }, { $inc: { seq: count } }, { upsert: true, new: true }).lean();
  return counter!.seq;
}

async function publish(models: Models, policyId: string, summary: PolicySummary | null): Promise<void> {
  const seq = await reserve(models, 1);
  const fields = summary ? toStoredFields(summary) : null;
  await models.PolicySummaryChange.create({ _id: changeKey(seq), seq, policyId, summary: fields });
  if (fields) await models.PolicySummary.replaceOne({ _id: policyId }, { _id: policyId, seq, ...fields }, { upsert: true });
  else await models.PolicySummary.deleteOne({ _id: policyId });
  if (seq > CHANGES_KEPT) await models.PolicySummaryChange.deleteOne({ _id: changeKey(seq - CHANGES_KEPT) });
}

function toStoredFields(summary: PolicySummary): Omit<PolicySummary, 'id'> {
  const { id: _id, ...fields } = summary;
  return fields;
}

/** The summary of the policy as it is stored now (null once it is gone). */
async function currentSummary(models: Models, policyId: string, previous: PolicySummary | null): Promise<PolicySummary | null> {
  const doc = await models.Policy.findById(policyId).lean<StoredPolicy>();
  if (!doc) return null;
  const policy = policyOf(doc);
  const tallies = previous && previous.findingsKey === findingsKey(policy) ? previous.findingsByItem : await countFindings(models, policy.id, latestAnalysedVersion(policy));
  return summarizePolicy(policy, { departmentName: await departmentName(models, policy.draftingDepartmentId), updatedAt: doc.updatedAt, createdAt: doc.createdAt }, tallies);
}

async function departmentName(models: Models, id: string): Promise<string> {
  if (!isObjectIdHex(id)) return '';
  return (await models.Department.findById(id, { name: 1 }).lean())?.name ?? '';
}

async function departmentNames(models: Models): Promise<Map<string, string>> {
  return new Map((await models.Department.find({}, { name: 1 }).lean()).map((d) => [String(d._id), d.name]));
}

/** Brings one policy's summary up to date (see the file comment); whether it had to publish one. */
export async function recordPolicySummary(models: Models, policyId: string): Promise<boolean> {
  const stored = await models.PolicySummary.findById(policyId).lean<StoredSummary>();
  let written: PolicySummary | null | undefined = stored ? toSummary(stored) : stored;
  for (let attempt = 1; attempt <= RECORD_ATTEMPTS; attempt++) {
    const summary = await currentSummary(models, policyId, written ?? null);
    if (isDeepStrictEqual(summary, written ?? null)) return attempt > 1;
    await publish(models, policyId, summary);
    written = summary;
  }
  return true;
}

/**
 * Brings up to date the summaries of the policies changed since `since` (the outbox sweep between full rebuilds):
 * a writer that died between changing a policy and publishing its summary left a policy changed after the
 * previous sweep. Returns how many summaries it published.
 */
export async function repairRecentSummaries(models: Models, since: Date): Promise<number> {
  const recent = await models.Policy.find({ updatedAt: mongoose.trusted({ $gte: since }) }, { _id: 1 }).lean();
  let published = 0;
  for (const { _id } of recent) if (await recordPolicySummary(models, String(_id))) published++;
  return published;
}

/**
 * After a restore: a backup taken while the system ran may hold changes numbered past its copy of the sequence's
 * counter, so the counter moves past the last change kept before anything is published again (else the next
 * publication takes a number already used).
 */
export async function advanceSequencePastChanges(models: Models): Promise<void> {
  const last = await models.PolicySummaryChange.findOne({}, { seq: 1 }).sort({ seq: -1 }).lean();
  if (last) await models.Counter.updateOne({ _id: SUMMARY_SEQUENCE }, { $max: { seq: last.seq } }, { upsert: true });
}

/**
 * Compares every policy with its summary and publishes what differs, with the findings counted again: at worker
 * start-up and with each outbox sweep, and after data was written around the repository (a restore, the seeding
 * of a benchmark). Reads each collection once. Many changes at once are published as one jump of the sequence
 * without change records, which makes every API process reload all summaries.
 */
export async function rebuildPolicySummaries(models: Models): Promise<{ published: number; removed: number }> {
  const [policies, storedSummaries, findings, names] = await Promise.all([
    models.Policy.find({}).lean<StoredPolicy[]>(),
    models.PolicySummary.find({}).lean<StoredSummary[]>(),
    models.Finding.find({}, { policyId: 1, versionN: 1, itemId: 1, 'decision.status': 1 }).lean(),
    departmentNames(models),
  ]);
  const stored = new Map(storedSummaries.map((s) => [s._id, toSummary(s)]));
  const findingsOf = new Map<string, Array<{ versionN: number; itemId: string; status: 'pending' | 'confirmed' | 'dismissed' }>>();
  for (const f of findings) {
    const list = findingsOf.get(f.policyId) ?? [];
    list.push({ versionN: f.versionN, itemId: f.itemId, status: f.decision?.status ?? 'pending' });
    findingsOf.set(f.policyId, list);
  }
  const changed: PolicySummary[] = [];
  for (const doc of policies) {
    const policy = policyOf(doc);
    const n = latestAnalysedVersion(policy);
    const tallies = tallyFindings((findingsOf.get(policy.id) ?? []).filter((f) => f.versionN === n));
    const summary = summarizePolicy(policy, { departmentName: names.get(policy.draftingDepartmentId) ?? '', updatedAt: doc.updatedAt, createdAt: doc.createdAt }, tallies);
    if (!isDeepStrictEqual(summary, stored.get(policy.id))) changed.push(summary);
    stored.delete(policy.id);
  }
  const removed = [...stored.keys()];
  await publishMany(models, changed, removed);
  return { published: changed.length, removed: removed.length };
}

/**
 * Summaries of policies just inserted in bulk around the repository (no findings yet), published in one go: the
 * benchmark's seeding.
 */
export async function publishInsertedPolicies(models: Models, docs: ReadonlyArray<StoredPolicy>): Promise<void> {
  const names = await departmentNames(models);
  const summaries = docs.map((doc) => summarizePolicy(policyOf(doc), { departmentName: names.get(doc.draftingDepartmentId) ?? '', updatedAt: doc.updatedAt, createdAt: doc.createdAt }, []));
  await publishMany(models, summaries, []);
}

async function publishMany(models: Models, changed: PolicySummary[], removed: string[]): Promise<void> {
  if (changed.length + removed.length <= 100) {
    for (const summary of changed) await publish(models, summary.id, summary);
    for (const id of removed) await publish(models, id, null);
    return;
  }
  const base = await reserve(models, 0);
  for (let i = 0; i < changed.length; i += 500) {
    await models.PolicySummary.bulkWrite(changed.slice(i, i + 500).map((s) => ({
      replaceOne: { filter: { _id: s.id }, replacement: { _id: s.id, seq: base, ...toStoredFields(s) }, upsert: true },
    })));
  }
  for (const id of removed) await models.PolicySummary.deleteOne({ _id: id });
  // Only now, with every summary in place, the jump that makes each API process reload them all.
  await reserve(models, CHANGES_KEPT + 1);
}
