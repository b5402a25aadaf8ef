/**
 * Decisions carry to the next version where the clause is unchanged: the analysis use case (called here directly,
 * on the real store, for versions uploaded over HTTP) gives each finding of version 2 whose item and clause text
 * equal a decided finding of version 1 that decision, marked as carried; it records the carry as ONE event of the
 * policy's hash chain, once even when the analysis runs again; an edited clause stays undecided; a carried
 * decision can be changed like any other.
 */
import { expect } from 'chai';
import { analyseVersion } from '../../../server/services/analysis';
import { carryDecisions } from '../../../server/services/findings';
import { verifyChain, type ChainEvent } from '../../../server/domain/eventChain';
import { startTestApp, type TestApp } from '../../support/testApp';
import { DRAFT_V1, demoUsers, upload, type DemoUsers, type PolicyBody, type VersionSummary } from '../api/policyHelpers';

/** Version 1 with 第三条 rewritten (still a concern, different words) and a clause inserted before it (offsets move). */
const DRAFT_V1_REVISED = [
  '某市关于支持本地商贸企业发展的若干措施（修改稿）',
  '第一条　为促进本市商贸流通业发展，制定本措施。',
  '第二条　政府采购项目应当优先采购本地企业生产的产品。',
  '第三条　本措施由市商务局负责解释。',
  '第四条　对本地纳税五十强企业给予土地出让金全额返还。',
  '第五条　本措施自发布之日起施行。',
].join('\n');

interface Decision { status: string; reason?: string; byUsername?: string; carriedFrom?: { versionN: number; findingId: string; by: string; byUsername: string; at: string } }
interface Finding { id: string; itemId: string; path: string; text: string; decision: Decision }

