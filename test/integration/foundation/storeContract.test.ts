/**
 * The store contract: every mongoose feature FairReview relies on, run against the real provisioned store
 * (FerretDB/SQLite in development and CI, MongoDB 7 in production). A later feature that uses something new
 * adds its case here first.
 */
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { ConflictError } from '../../../server/domain/errors';
import { bindModels, syncIndexes, type Models } from '../../../server/db/models/index';
import { sumBy } from '../../../server/db/aggregate';
import { connectIsolatedStore } from '../../support/services';

interface CaseEvent { action: string; from: string; to: string; at: Date }
interface CaseDoc { title: string; state: string; rev: number; department: string; events: CaseEvent[]; score: number }

describe('store contract (real store)', function () {
  let connection: Connection;
  let Case: Model<CaseDoc>;
  let models: Models;

  before(async function () {
    connection = await connectIsolatedStore('contract');
    const schema = new Schema<CaseDoc>({
      title: String,
      state: { type: String, required: true },
      rev: { type: Number, default: 0 },
      department: String,
      score: Number,
      events: [{ action: String, from: String, to: String, at: Date, _id: false }],
    });
    Case = connection.model<CaseDoc>('ContractCase', schema);
    models = bindModels(connection);
    await syncIndexes(models);
  });

  after(async function () {
    await connection.dropDatabase();
    await connection.close();
  });

  it('creates, finds and updates a document', async function () {
    const created = await Case.create({ title: '草案', state: 'draft', department: 'a', score: 1 });
    const found = await Case.findById(created._id).lean();
    expect(found?.title).to.equal('草案');
    await Case.updateOne({ _id: created._id }, { $set: { title: '草案（修订）' } });
    expect((await Case.findById(created._id).lean())?.title).to.equal('草案（修订）');
  });

  it('finds a document by _id with an index search, not by reading the whole collection', async function () {
    const created = await Case.create({ title: '按编号查找', state: 'draft' });
    // MongoDB: IDHACK or an index scan. The embedded store: the SQLite index its own main adds to a collection
    // right after the write that created it (scripts/ferretdb/idindex.go), so already for this first lookup.
    const plan = JSON.stringify(await Case.findById(created._id).explain());
    expect(plan).to.match(/USING INDEX \S+__id_path|IDHACK|EXPRESS_IXSCAN|IXSCAN/);
  });

  it('applies a transition only when state and revision match, appending its event atomically', async function () {
    const doc = await Case.create({ title: 't', state: 'draft', department: 'a', score: 1 });
    const transition = (fromState: string, rev: number, to: string) =>
      Case.findOneAndUpdate(
        { _id: doc._id, state: fromState, rev },
        { $set: { state: to }, $inc: { rev: 1 }, $push: { events: { action: 'move', from: fromState, to, at: new Date() } } },
        { new: true },
      ).lean();

    const moved = await transition('draft', 0, 'self_review');
    expect(moved?.state).to.equal('self_review');
    expect(moved?.rev).to.equal(1);
    expect(moved?.events.map((e) => e.to)).to.deep.equal(['self_review']);

    expect(await transition('draft', 1, 'withdrawn'), 'wrong state').to.equal(null);
    expect(await transition('self_review', 0, 'concluded'), 'stale revision').to.equal(null);
    const after = await Case.findById(doc._id).lean();
    expect(after?.state).to.equal('self_review');
    expect(after?.rev).to.equal(1);
    expect(after?.events).to.have.length(1);
  });

  it('lets exactly one of many concurrent guarded updates win', async function () {
    const doc = await Case.create({ title: 'race', state: 'draft', department: 'a', score: 1 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      Case.findOneAndUpdate({ _id: doc._id, rev: 0 }, { $set: { title: `winner ${i}` }, $inc: { rev: 1 } }, { new: true }).lean()));
    expect(results.filter(Boolean)).to.have.length(1);
    expect((await Case.findById(doc._id).lean())?.rev).to.equal(1);
  });

  it('appends to an array with $push without losing concurrent appends', async function () {
    const doc = await Case.create({ title: 'push', state: 'draft', department: 'a', score: 1 });
    await Promise.all(Array.from({ length: 25 }, (_, i) =>
      Case.updateOne({ _id: doc._id }, { $push: { events: { action: `e${i}`, from: 'x', to: 'y', at: new Date() } } })));
    const after = await Case.findById(doc._id).lean();
    expect(after?.events).to.have.length(25);
    expect(new Set(after?.events.map((e) => e.action)).size).to.equal(25);
  });

  it('sets and unsets one key of an embedded map by a dotted path, leaving the other keys', async function () {
    const Outbox = connection.model('ContractOutbox', new Schema({ owed: { type: Map, of: new Schema({ reason: String }, { _id: false }), default: {} } }, { minimize: false }));
    const doc = await Outbox.create({});
    await Promise.all(['p1', 'p2', 'p3'].map((key) => Outbox.updateOne({ _id: doc._id }, { $set: { [`owed.${key}`]: { reason: key } } })));
    await Outbox.updateOne({ _id: doc._id }, { $unset: { 'owed.p2': '' } });
    const after = await Outbox.findById(doc._id).lean<{ owed: Record<string, { reason: string }> }>();
    expect(after?.owed).to.deep.equal({ p1: { reason: 'p1' }, p3: { reason: 'p3' } });
  });

  it('surfaces a unique-index violation as a typed ConflictError', async function () {
    const department = await models.Department.create({ code: 'dup-test', name: '测试部门', kind: 'drafting' });
    await models.User.create({ username: 'same-name', displayName: '甲', passwordHash: 'x', role: 'drafter', departmentId: department._id });
    let caught: unknown;
    try {
      await models.User.create({ username: 'same-name', displayName: '乙', passwordHash: 'y', role: 'drafter', departmentId: department._id });
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(ConflictError);
    expect((caught as ConflictError).code).to.equal('duplicate_key');
    expect(await models.User.countDocuments({ username: 'same-name' })).to.equal(1);
  });

  it('never runs an operator object arriving as a filter value (sanitizeFilter), unless marked trusted', async function () {
    const department = await models.Department.create({ code: 'sanitize-test', name: '测试部门', kind: 'drafting' });
    await models.User.create({ username: 'sanitize-user', displayName: '丙', passwordHash: 'z', role: 'drafter', departmentId: department._id });
    const injected = JSON.parse('{"$gt": ""}') as unknown as string;
    // wrapped in $eq, an object is no string: the query is refused before it reaches the store
    let refused: unknown;
    await models.User.findOne({ username: injected }).lean().catch((err: unknown) => { refused = err; });
    expect(refused, 'operator from a request').to.be.instanceOf(mongoose.Error.CastError);
    expect(await models.User.countDocuments({ username: mongoose.trusted({ $gt: '' }) }), 'trusted operator').to.be.at.least(1);
  });

  it('counts and aggregates with $match and $group/$sum, one accumulator per $group (sumBy)', async function () {
    await Case.insertMany([
      { title: 'g1', state: 'published', department: 'd1', score: 2 },
      { title: 'g2', state: 'published', department: 'd1', score: 3 },
      { title: 'g3', state: 'published', department: 'd2', score: 5 },
      { title: 'g4', state: 'withdrawn', department: 'd2', score: 7 },
    ]);
    expect(await Case.countDocuments({ state: 'published' })).to.equal(3);
    const counts = await sumBy(Case, { state: 'published' }, '$department');
    const totals = await sumBy(Case, { state: 'published' }, '$department', '$score');
    expect(Object.fromEntries(counts)).to.deep.equal({ d1: 2, d2: 1 });
    expect(Object.fromEntries(totals)).to.deep.equal({ d1: 5, d2: 5 });
    expect(Object.fromEntries(await sumBy(Case, { department: 'd2' }, null, '$score'))).to.deep.equal({ null: 12 });
  });

  it('stores and reads back a 5 MB file through GridFS', async function () {
    const bucket = new mongoose.mongo.GridFSBucket(connection.db!, { bucketName: 'contractFiles' });
    const data = crypto.randomBytes(5 * 1024 * 1024);
    const id = await new Promise<mongoose.mongo.ObjectId>((resolve, reject) => {
      const upload = bucket.openUploadStream('草案.docx', { metadata: { sha256: sha256(data) } });
      Readable.from([data]).pipe(upload).on('error', reject).on('finish', () => resolve(upload.id));
    });
    const chunks: Buffer[] = [];
    for await (const chunk of bucket.openDownloadStream(id)) chunks.push(chunk as Buffer);
    const back = Buffer.concat(chunks);
    expect(back.length).to.equal(data.length);
    expect(sha256(back)).to.equal(sha256(data));
    const [meta] = await bucket.find({ _id: id }).toArray();
    expect(meta?.filename).to.equal('草案.docx');
    await bucket.delete(id);
    expect(await bucket.find({ _id: id }).toArray()).to.have.length(0);
  });
});

function sha256(buf: Buffer): string {
  return crypto.createHash('sha256').update(buf).digest('hex');
}
