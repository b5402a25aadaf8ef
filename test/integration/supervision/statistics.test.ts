/**
 * GET /api/v1/stats/overview against seeded data, checked against figures worked out by hand in this file from
 * the seed (not with server/domain/statistics.ts): policies registered in March 2026 by state and conclusion,
 * findings of each policy's latest analysed version by checklist item, revision rate, median and nearest-rank p90
 * turnaround, complaints received in March by state, overdue counts on 2026-05-10, and the spot-check problem
 * rate; for both drafting departments together and each alone. The `statistics` report's data and DOCX agree.
 */
import { expect } from 'chai';
import { settableClock } from '../../../server/clock';
import { rebuildPolicySummaries } from '../../../server/db/policySummaries';
import { buildReport } from '../../../templates/index';
import { loadStatisticsData } from '../../../server/services/reportData/statisticsData';
import { client } from '../../support/http';
import { startTestApp, type TestApp } from '../../support/testApp';
import { demoUsers, type DemoUsers } from '../api/policyHelpers';
import { act, complaintIdOf, expectStatus, fileComplaint, seedPolicy, type SeedPolicy } from './supervisionHelpers';

const iso = (day: string) => `${day}T02:00:00.000Z`;

describe('statistics overview (HTTP) equals figures worked out from the seed', function () {
  this.timeout(60_000);
  const clock = settableClock(new Date(iso('2026-03-01')));
  let app: TestApp;
  let u: DemoUsers;
  let S: string; // 市商务局
  let Z: string; // 市住房和城乡建设局
  const ids: Record<string, string> = {};

  before(async function () {
    app = await startTestApp({ label: 'statistics', clock });
    u = await demoUsers(app);
    const dept = async (code: string) => String((await app.deps.models.Department.findOne({ code }).lean())!._id);
    [S, Z] = [await dept('shangwu'), await dept('zhujian')];
    const policy = (name: string, department: string, spec: Partial<SeedPolicy> & Pick<SeedPolicy, 'state' | 'createdAt'>) =>
      seedPolicy(app.deps.models, { title: name, departmentId: department, createdBy: department === S ? u.drafter.id : u.drafter2.id, ...spec }).then((id) => { ids[name] = id; });

    // registered in March (turnaround start → conclusion in days: P1 2, P2 4, P3 5, P6 10, P7 14)
    await policy('P1', S, { state: 'published', createdAt: iso('2026-03-02'), startedAt: iso('2026-03-03'), concludedAt: iso('2026-03-05'), outcome: 'compliant', publishedOn: '2026-03-10', analysis: 'analysed' });
    await policy('P2', S, { state: 'published', createdAt: iso('2026-03-03'), startedAt: iso('2026-03-04'), concludedAt: iso('2026-03-08'), outcome: 'compliant_after_revision', publishedOn: '2026-03-12', analysis: 'analysed', versions: 2 });
    await policy('P3', S, { state: 'concluded', createdAt: iso('2026-03-05'), startedAt: iso('2026-03-05'), concludedAt: iso('2026-03-10'), outcome: 'non_compliant', analysis: 'analysed' });
    await policy('P4', S, { state: 'self_review', createdAt: iso('2026-03-06'), startedAt: iso('2026-03-07'), analysis: 'analysed' });
    await policy('P5', S, { state: 'draft', createdAt: iso('2026-03-09') });
    await policy('P6', Z, { state: 'published', createdAt: iso('2026-03-10'), startedAt: iso('2026-03-11'), concludedAt: iso('2026-03-21'), outcome: 'compliant_after_revision', publishedOn: '2026-03-25', analysis: 'analysed' });
    await policy('P7', Z, { state: 'published', createdAt: iso('2026-03-12'), startedAt: iso('2026-03-12'), concludedAt: iso('2026-03-26'), outcome: 'exception', publishedOn: '2026-03-28', analysis: 'analysed' });
    await policy('P8', Z, { state: 'joint_review', createdAt: iso('2026-03-15'), startedAt: iso('2026-03-16'), analysis: 'analysed', jointReviewDeadline: '2026-04-30T15:59:59.999Z' });
    // outside March
    await policy('P9', S, { state: 'published', createdAt: iso('2026-02-20'), startedAt: iso('2026-02-21'), concludedAt: iso('2026-02-22'), outcome: 'compliant', publishedOn: '2026-02-25', analysis: 'analysed' });
    await policy('P10', Z, { state: 'draft', createdAt: iso('2026-04-02') });

    const finding = (name: string, itemId: string, status: 'pending' | 'confirmed' | 'dismissed', versionN = 1) =>
      app.deps.models.Finding.create({ policyId: ids[name], versionN, start: 0, end: 1, itemId, decision: { status } });
    await finding('P1', 'flow-3', 'confirmed');
    await finding('P1', 'flow-3', 'dismissed');
    await finding('P1', 'cost-2', 'pending');
    await finding('P2', 'behavior-1', 'pending', 1); // superseded by version 2: not counted
    await finding('P2', 'behavior-1', 'confirmed', 1);
    await finding('P2', 'flow-3', 'pending', 2);
    await finding('P2', 'entry-4', 'confirmed', 2);
    await finding('P3', 'cost-2', 'confirmed');
    await finding('P3', 'cost-2', 'confirmed');
    await finding('P4', 'flow-3', 'pending');
    await finding('P6', 'entry-4', 'dismissed');
    await finding('P9', 'flow-1', 'confirmed'); // outside March
    // Findings written straight into the store, not by the analysis worker: the list's read model learns of them
    // the way the worker's sweep would tell it.
    await rebuildPolicySummaries(app.deps.models);

    // complaints, received on the clock's dates
    const anonymous = client(app.baseUrl);
    const receive = async (day: string, fields: Record<string, string>) => {
      clock.set(new Date(iso(day)));
      const { refNo } = await fileComplaint(anonymous, fields);
      return complaintIdOf(u.handler, refNo);
    };
    await receive('2026-03-03', { policyId: ids.P1! }); // C1 stays received
    const c2 = await receive('2026-03-05', { policyId: ids.P6! }); // accepted: verification due 05-04
    for (const body of [{ action: 'assign', assigneeId: u.handler.id }, { action: 'accept' }]) expectStatus(await act(app.deps.models, u.handler, c2, body), 200);
    const c3 = await receive('2026-03-08', { measureText: '某区通知' }); // supplement due 03-17, never lapsed
    for (const body of [{ action: 'assign', assigneeId: u.handler.id }, { action: 'request_supplement', items: ['全文'] }]) expectStatus(await act(app.deps.models, u.handler, c3, body), 200);
    const c4 = await receive('2026-03-20', { policyId: ids.P1! }); // not accepted
    for (const body of [{ action: 'assign', assigneeId: u.handler.id }, { action: 'reject', reason: '不属于审查范围' }]) expectStatus(await act(app.deps.models, u.handler, c4, body), 200);
    await receive('2026-02-25', { policyId: ids.P6! }); // C5, outside March

    // a spot check in March over every published policy (P1, P2, P6, P7, P9), all reviewed by member1
    clock.set(new Date(iso('2026-03-29')));
    const check = await u.regulator.api.post<{ id: string; rev: number; entries: Array<{ policyId: string }> }>('/api/v1/spot-checks', { rate: 1, seed: '统计', reviewerIds: [u.member1.id] });
    expectStatus(check, 201);
    let rev = check.body.rev;
    const results: Array<[string, 'problem' | 'no_problem']> = [['P1', 'problem'], ['P2', 'no_problem'], ['P6', 'problem'], ['P7', 'no_problem']];
    for (const [name, outcome] of results) {
      const res = await u.member1.api.post<{ spotCheck: { rev: number } }>(`/api/v1/spot-checks/${check.body.id}/results`, {
        rev, policyId: ids[name], outcome, ...(outcome === 'problem' ? { items: ['flow-3'], notes: '限定本地' } : {}),
      });
      expectStatus(res, 200);
      rev = res.body.spotCheck.rev;
    }
    // one in April, outside the period: 住建局's only published policy left is P7
    clock.set(new Date(iso('2026-04-05')));
    const april = await u.regulator.api.post<{ id: string; rev: number; entries: Array<{ policyId: string }> }>('/api/v1/spot-checks', { rate: 1, seed: '四月', reviewerIds: [u.member1.id], scope: { departmentIds: [Z] } });
    expectStatus(april, 201);
    expectStatus(await u.member1.api.post(`/api/v1/spot-checks/${april.body.id}/results`, { rev: april.body.rev, policyId: april.body.entries[0]!.policyId, outcome: 'problem', items: ['entry-1'], notes: '问题' }), 200);

    clock.set(new Date(iso('2026-05-10')));
  });
  after(async () => app?.close());

  const zeros = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, 0]));
  const POLICY_STATES = ['draft', 'self_review', 'joint_review', 'third_party_evaluation', 'concluded', 'published', 'recheck', 'abolished', 'withdrawn'];
  const COMPLAINT_STATES = ['received', 'supplement_requested', 'accepted', 'not_accepted', 'verifying', 'violation_confirmed', 'no_violation', 'replied', 'closed', 'transferred'];
  const table = (rows: Array<{ key: string; count: number }>) => Object.fromEntries(rows.map((r) => [r.key, r.count]));

  interface OverviewBody {
    policies: { total: number; byState: Array<{ key: string; count: number }>; byConclusion: Array<{ key: string; count: number }> };
    flaggedItems: Array<{ itemId: string; findings: number; confirmed: number; dismissed: number }>;
    revisionRate: { numerator: number; denominator: number; rate: number | null };
    turnaroundDays: { reviews: number; median: number | null; p90: number | null };
    complaints: { total: number; byState: Array<{ key: string; count: number }> };
    overdue: { complaints: number; reviews: number };
    spotChecks: { checked: number; withProblems: number; problemRate: number | null };
    period: { from: string; to: string };
    departmentId: string | null;
  }
  const overview = async (query: string) => {
    const res = await u.regulator.api.get<OverviewBody>(`/api/v1/stats/overview?from=2026-03-01&to=2026-03-31${query}`);
    expectStatus(res, 200);
    return res.body;
  };

  it('for all departments', async function () {
    const o = await overview('');
    expect(o.period).to.deep.equal({ from: '2026-02-28T16:00:00.000Z', to: '2026-03-31T15:59:59.999Z' });
    // P1..P8; the spot-check problems put P1, P6 (March) and P7 (April) into recheck
    expect(o.policies.total).to.equal(8);
    expect(table(o.policies.byState)).to.deep.equal({ ...zeros(POLICY_STATES), draft: 1, self_review: 1, joint_review: 1, concluded: 1, published: 1, recheck: 3 });
    expect(table(o.policies.byConclusion)).to.deep.equal({ compliant: 1, compliant_after_revision: 2, non_compliant: 1, exception: 1 });
    expect(o.flaggedItems).to.deep.equal([
      { itemId: 'flow-3', findings: 4, confirmed: 1, dismissed: 1 },
      { itemId: 'cost-2', findings: 3, confirmed: 2, dismissed: 0 },
      { itemId: 'entry-4', findings: 2, confirmed: 1, dismissed: 1 },
    ]);
    expect(o.revisionRate).to.deep.equal({ numerator: 2, denominator: 5, rate: 0.4 });
    // [2, 4, 5, 10, 14]: median 5; p90 is the ⌈0.9·5⌉ = 5th value
    expect(o.turnaroundDays).to.deep.equal({ reviews: 5, median: 5, p90: 14 });
    expect(o.complaints.total).to.equal(4);
    expect(table(o.complaints.byState)).to.deep.equal({ ...zeros(COMPLAINT_STATES), received: 1, accepted: 1, supplement_requested: 1, not_accepted: 1 });
    // C2 (verification due 05-04) and C3 (supplement due 03-17); P8's joint review was due 04-30
    expect(o.overdue).to.deep.equal({ complaints: 2, reviews: 1 });
    // P1, P2, P6, P7 recorded (P9 drawn, not recorded); the April check is outside the period
    expect(o.spotChecks).to.deep.equal({ checked: 4, withProblems: 2, problemRate: 0.5 });
  });

  it('for one department', async function () {
    const s = await overview(`&department=${S}`);
    expect(s.departmentId).to.equal(S);
    expect(s.policies.total).to.equal(5);
    expect(table(s.policies.byState)).to.deep.equal({ ...zeros(POLICY_STATES), draft: 1, self_review: 1, concluded: 1, published: 1, recheck: 1 });
    expect(table(s.policies.byConclusion)).to.deep.equal({ compliant: 1, compliant_after_revision: 1, non_compliant: 1, exception: 0 });
    expect(s.revisionRate.rate).to.be.closeTo(1 / 3, 1e-12);
    // [2, 4, 5]: median 4, p90 the ⌈2.7⌉ = 3rd value
    expect(s.turnaroundDays).to.deep.equal({ reviews: 3, median: 4, p90: 5 });
    expect(s.flaggedItems).to.deep.equal([
      { itemId: 'flow-3', findings: 4, confirmed: 1, dismissed: 1 },
      { itemId: 'cost-2', findings: 3, confirmed: 2, dismissed: 0 },
      { itemId: 'entry-4', findings: 1, confirmed: 1, dismissed: 0 },
    ]);
    // complaints about 商务局 policies: C1 (received), C4 (not accepted); none overdue
    expect(table(s.complaints.byState)).to.deep.include({ received: 1, not_accepted: 1, accepted: 0, supplement_requested: 0 });
    expect(s.complaints.total).to.equal(2);
    expect(s.overdue).to.deep.equal({ complaints: 0, reviews: 0 });
    expect(s.spotChecks).to.deep.equal({ checked: 2, withProblems: 1, problemRate: 0.5 });

    const z = await overview(`&department=${Z}`);
    expect(z.policies.total).to.equal(3);
    expect(z.turnaroundDays).to.deep.equal({ reviews: 2, median: 12, p90: 14 });
    expect(z.complaints.total).to.equal(1);
    expect(z.overdue).to.deep.equal({ complaints: 1, reviews: 1 });
    expect(z.spotChecks).to.deep.equal({ checked: 2, withProblems: 1, problemRate: 0.5 });
  });

  it('is for regulators and admins only, and checks its parameters', async function () {
    expectStatus(await u.admin.api.get('/api/v1/stats/overview'), 200);
    for (const who of [u.drafter, u.handler, u.member1]) expectStatus(await who.api.get('/api/v1/stats/overview'), 403, 'forbidden');
    expectStatus(await u.regulator.api.get('/api/v1/stats/overview?from=2026-04-01&to=2026-03-01'), 400, 'invalid_request');
    expectStatus(await u.regulator.api.get('/api/v1/stats/overview?from=March'), 400, 'invalid_request');
    expectStatus(await u.regulator.api.get('/api/v1/stats/overview?department=%7B%22%24ne%22%3A1%7D'), 400, 'invalid_request');
    // without a period: every policy, complaint and spot check so far
    const all = await u.regulator.api.get<OverviewBody>('/api/v1/stats/overview');
    expect(all.body.policies.total).to.equal(10);
    expect(all.body.complaints.total).to.equal(5);
    expect(all.body.spotChecks).to.deep.equal({ checked: 5, withProblems: 3, problemRate: 0.6 });
  });

  it('gives the statistics report the same figures, and the report renders', async function () {
    const data = await loadStatisticsData(app.deps.models, { from: '2026-03-01', to: '2026-03-31' }, clock());
    const o = await overview('');
    expect(data).to.deep.include({ issuingBody: '市市场监督管理局', scope: '全部起草单位', revisionRate: 0.4 });
    expect(data.policies).to.deep.equal(o.policies);
    expect(data.complaints).to.deep.equal(o.complaints);
    expect(data.overdue).to.deep.equal(o.overdue);
    expect(data.turnaroundDays).to.deep.equal(o.turnaroundDays);
    expect(data.spotChecks).to.deep.equal(o.spotChecks);
    expect(data.flaggedItems.map(({ title: _t, ...row }) => row)).to.deep.equal(o.flaggedItems);
    expect(data.flaggedItems.every((row) => typeof row.title === 'string' && row.title.length > 0)).to.equal(true);
    const forS = await loadStatisticsData(app.deps.models, { from: '2026-03-01', to: '2026-03-31', departmentId: S }, clock());
    expect(forS.scope).to.equal('市商务局');
    const docx = await buildReport('statistics', data);
    expect(docx.subarray(0, 2).toString()).to.equal('PK');
  });
});