describe('decisions carried to an unchanged clause of the next version (analysis use case, real store)', function () {
  this.timeout(120_000);
  let app: TestApp;
  let u: DemoUsers;

  before(async function () {
    app = await startTestApp({ label: 'carry' });
    u = await demoUsers(app);
  });
  after(async function () {
    await app?.close();
  });

  /** Uploads a version over HTTP and analyses it with the use case the worker runs. */
  async function uploadAndAnalyse(id: string, text: string, n: number): Promise<void> {
    const res = await upload(app.baseUrl, u.drafter.token, id, Buffer.from(text, 'utf8'), `措施v${n}.txt`, 'text/plain');
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    const outcome = await analyseVersion(app.deps, { policyId: id, n, attempt: 1, attempts: 1, reportProgress: async () => {} });
    expect(outcome).to.have.property('findings');
  }
  const findings = async (id: string, n: number) => (await u.drafter.api.get<{ items: Finding[] }>(`/api/v1/policies/${id}/versions/${n}/findings`)).body.items;
  const events = async (id: string) => (await u.lead.api.get<{ events: ChainEvent[] }>(`/api/v1/policies/${id}/history`)).body.events;
  const normalised = (text: string) => text.replace(/\s+/g, '');

  it('carries confirmations and dismissals to unchanged clauses only, as one hash-chained event, once', async function () {
    const created = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: '某市关于支持本地商贸企业发展的若干措施', kind: 'normative_document', issuingLevel: 'department' });
    const id = created.body.id;
    await uploadAndAnalyse(id, DRAFT_V1, 1);
    const v1 = await findings(id, 1);
    const onClause2 = v1.filter((f) => f.text.includes('优先采购本地企业'));
    const onClause3 = v1.filter((f) => f.text.includes('土地出让金返还'));
    expect(onClause2.length, JSON.stringify(v1)).to.be.greaterThan(0);
    expect(onClause3.length, JSON.stringify(v1)).to.be.greaterThan(0);
    for (const f of onClause2) expect((await u.drafter.api.patch(`/api/v1/policies/${id}/findings/${f.id}`, { status: 'confirmed' })).status).to.equal(200);
    for (const f of onClause3) expect((await u.lead.api.patch(`/api/v1/policies/${id}/findings/${f.id}`, { status: 'dismissed', reason: '依据上位法规定' })).status).to.equal(200);

    await uploadAndAnalyse(id, DRAFT_V1_REVISED, 2);
    const v2 = await findings(id, 2);
    const carried = v2.filter((f) => f.decision.carriedFrom);
    const fresh = v2.filter((f) => !f.decision.carriedFrom);
    // every finding on the unchanged 第二条 took the decision of the same item on it in version 1 …
    expect(carried.length, JSON.stringify(v2)).to.equal(v2.filter((f) => onClause2.some((o) => o.itemId === f.itemId && normalised(o.text) === normalised(f.text))).length);
    expect(carried.length).to.be.greaterThan(0);
    for (const f of carried) {
      const source = onClause2.find((o) => o.id === f.decision.carriedFrom!.findingId)!;
      expect(source, 'carried from a version-1 finding on the same clause').to.not.equal(undefined);
      expect(f.itemId).to.equal(source.itemId);
      expect(f.id, 'a finding of its own version').to.not.equal(source.id);
      expect(f.decision).to.deep.include({ status: 'confirmed', byUsername: 'system' });
      expect(f.decision.carriedFrom).to.deep.include({ versionN: 1, findingId: source.id, by: u.drafter.id, byUsername: 'drafter' });
    }
    // … and the rewritten clause is judged afresh
    expect(fresh.filter((f) => f.text.includes('土地出让金全额返还')).length, JSON.stringify(v2)).to.be.greaterThan(0);
    for (const f of fresh) expect(f.decision.status, f.text).to.equal('pending');

    const version = (await u.drafter.api.get<VersionSummary>(`/api/v1/policies/${id}/versions/2`)).body;
    expect(version.counts).to.deep.include({ total: v2.length, confirmed: carried.length, open: fresh.length });

    const history = await events(id);
    const carries = history.filter((e) => e.action === 'carry_decisions');
    expect(carries).to.have.length(1);
    expect(carries[0]!.actor.id).to.equal('system');
    expect(carries[0]!.data).to.deep.include({ versionN: 2, fromVersionN: 1 });
    expect((carries[0]!.data.carried as Array<{ findingId: string }>).map((c) => c.findingId).sort()).to.deep.equal(carried.map((f) => f.id).sort());
    expect((await u.lead.api.get<{ ok: boolean }>(`/api/v1/policies/${id}/history/verify`)).body.ok).to.equal(true);

    // a retried analysis (the worker died after recording the carry) records nothing twice
    expect((await carryDecisions(app.deps, id, 2)).map((c) => c.findingId).sort()).to.deep.equal(carried.map((f) => f.id).sort());
    expect((await events(id)).filter((e) => e.action === 'carry_decisions')).to.have.length(1);
    expect(verifyChain(await events(id)).ok).to.equal(true);
  });

  it('lets a reviewer change a carried decision (a decide_finding event), and never overrides one made on the new version', async function () {
    const created = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: '某市关于支持本地商贸企业发展的若干措施', kind: 'normative_document', issuingLevel: 'department' });
    const id = created.body.id;
    await uploadAndAnalyse(id, DRAFT_V1, 1);
    for (const f of await findings(id, 1)) expect((await u.drafter.api.patch(`/api/v1/policies/${id}/findings/${f.id}`, { status: 'confirmed' })).status).to.equal(200);
    await uploadAndAnalyse(id, DRAFT_V1, 2);
    const v2 = await findings(id, 2);
    expect(v2.length).to.be.at.least(2);
    expect(v2.every((f) => f.decision.carriedFrom && f.decision.status === 'confirmed'), JSON.stringify(v2)).to.equal(true);

    const [changed, kept] = v2;
    const res = await u.lead.api.patch<Finding & Decision>(`/api/v1/policies/${id}/findings/${changed!.id}`, { status: 'dismissed', reason: '修改后已不构成限制' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const after = await findings(id, 2);
    expect(after.find((f) => f.id === changed!.id)!.decision).to.deep.include({ status: 'dismissed', byUsername: 'lead' }).and.not.have.property('carriedFrom');
    expect(after.find((f) => f.id === kept!.id)!.decision.carriedFrom?.versionN).to.equal(1);
    const last = (await events(id)).at(-1)!;
    expect(last.action).to.equal('decide_finding');
    expect(last.data).to.deep.include({ findingId: changed!.id, versionN: 2, status: 'dismissed' });

    // carrying again (a retried analysis) leaves the reviewer's decision alone
    await carryDecisions(app.deps, id, 2);
    expect((await findings(id, 2)).find((f) => f.id === changed!.id)!.decision.status).to.equal('dismissed');
  });
});
