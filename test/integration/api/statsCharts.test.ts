/**
 * GET /api/v1/stats/charts against the real store: the figures the statistics page charts, for regulators only,
 * counting what was registered and received in the period.
 */
import { expect } from 'chai';
import { startTestApp, type TestApp } from '../../support/testApp';
import { demoUsers, expectProblem, type DemoUsers, type PolicyBody } from './policyHelpers';

interface Figures {
  monthly: Array<{ month: string; registered: number; complaintsReceived: number }>;
  byDepartment: Array<{ departmentId: string; name: string; registered: number }>;
  complaintOutcomes: Array<{ key: string; count: number }>;
  complaintDeadlines: { onTime: number; late: number; open: number; openOverdue: number; onTimeRate: { rate: number | null } };
}

describe('statistics charts API (real store)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let u: DemoUsers;

  before(async function () {
    app = await startTestApp({ label: 'stats-charts' });
    u = await demoUsers(app);
  });
  after(async function () {
    await app?.close();
  });

  it('counts this month\'s new policy and complaint, per month and per drafting department', async function () {
    const before = (await u.regulator.api.get<Figures>('/api/v1/stats/charts')).body;
    expect(before.monthly).to.have.length(12);
    const created = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: '统计图表用的措施', kind: 'normative_document', issuingLevel: 'department' });
    expect(created.status).to.equal(201);
    const intake = await u.drafter.api.post('/api/v1/complaints', { reporterName: '王五', reporterContact: '13700000000', measureText: '某措施第二条', description: '限定本地企业参与。' });
    expect(intake.status, JSON.stringify(intake.body)).to.equal(201);

    const res = await u.regulator.api.get<Figures>('/api/v1/stats/charts');
    expect(res.status).to.equal(200);
    expect(res.body.monthly.at(-1)!.registered).to.equal(before.monthly.at(-1)!.registered + 1);
    expect(res.body.monthly.at(-1)!.complaintsReceived).to.equal(before.monthly.at(-1)!.complaintsReceived + 1);
    const policy = (await u.drafter.api.get<PolicyBody & { draftingDepartmentId: string }>(`/api/v1/policies/${created.body.id}`)).body;
    const row = (figures: Figures) => figures.byDepartment.find((d) => d.departmentId === policy.draftingDepartmentId)!;
    expect(row(res.body).registered).to.equal(row(before).registered + 1);
    const pending = (figures: Figures) => figures.complaintOutcomes.find((r) => r.key === 'pending')!.count;
    expect(pending(res.body)).to.equal(pending(before) + 1);

    const month = res.body.monthly.at(-1)!.month;
    const period = await u.regulator.api.get<Figures>(`/api/v1/stats/charts?from=${month}-01&to=${month}-01`);
    expect(period.body.monthly.map((m) => m.month)).to.deep.equal([month]);
  });

  it('is for regulators: a drafter is refused, and a period ending before it starts is a 400 in Chinese', async function () {
    expectProblem(await u.drafter.api.get('/api/v1/stats/charts'), 403);
    expectProblem(await u.regulator.api.get('/api/v1/stats/charts?from=2026-05-01&to=2026-04-01'), 400);
    expectProblem(await u.regulator.api.get('/api/v1/stats/charts?department=nope'), 400);
  });
});
