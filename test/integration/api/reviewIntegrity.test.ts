/**
 * Review integrity over HTTP, with a real worker analysing each upload: a conclusion needs every finding of the
 * concluded version decided (or a reason per undecided one, kept with the conclusion); 经修改后符合 needs a revised
 * version; every finding decision is an event of the policy's hash chain, so a published policy's verified
 * history shows each decision its conclusion rests on.
 */
import { expect } from 'chai';
import { startTestApp, type TestApp } from '../../support/testApp';
import { startWorker, type WorkerProcess } from '../../support/workerProcess';
import {
  DRAFT_V2,
  PolicyFixtures,
  completeSelfReview,
  demoUsers,
  expectProblem,
  today,
  upload,
  waitForVersion,
  type DemoUsers,
  type PolicyBody,
} from './policyHelpers';

interface Finding { id: string; path: string; itemId: string; decision: { status: string } }
interface HistoryEvent { action: string; data: Record<string, unknown> }

describe('review integrity (findings, conclusion, history)', function () {
  this.timeout(120_000);
  let app: TestApp;
  let worker: WorkerProcess;
  let u: DemoUsers;
  let fixtures: PolicyFixtures;

  before(async function () {
    app = await startTestApp({ label: 'integrity' });
    worker = await startWorker(app);
    u = await demoUsers(app);
    fixtures = new PolicyFixtures(app, u);
  });
  after(async function () {
    await worker?.stop();
    await app?.close();
  });

  const findings = async (id: string, query = '') => (await u.lead.api.get<{ items: Finding[] }>(`/api/v1/policies/${id}/findings${query}`)).body.items;
  const history = async (id: string) => (await u.lead.api.get<{ events: HistoryEvent[] }>(`/api/v1/policies/${id}/history`)).body.events;
  const conclude = async (id: string, body: Record<string, unknown>) => {
    const current = await u.lead.api.get<PolicyBody>(`/api/v1/policies/${id}`);
    return u.lead.api.post<PolicyBody & { conclusion: Record<string, unknown> }>(`/api/v1/policies/${id}/transitions`, { action: 'conclude', rev: current.body.rev, ...body });
  };

  it('refuses a conclusion while findings are undecided (422 naming them), and records the reasons given for them', async function () {
    const id = await fixtures.selfReview();
    const all = await findings(id);
    expect(all.length).to.be.at.least(2);
    // one decided, the others still open; the self-review is completed without deciding them
    const decided = await u.drafter.api.patch(`/api/v1/policies/${id}/findings/${all[0]!.id}`, { status: 'confirmed' });
    expect(decided.status).to.equal(200);
    const current = await u.drafter.api.get<PolicyBody>(`/api/v1/policies/${id}`);
    expect((await u.drafter.api.put(`/api/v1/policies/${id}/self-review`, completeSelfReview(current.body.rev))).status).to.equal(200);

    const open = all.slice(1);
    const refused = await conclude(id, { outcome: 'compliant', reasoning: '符合审查标准' });
    expectProblem(refused, 422, 'undecided_findings');
    expect(refused.body.missing).to.deep.equal(open.map((f) => `finding:${f.id}`));
    expect((refused.body as unknown as { undecidedFindings: Finding[] }).undecidedFindings.map((f) => f.id)).to.deep.equal(open.map((f) => f.id));
    for (const f of open) expect(refused.body.detail).to.include(f.path);
    expect((await u.lead.api.get<PolicyBody>(`/api/v1/policies/${id}`)).body.state, 'nothing changed').to.equal('self_review');

    const reasons = open.map((f) => ({ findingId: f.id, reason: `出台前修改${f.path}` }));
    const concluded = await conclude(id, { outcome: 'compliant', reasoning: '符合审查标准', undecidedFindings: reasons });
    expect(concluded.status, JSON.stringify(concluded.body)).to.equal(200);
    expect(concluded.body.conclusion.undecidedFindings).to.deep.equal(open.map((f) => ({ findingId: f.id, itemId: f.itemId, path: f.path, reason: `出台前修改${f.path}` })));
  });

  it('refuses 经修改后符合 until a revised version is analysed, then accepts it', async function () {
    const id = await fixtures.completeSelfReview();
    const refused = await conclude(id, { outcome: 'compliant_after_revision', reasoning: '删除第二条、第三条后符合审查标准' });
    expectProblem(refused, 422, 'missing_preconditions');
    expect(refused.body.missing).to.deep.equal(['revisedVersion']);

    const uploaded = await upload(app.baseUrl, u.drafter.token, id, Buffer.from(DRAFT_V2, 'utf8'), '措施（修改稿）.txt', 'text/plain');
    expect(uploaded.status, JSON.stringify(uploaded.body)).to.equal(202);
    expect((await waitForVersion(u.drafter.api, id, 2)).status).to.equal('analysed');
    await fixtures.decideFindings(id);
    const current = await u.drafter.api.get<PolicyBody>(`/api/v1/policies/${id}`);
    expect((await u.drafter.api.put(`/api/v1/policies/${id}/self-review`, completeSelfReview(current.body.rev))).status).to.equal(200);
    const concluded = await conclude(id, { outcome: 'compliant_after_revision', reasoning: '删除第二条、第三条后符合审查标准' });
    expect(concluded.status, JSON.stringify(concluded.body)).to.equal(200);
    expect(concluded.body.conclusion).to.include({ outcome: 'compliant_after_revision', versionN: 2 });
  });

  it('puts every finding decision into the hash chain: a published policy\'s history verifies and contains each one', async function () {
    const id = await fixtures.completeSelfReview();
    // a decision changed afterwards is a second event, not an overwrite
    const first = (await findings(id))[0]!;
    expect((await u.lead.api.patch(`/api/v1/policies/${id}/findings/${first.id}`, { status: 'dismissed', reason: '复核后认为不构成限制' })).status).to.equal(200);
    expect((await conclude(id, { outcome: 'compliant', reasoning: '符合审查标准' })).status).to.equal(200);
    const current = await u.drafter.api.get<PolicyBody>(`/api/v1/policies/${id}`);
    const published = await u.drafter.api.post<PolicyBody>(`/api/v1/policies/${id}/transitions`, { action: 'publish', rev: current.body.rev, docNumber: '某商发〔2026〕7号', publishedOn: today() });
    expect(published.status, JSON.stringify(published.body)).to.equal(200);

    const verified = await u.lead.api.get<{ ok: boolean }>(`/api/v1/policies/${id}/history/verify`);
    expect(verified.body.ok).to.equal(true);
    const decisions = (await history(id)).filter((e) => e.action === 'decide_finding');
    const final = await findings(id);
    expect(decisions).to.have.length(final.length + 1);
    for (const f of final) {
      const last = decisions.filter((e) => e.data.findingId === f.id).at(-1)!;
      expect(last.data, f.id).to.include({ versionN: 1, itemId: f.itemId, path: f.path, status: f.decision.status });
    }
    expect(decisions.filter((e) => e.data.findingId === first.id).map((e) => e.data.status)).to.deep.equal(['confirmed', 'dismissed']);
  });
});
