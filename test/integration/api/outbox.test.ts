/**
 * The outbox over real processes: an API process is SIGKILLed in the middle of an upload, after the file was saved
 * or after the version was recorded but before its job reached Redis. A worker's sweep queues the version (which
 * is then analysed) and removes the file nothing references.
 */
import { expect } from 'chai';
import mongoose from 'mongoose';
import { analysisJobId } from '../../../server/queues';
import { startApiProcess } from '../../support/apiProcess';
import { client, login } from '../../support/http';
import { startTestApp, type TestApp } from '../../support/testApp';
import { PATIENT_MS, waitFor } from '../../support/waitFor';
import { startWorker, type WorkerProcess } from '../../support/workerProcess';
import { DRAFT_V1, demoUsers, upload, waitForVersion, type DemoUsers, type PolicyBody } from './policyHelpers';

describe('outbox: an API killed between saving an upload and queueing its job (real processes)', function () {
  this.timeout(5 * PATIENT_MS);
  let app: TestApp;
  let u: DemoUsers;
  const workers: WorkerProcess[] = [];
  const SECRET = { AUTH_SECRET: 'outbox-test-secret-'.padEnd(40, 'x') };

  before(async function () {
    app = await startTestApp({ label: 'outbox', env: SECRET });
    u = await demoUsers(app);
  });
  after(async function () {
    await Promise.all(workers.map((w) => w.kill()));
    await app?.close();
  });

  /** Uploads through an API process that halts after `step`, kills it there, and returns the policy id. */
  async function uploadThroughDyingApi(step: 'file_saved' | 'version_saved'): Promise<string> {
    const api = await startApiProcess(app, { ...SECRET, TEST_UPLOAD_HALT_AFTER: step });
    const token = await login(api.baseUrl, 'drafter');
    const created = await client(api.baseUrl, token).post<PolicyBody>('/api/v1/policies', { title: `上传中断（${step}）的政策措施`, kind: 'normative_document', issuingLevel: 'department' });
    expect(created.status).to.equal(201);
    const request = upload(api.baseUrl, token, created.body.id, Buffer.from(DRAFT_V1, 'utf8'), '措施.txt').catch((err: Error) => err);
    await waitFor(`the upload to halt after ${step}`, async () => (api.output().includes('upload halted for a test') ? true : undefined));
    await api.kill();
    expect(await request, 'the client saw the API die').to.be.instanceOf(Error);
    return created.body.id;
  }

  const files = (policyId: string) => app.deps.store.db!.collection('policyVersions.files').countDocuments({ 'metadata.policyId': policyId });

  it('queues a version recorded without a job when a worker starts, and the version is analysed', async function () {
    const id = await uploadThroughDyingApi('version_saved');
    const stuck = await app.deps.models.Policy.findById(id).lean();
    expect(stuck!.versions.map((v) => v.analysis.status), 'recorded, never queued').to.deep.equal(['queued']);
    expect(await app.deps.queues.analysis.getJobState(analysisJobId({ policyId: id, version: 1 }))).to.equal('unknown');

    workers.push(await startWorker(app));
    expect((await waitForVersion(u.drafter.api, id, 1)).status).to.equal('analysed');
    expect(await files(id)).to.equal(1);
  });

  it('removes a saved file that no version references once the grace period is over, and keeps referenced ones', async function () {
    const id = await uploadThroughDyingApi('file_saved');
    expect(await files(id), 'saved, then the API died').to.equal(1);
    expect((await app.deps.models.Policy.findById(id).lean())!.versions).to.have.length(0);

    // a running worker sweeps periodically; with no grace period the orphan goes at the next sweep
    workers.push(await startWorker(app, { ORPHAN_FILE_GRACE_MS: '0', OUTBOX_SWEEP_INTERVAL_MS: '500' }));
    await waitFor('the orphaned file to be removed', async () => ((await files(id)) === 0 ? true : undefined));
    const referenced = await app.deps.models.Policy.find({ 'versions.0': mongoose.trusted({ $exists: true }) }).lean();
    for (const policy of referenced) expect(await files(String(policy._id)), 'a referenced file stays').to.equal(policy.versions.length);
  });
});
