/**
 * The reading view's API against the real store, Redis and a worker: a version's full text with its headings
 * (the findings' offsets point into it), and the clause-level comparison of two versions with the findings each
 * change resolved; bad input answers problem+json in Chinese.
 */
import { expect } from 'chai';
import { startTestApp, type TestApp } from '../../support/testApp';
import { startWorker, type WorkerProcess } from '../../support/workerProcess';
import { DRAFT_V1, DRAFT_V2, demoUsers, expectProblem, upload, waitForVersion, type DemoUsers, type PolicyBody } from './policyHelpers';

interface TextBody { versionN: number; text: string; headings: Array<{ kind: string; label: string; start: number; end: number }> }
interface FindingBody { id: string; itemId: string; start: number; end: number; text: string }
interface ComparisonBody {
  from: number;
  to: number;
  unchanged: number;
  resolvedCount: number;
  changes: Array<{ kind: string; before: { label: string; text: string } | null; after: { label: string; text: string } | null; resolved: Array<{ id: string; itemId: string }> }>;
  resolvedElsewhere: unknown[];
}

describe('reading view API: version text and comparison (real store, Redis and worker)', function () {
  this.timeout(90_000);
  let app: TestApp;
  let worker: WorkerProcess;
  let u: DemoUsers;
  let id: string;

  before(async function () {
    app = await startTestApp({ label: 'reading' });
    u = await demoUsers(app);
    worker = await startWorker(app);
    const created = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: '某市关于支持本地商贸企业发展的若干措施', kind: 'normative_document', issuingLevel: 'department' });
    id = created.body.id;
    for (const [n, draft] of [[1, DRAFT_V1], [2, DRAFT_V2]] as const) {
      expect((await upload(app.baseUrl, u.drafter.token, id, Buffer.from(draft, 'utf8'), `措施${n}.txt`, 'text/plain')).status).to.equal(202);
      expect((await waitForVersion(u.drafter.api, id, n)).status).to.equal('analysed');
    }
  });
  after(async function () {
    await worker?.stop();
    await app?.close();
  });

  it('gives the analysed text with its article headings; every finding points into it', async function () {
    const res = await u.drafter.api.get<TextBody>(`/api/v1/policies/${id}/versions/1/text`);
    expect(res.status).to.equal(200);
    expect(res.body.text).to.equal(DRAFT_V1);
    expect(res.body.headings.map((h) => h.label)).to.deep.equal(['第一条', '第二条', '第三条', '第四条']);
    for (const h of res.body.headings) expect(res.body.text.slice(h.start, h.end)).to.match(new RegExp(`^${h.label}`));
    const findings = (await u.drafter.api.get<{ items: FindingBody[] }>(`/api/v1/policies/${id}/versions/1/findings`)).body.items;
    expect(findings.length).to.be.greaterThan(0);
    for (const f of findings) expect(res.body.text.slice(f.start, f.end)).to.equal(f.text);
  });

  it('compares version 2 with version 1: the edited and the deleted article, each with the finding it resolved', async function () {
    const res = await u.drafter.api.get<ComparisonBody>(`/api/v1/policies/${id}/versions/2/comparison`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ from: 1, to: 2 });
    const byKind = (kind: string) => res.body.changes.filter((c) => c.kind === kind);
    const procurement = byKind('changed').find((c) => c.before?.label === '第二条')!;
    expect(procurement.after!.text).to.include('依法平等对待');
    expect(procurement.resolved.length).to.be.greaterThan(0);
    const rebate = byKind('removed').find((c) => c.before?.text.includes('土地出让金'))!;
    expect(rebate.resolved.map((f) => f.itemId)).to.include('cost-3');
    // 第四条 became 第三条 unchanged: not a change
    expect(res.body.changes.some((c) => c.before?.label === '第四条')).to.equal(false);
    expect(res.body.resolvedCount).to.equal(res.body.changes.reduce((n, c) => n + c.resolved.length, 0) + res.body.resolvedElsewhere.length);
    // explicit ?with= gives the same comparison
    expect((await u.drafter.api.get<ComparisonBody>(`/api/v1/policies/${id}/versions/2/comparison?with=1`)).body).to.deep.equal(res.body);
  });

  it('refuses what cannot be compared or read, in Chinese, and hides other departments\' policies', async function () {
    expectProblem(await u.drafter.api.get(`/api/v1/policies/${id}/versions/2/comparison?with=2`), 400, 'same_version');
    expectProblem(await u.drafter.api.get(`/api/v1/policies/${id}/versions/2/comparison?with=9`), 404, 'version_not_found');
    expectProblem(await u.drafter.api.get(`/api/v1/policies/${id}/versions/1/comparison`), 409, 'nothing_to_compare');
    expectProblem(await u.drafter.api.get(`/api/v1/policies/${id}/versions/2/comparison?with=abc`), 400);
    expectProblem(await u.drafter.api.get(`/api/v1/policies/${id}/versions/7/text`), 404, 'version_not_found');
    expectProblem(await u.drafter2.api.get(`/api/v1/policies/${id}/versions/1/text`), 404, 'policy_not_found');
  });
});
