/**
 * The analysis job under failure, with real worker processes: killed mid-analysis (SIGKILL), killed repeatedly,
 * transient store faults (the document's GridFS chunks vanish, then come back or not), and an unreadable
 * document. No version may stay `analysing`; each ends `analysed` or `failed` with a reason.
 */
import { expect } from 'chai';
import { Types } from 'mongoose';
import { analysisJobId } from '../../../server/queues';
import { makeEncryptedPdf } from '../../fixtures/makeDocuments';
import { startTestApp, type TestApp } from '../../support/testApp';
import { PATIENT_MS, waitFor } from '../../support/waitFor';
import { startWorker, type WorkerProcess } from '../../support/workerProcess';
import { DRAFT_V1, demoUsers, expectProblem, upload, waitForVersion, type DemoUsers, type PolicyBody } from './policyHelpers';
import { queueAnalysis } from '../../../server/services/policyVersions';

// Each analysis gets three tries, a second apart, so the retry tests finish in seconds.
const ATTEMPTS = 3;
const BACKOFF_MS = 1000;

describe('analysis worker under failure (real worker processes)', function () {
  // Several worker starts and polls with generous deadlines each: only a hung test comes near this.
  this.timeout(5 * PATIENT_MS);
  let app: TestApp;
  let u: DemoUsers;
  let running: WorkerProcess[] = [];

  before(async function () {
    app = await startTestApp({ label: 'analysis', env: { ANALYSIS_ATTEMPTS: String(ATTEMPTS), ANALYSIS_BACKOFF_MS: String(BACKOFF_MS) } });
    u = await demoUsers(app);
  });
  afterEach(async function () {
    await Promise.all(running.map((w) => w.kill()));
    running = [];
  });
  after(async function () {
    await app?.close();
  });

  async function worker(env: Record<string, string> = {}): Promise<WorkerProcess> {
    const started = await startWorker(app, env);
    running.push(started);
    return started;
  }

  /**
   * A worker that holds each version in `analysing` (test/support/workerEntry.ts). Every worker started with it is
   * killed during the pause, so it may be long: the test never waits for it to end.
   */
  const SLOW = { TEST_ANALYSIS_DELAY_MS: '60000' };

  async function draftWithUpload(data: Buffer = Buffer.from(DRAFT_V1, 'utf8'), filename = '措施.txt'): Promise<string> {
    const created = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: '某市关于支持本地商贸企业发展的若干措施', kind: 'normative_document', issuingLevel: 'department' });
    const res = await upload(app.baseUrl, u.drafter.token, created.body.id, data, filename);
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    return created.body.id;
  }

  const job = (policyId: string) => app.deps.queues.analysis.getJob(analysisJobId({ policyId, version: 1 }));
  /**
   * The job once BullMQ has finished it: the version's outcome is recorded a moment before the job's. The state is
   * read first, then the job: a job read before its state could predate the outcome the state reports.
   */
  const finishedJob = (policyId: string) => waitFor('the job to be completed or failed', async () => {
    const state = await app.deps.queues.analysis.getJobState(analysisJobId({ policyId, version: 1 }));
    return state === 'completed' || state === 'failed' ? job(policyId) : undefined;
  });
  const chunks = () => app.deps.store.db!.collection('policyVersions.chunks');
  async function fileIdOf(policyId: string): Promise<Types.ObjectId> {
    const policy = await u.drafter.api.get<{ versions: Array<{ fileId: string }> }>(`/api/v1/policies/${policyId}`);
    return new Types.ObjectId(policy.body.versions[0]!.fileId);
  }

  it('hands a version whose worker was killed mid-analysis (SIGKILL) to the next worker, which finishes it', async function () {
    const first = await worker(SLOW);
    const id = await draftWithUpload();
    await waitForVersion(u.drafter.api, id, 1, ['analysing']);
    await first.kill();
    expect((await waitForVersion(u.drafter.api, id, 1, ['analysing'])).status, 'still analysing with no worker alive').to.equal('analysing');

    await worker();
    const done = await waitForVersion(u.drafter.api, id, 1, ['analysed', 'failed']);
    expect(done.status, JSON.stringify(done)).to.equal('analysed');
    expect(done.counts.total).to.be.at.least(2);
    const findings = await u.drafter.api.get<{ items: Array<{ id: string }> }>(`/api/v1/policies/${id}/findings`);
    expect(findings.body.items, JSON.stringify(findings.body)).to.have.length(done.counts.total);
    expect(new Set(findings.body.items.map((f) => f.id)).size).to.equal(done.counts.total);
    const finished = await finishedJob(id);
    expect(finished?.stalledCounter).to.equal(1);
    expect(finished?.returnvalue).to.deep.include({ findings: done.counts.total });

    // one job per version: queueing the same version again adds nothing
    await queueAnalysis(app.deps, id, 1);
    expect(await app.deps.queues.analysis.getJobState(analysisJobId({ policyId: id, version: 1 }))).to.equal('completed');
  });

  it('fails a version whose workers keep dying instead of leaving it analysing, and analyses it again on request', async function () {
    const first = await worker(SLOW);
    const id = await draftWithUpload();
    await waitForVersion(u.drafter.api, id, 1, ['analysing']);
    await first.kill();
    const second = await worker(SLOW);
    // the second worker takes the stalled job over (a second start), then dies too
    await waitFor('the second worker to take the job over', async () => ((await job(id))?.attemptsStarted === 2 ? true : undefined));
    await second.kill();

    await worker();
    const failed = await waitForVersion(u.drafter.api, id, 1, ['failed', 'analysed']);
    expect(failed).to.include({ status: 'failed', errorCode: 'analysis_failed' });
    expect(failed.error).to.match(/分析未能完成/);

    const again = await u.drafter.api.post(`/api/v1/policies/${id}/versions/1/analysis`);
    expect(again.status, JSON.stringify(again.body)).to.equal(202);
    expect((await waitForVersion(u.drafter.api, id, 1)).status).to.equal('analysed');
  });

  it('queues a version again whose job was lost from Redis, and refuses to re-analyse one that is analysed or still queued', async function () {
    const id = await draftWithUpload();
    expectProblem(await u.drafter.api.post(`/api/v1/policies/${id}/versions/1/analysis`), 409, 'not_reanalysable');
    await (await job(id))!.remove();
    expect((await waitForVersion(u.drafter.api, id, 1, ['queued'])).status, 'stuck with no job behind it').to.equal('queued');
    const again = await u.drafter.api.post(`/api/v1/policies/${id}/versions/1/analysis`);
    expect(again.status, JSON.stringify(again.body)).to.equal(202);
    await worker();
    expect((await waitForVersion(u.drafter.api, id, 1)).status).to.equal('analysed');
    expectProblem(await u.drafter.api.post(`/api/v1/policies/${id}/versions/1/analysis`), 409, 'not_reanalysable');
  });

  it('retries a transient store fault with backoff: the document vanishes from GridFS, comes back, and is analysed', async function () {
    const id = await draftWithUpload();
    // This job waits long before its retry, so the test restores the document while the retry is pending
    // however slowly it observes the first failure; the wait ends at the retry, not after a fixed time.
    await (await job(id))!.remove();
    await queueAnalysis({ queues: app.deps.queues, config: { ...app.deps.config, ANALYSIS_BACKOFF_MS: 8000 } }, id, 1);
    const fileId = await fileIdOf(id);
    const saved = await chunks().find({ files_id: fileId }).toArray();
    expect(saved).to.have.length.above(0);
    await chunks().deleteMany({ files_id: fileId });

    await worker();
    // the first attempt fails: the version goes back to `queued` with a note while the retry waits
    let last: unknown;
    const retrying = await waitFor('the first attempt to fail', async () => {
      const v = await u.drafter.api.get<{ errorCode?: string; status: string }>(`/api/v1/policies/${id}/versions/1`);
      last = v.body;
      return v.body.errorCode === 'retrying' ? v.body : undefined;
    }, { describe: () => JSON.stringify(last) });
    expect(retrying.status).to.equal('queued');
    await chunks().insertMany(saved);

    const done = await waitForVersion(u.drafter.api, id, 1);
    expect(done.status, JSON.stringify(done)).to.equal('analysed');
    expect(done.errorCode).to.equal(undefined);
    expect((await finishedJob(id)).attemptsMade, 'the failed try and the successful one').to.equal(2);
  });

  it('marks the version failed with the reason once the last attempt of a persisting fault fails', async function () {
    const id = await draftWithUpload();
    await chunks().deleteMany({ files_id: await fileIdOf(id) });
    const started = Date.now();
    await worker();
    const failed = await waitForVersion(u.drafter.api, id, 1, ['failed', 'analysed']);
    expect(failed).to.include({ status: 'failed', errorCode: 'analysis_failed' });
    expect(failed.error).to.match(/^分析失败（已重试 3 次）/);
    expect(Date.now() - started, 'two backoff delays: 1 s, then 2 s').to.be.at.least(BACKOFF_MS * 3);
    expect((await finishedJob(id)).attemptsMade).to.equal(ATTEMPTS);
  });

  it('fails an unreadable document at once with the extractor\'s Chinese reason, without retrying', async function () {
    await worker();
    const id = await draftWithUpload(makeEncryptedPdf(), '加密.pdf');
    const failed = await waitForVersion(u.drafter.api, id, 1);
    expect(failed).to.include({ status: 'failed', errorCode: 'pdf_encrypted' });
    expect(failed.error).to.match(/已加密/);
    const finished = await finishedJob(id);
    expect(finished?.attemptsMade).to.equal(1);
    expect(await finished?.isFailed()).to.equal(true);
  });
});
