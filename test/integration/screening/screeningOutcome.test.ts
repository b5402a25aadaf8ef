/**
 * How a screening document is found and its outcome recorded, on the real store: a file's document is found by an
 * id derived from batch and content (also the one a content added before that gets its paths), and an outcome is
 * recorded once — the first one — however often a job records, including a run that died half-way.
 */
import { expect } from 'chai';
import mongoose from 'mongoose';
import { ScreeningRepository, screeningDocumentId } from '../../../server/db/screeningRepository';
import { suggestDisposition, type ScreeningOutcome } from '../../../server/domain/screeningDocument';
import { startTestApp, type TestApp } from '../../support/testApp';

const SCREENED: ScreeningOutcome = { status: 'screened', format: 'txt', chars: 1200, checklistVersion: 'v-test', operatingPoint: 'screen', clauses: [] };
const FAILED: ScreeningOutcome = { status: 'failed', errorCode: 'screening_failed', error: '筛查未能完成' };
const file = (sha256: string, filePath: string) => ({ sha256, path: filePath, filename: filePath.split('/').pop()!, department: '市商务局', size: 10 });

describe('screening documents on the store: found by _id, one outcome each', function () {
  let app: TestApp;
  let repo: ScreeningRepository;
  const batchId = new mongoose.Types.ObjectId().toHexString();

  before(async function () {
    app = await startTestApp({ label: 'screening-outcome' });
    repo = new ScreeningRepository(app.deps.models);
  });
  after(async function () {
    await app?.close();
  });

  it('a content is one document of the batch, its id derived from batch and content; each path is added once', async function () {
    const first = await repo.addFile(batchId, file('a'.repeat(64), '市商务局/通知.txt'));
    const again = await repo.addFile(batchId, file('a'.repeat(64), '副本/通知.txt'));
    await repo.addFile(batchId, file('a'.repeat(64), '副本/通知.txt'));
    expect(first.id).to.equal(screeningDocumentId(batchId, 'a'.repeat(64)));
    expect(again.id).to.equal(first.id);
    expect(again.paths).to.deep.equal(['市商务局/通知.txt', '副本/通知.txt']);
    expect(await repo.findDocument(batchId, first.id)).to.include({ id: first.id, status: 'queued' });
    expect(await repo.findDocument(new mongoose.Types.ObjectId().toHexString(), first.id), 'another batch').to.equal(null);
    // the same content in another batch is another document
    expect((await repo.addFile(new mongoose.Types.ObjectId().toHexString(), file('a'.repeat(64), '通知.txt'))).id).to.not.equal(first.id);
  });

  it('a content added under an id not derived from it (an earlier version) gains the path instead of a second document', async function () {
    const earlier = new mongoose.Types.ObjectId();
    await app.deps.models.ScreeningDocument.collection.insertOne({ _id: earlier, batchId, sha256: 'b'.repeat(64), paths: ['旧/文件.txt'], filename: '文件.txt', department: '', size: 1, fileChunks: null, status: 'queued', recheckPolicyId: null, review: { status: 'pending' } } as never);
    const doc = await repo.addFile(batchId, file('b'.repeat(64), '新/文件.txt'));
    expect(doc.id).to.equal(String(earlier));
    expect(doc.paths).to.have.members(['旧/文件.txt', '新/文件.txt']);
    expect(await app.deps.models.ScreeningDocument.countDocuments({ batchId, sha256: 'b'.repeat(64) })).to.equal(1);
  });

  it('records the first outcome only: a second run changes nothing and says so', async function () {
    const doc = await repo.addFile(batchId, file('c'.repeat(64), '市商务局/措施.txt'));
    expect(await repo.recordOutcome(doc.id, SCREENED, suggestDisposition(SCREENED), new Date('2026-01-01T00:00:00Z'))).to.equal(true);
    expect(await repo.recordOutcome(doc.id, FAILED, suggestDisposition(FAILED), new Date('2026-01-02T00:00:00Z'))).to.equal(false);
    const stored = await repo.findDocument(batchId, doc.id);
    expect(stored).to.include({ status: 'screened', screenings: 1, disposition: 'keep', finishedAt: '2026-01-01T00:00:00.000Z' });
  });

  it('a run that died after recording the outcome but before copying it onto the document is completed by the next', async function () {
    const doc = await repo.addFile(batchId, file('d'.repeat(64), '市商务局/办法.txt'));
    await repo.recordOutcome(doc.id, FAILED, suggestDisposition(FAILED), new Date('2026-01-01T00:00:00Z'));
    // as if the copy had never happened: the document still waits, its outcome is recorded
    await app.deps.models.ScreeningDocument.updateOne({ _id: doc.id }, { $set: { status: 'queued', disposition: null, finishedAt: null, screenings: 0 } });
    expect(await repo.recordOutcome(doc.id, SCREENED, suggestDisposition(SCREENED), new Date('2026-01-03T00:00:00Z'))).to.equal(false);
    expect(await repo.findDocument(batchId, doc.id)).to.include({ status: 'failed', errorCode: 'screening_failed', disposition: 'manual', screenings: 1, finishedAt: '2026-01-01T00:00:00.000Z' });
  });
});
