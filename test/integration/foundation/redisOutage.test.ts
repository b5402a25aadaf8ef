/**
 * Redis goes away for 20 seconds under a running API (a Redis this suite owns, the shared store): nothing answers
 * 500. Login and the reporter's endpoints keep working on per-process rate limits; what needs the queue answers
 * 503 queue_unavailable in Chinese; when Redis returns on the same address, the same API process queues again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { provisionRedis, type ProvisionedRedis } from '../../../scripts/services/redis';
import { client, type JsonResponse } from '../../support/http';
import { startTestApp, type TestApp } from '../../support/testApp';
import { PATIENT_MS, waitFor } from '../../support/waitFor';
import { DRAFT_V1, demoUsers, upload, type DemoUsers, type PolicyBody } from '../api/policyHelpers';

const noExternal = { ...process.env, MONGODB_URI: '', REDIS_URL: '' };
const OUTAGE_MS = 20_000;

describe('a Redis outage under a running API (no 500 anywhere, recovery without restart)', function () {
  this.timeout(4 * PATIENT_MS);
  let dir: string;
  let redis: ProvisionedRedis;
  let app: TestApp;
  let u: DemoUsers;

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairreview-redis-outage-'));
    redis = await provisionRedis({ dataDir: path.join(dir, 'redis'), persist: false, env: noExternal, logFile: path.join(dir, 'redis.log') });
    app = await startTestApp({ label: 'redis-outage', redisUrl: redis.url });
    u = await demoUsers(app);
  });
  after(async function () {
    await app?.close();
    await redis?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const anonymous = () => client(app.baseUrl);
  const statistics = () => u.regulator.api.post<{ id: string; status: string }>('/api/v1/reports', { kind: 'statistics', from: '2025-01-01', to: '2025-12-31' });

  it('keeps login and complaints working, answers 503 for queued work, and queues again once Redis is back', async function () {
    const policy = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: '某市关于促进商贸流通的若干措施', kind: 'normative_document', issuingLevel: 'department' });
    expect(policy.status).to.equal(201);

    await redis.stop();
    const stoppedAt = Date.now();
    const answers: Array<{ what: string; res: JsonResponse<unknown> }> = [];
    const record = async <T>(what: string, res: Promise<JsonResponse<T>>) => {
      const settled = await res;
      answers.push({ what, res: settled as JsonResponse<unknown> });
      return settled;
    };

    // once: a complaint is filed and followed; an upload is stored but its analysis cannot be queued
    const filed = await record('complaint intake', anonymous().post<{ refNo: string; accessCode: string }>('/api/v1/complaints', { measureText: '某区关于本地企业优先的通知', description: '要求优先采购本地企业产品。', reporterName: '王小明', reporterContact: '13812345678' }));
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    const uploaded = await upload(app.baseUrl, u.drafter.token, policy.body.id, Buffer.from(DRAFT_V1, 'utf8'), '措施.txt');
    answers.push({ what: 'upload', res: uploaded });
    expect(uploaded.status, JSON.stringify(uploaded.body)).to.equal(503);
    expect(uploaded.body).to.include({ code: 'queue_unavailable' });

    // for the whole outage: every kind of request, again and again; wrong passwords until the (per-process) limit
    let wrongPasswords = 0;
    do {
      const login = await record('login', anonymous().post('/api/v1/auth/login', { username: 'drafter', password: 'demo1234' }));
      expect(login.status, JSON.stringify(login.body)).to.equal(200);
      if (wrongPasswords <= 10) {
        const wrong = await record('wrong password', anonymous().post('/api/v1/auth/login', { username: 'lead', password: 'not-it' }));
        wrongPasswords++;
        expect(wrong.status, `wrong password ${wrongPasswords}: ${JSON.stringify(wrong.body)}`).to.equal(wrongPasswords <= 10 ? 401 : 429);
      }
      const status = await record('complaint status', anonymous().get(`/api/v1/complaints/status?refNo=${filed.body.refNo}&accessCode=${filed.body.accessCode}`));
      expect(status.status, JSON.stringify(status.body)).to.equal(200);
      const report = await record('report request', statistics());
      expect(report.status, JSON.stringify(report.body)).to.equal(503);
      expect(report.body).to.include({ code: 'queue_unavailable' });
      expect((report.body as unknown as { detail: string }).detail).to.match(/任务队列暂不可用/);
      const reanalyse = await record('re-analysis', u.drafter.api.post(`/api/v1/policies/${policy.body.id}/versions/1/analysis`));
      expect(reanalyse.status, JSON.stringify(reanalyse.body)).to.equal(503);
      await record('policy list', u.drafter.api.get('/api/v1/policies'));
      await record('health', anonymous().get('/health'));
    } while (Date.now() - stoppedAt < OUTAGE_MS);

    const errors = answers.filter((a) => a.res.status >= 500 && a.res.status !== 503);
    expect(errors.map((a) => `${a.what}: ${a.res.status} ${JSON.stringify(a.res.body)}`)).to.deep.equal([]);
    expect(answers.filter((a) => a.what === 'policy list').every((a) => a.res.status === 200)).to.equal(true);
    expect(answers.filter((a) => a.what === 'health').every((a) => a.res.status === 503)).to.equal(true);

    // Redis returns on the same address: the same API process queues again
    redis = await provisionRedis({ dataDir: path.join(dir, 'redis'), persist: false, env: noExternal, port: redis.port, logFile: path.join(dir, 'redis.log') });
    const queued = await waitFor('a report request to be queued again', async () => {
      const res = await statistics();
      return res.status === 202 ? res.body : undefined;
    }, { intervalMs: 250 });
    expect(queued.status).to.equal('queued');
    expect(await app.deps.queues.reports.getJobCounts('waiting')).to.deep.equal({ waiting: 1 });
    const again = await u.drafter.api.post(`/api/v1/policies/${policy.body.id}/versions/1/analysis`);
    expect(again.status, JSON.stringify(again.body)).to.equal(202);
  });
});
