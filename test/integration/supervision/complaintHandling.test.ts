/**
 * The bureau's own mechanisms for complaints over HTTP (real store and Redis): 群众评价 (好差评, 一事一评) on the
 * public status page after the reply — once, as an event of the case's hash chain —, the 问题台账 of open cases
 * with its XLSX export, and on-time completion and satisfaction per handler and unit in the statistics.
 */
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { ComplaintRepository } from '../../../server/db/complaintRepository';
import { verifyChain } from '../../../server/domain/eventChain';
import { client } from '../../support/http';
import { startTestApp, type TestApp } from '../../support/testApp';
import { demoUsers, expectProblem, type DemoUsers } from '../api/policyHelpers';
import { act, complaintIdOf, expectStatus, fileComplaint } from './supervisionHelpers';

interface LedgerBody { items: Array<{ id: string; refNo: string; state: string; responsibleUnit: string; responsiblePerson: string; dueDate: string | null; daysLeft: number | null; overdue: boolean }> }
interface HandlingRow { key: string; person: string; unit: string; cases: number; onTime: number; late: number; good: number; fair: number; poor: number; satisfaction: { rate: number | null } }

describe('complaints: 好差评, 问题台账 and handling statistics (HTTP, real store)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let u: DemoUsers;
  const anonymous = () => client(app.baseUrl);

  before(async function () {
    app = await startTestApp({ label: 'complaint-handling' });
    u = await demoUsers(app);
  });
  after(async function () {
    await app?.close();
  });

  /** A case taken by the handler through verification to `until` (an action of the workflow). */
  async function caseUntil(until: 'accept' | 'start_verification' | 'reply' | 'close') {
    const filed = await fileComplaint(anonymous(), { measureText: '《关于支持本地商贸企业发展的若干措施》第三条' });
    const id = await complaintIdOf(u.handler, filed.refNo);
    const steps: Array<Record<string, unknown>> = [
      { action: 'assign', assigneeId: u.handler.id }, { action: 'accept' }, { action: 'start_verification' },
      { action: 'conclude_no_violation', summary: '经核查，该条款已删除。' }, { action: 'reply', text: '经核查，您反映的条款已删除。' }, { action: 'close' },
    ];
    for (const step of steps) {
      expectStatus(await act(app.deps.models, u.handler, id, step), 200);
      if (step.action === until) break;
    }
    return { ...filed, id };
  }
  const rate = ({ refNo, accessCode }: { refNo: string; accessCode: string }, body: Record<string, unknown>) => anonymous().post('/api/v1/complaints/rating', { refNo, accessCode, ...body });

  it('the reporter rates a closed case once (一事一评); the rating is an event of the case\'s chain; a second is refused with 409', async function () {
    const closed = await caseUntil('close');
    const status = await anonymous().get<{ mayRate: boolean; rating: unknown }>(`/api/v1/complaints/status?refNo=${closed.refNo}&accessCode=${closed.accessCode}`);
    expect(status.body).to.include({ mayRate: true, rating: null });

    const first = await rate(closed, { grade: 'good', comment: '答复及时，处理认真。' });
    expectStatus(first, 200);
    expect(first.body).to.deep.include({ mayRate: false, state: 'closed' });
    expect(first.body.rating).to.include({ grade: 'good', comment: '答复及时，处理认真。' });

    const second = await rate(closed, { grade: 'poor' });
    expectProblem(second, 409, 'already_rated');
    expect(String(second.body.detail ?? second.body.title)).to.include('一事一评');
    const stored = (await new ComplaintRepository(app.deps.models).findById(closed.id))!;
    expect(stored.rating).to.include({ grade: 'good' });
    expect(stored.events.at(-1)).to.deep.include({ action: 'rate', from: 'closed', to: 'closed', data: { grade: 'good' } });
    expect(stored.events.at(-1)!.actor.username).not.to.include('王小明');
    expect(verifyChain(stored.events).ok).to.equal(true);
  });

  it('refuses a rating before the reply, a wrong access code and a grade that is not 好/中/差, changing nothing', async function () {
    const open = await caseUntil('start_verification');
    expectProblem(await rate(open, { grade: 'good' }), 409, 'wrong_state');
    expectProblem(await rate({ refNo: open.refNo, accessCode: 'ABCDEFGHJK' }, { grade: 'good' }), 404, 'complaint_not_found');
    const replied = await caseUntil('reply');
    const badGrade = await rate(replied, { grade: 'excellent' });
    expectProblem(badGrade, 400);
    expect(JSON.stringify(badGrade.body)).to.include('grade');
    expectProblem(await rate(replied, { grade: 'fair', comment: '长'.repeat(501) }), 400);
    const stored = (await new ComplaintRepository(app.deps.models).findById(replied.id))!;
    expect(stored.rating ?? null).to.equal(null);
    expectStatus(await rate(replied, { grade: 'fair' }), 200);
  });

  it('问题台账: every open case with its responsible unit, person and deadline, overdue first; the XLSX lists the same', async function () {
    const verifying = await caseUntil('start_verification');
    const unassigned = await fileComplaint(anonymous(), { measureText: '某措施第五条' });
    const ledger = await u.handler.api.get<LedgerBody>('/api/v1/complaints/ledger');
    expect(ledger.status).to.equal(200);
    const open = (await app.deps.models.Complaint.find({}, { refNo: 1, state: 1 }).lean()).filter((c) => !['closed', 'transferred'].includes(c.state));
    expect(open.length).to.be.at.least(3);
    expect(ledger.body.items.map((r) => r.refNo).sort()).to.deep.equal(open.map((c) => c.refNo).sort());
    const row = ledger.body.items.find((r) => r.refNo === verifying.refNo)!;
    const handlerUser = (await app.deps.models.User.findById(u.handler.id).lean())!;
    const unit = (await app.deps.models.Department.findById(handlerUser.departmentId).lean())!;
    expect(row).to.deep.include({ responsiblePerson: handlerUser.displayName, responsibleUnit: unit.name, overdue: false });
    expect(row.dueDate).to.match(/^\d{4}-\d{2}-\d{2}$/);
    expect(row.daysLeft).to.be.greaterThan(30);
    expect(ledger.body.items.find((r) => r.refNo === unassigned.refNo)).to.deep.include({ responsiblePerson: '', dueDate: null });

    const file = await fetch(`${app.baseUrl}/api/v1/complaints/ledger.xlsx`, { headers: { authorization: `Bearer ${u.handler.token}` } });
    expect(file.status).to.equal(200);
    expect(file.headers.get('content-disposition')).to.include(encodeURIComponent('举报问题台账'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await file.arrayBuffer());
    const sheet = workbook.getWorksheet('问题台账')!;
    const rows = sheet.getSheetValues().slice(2).filter(Boolean) as unknown[][];
    expect(rows.map((r) => r[1]).sort()).to.deep.equal(ledger.body.items.map((r) => r.refNo).sort());
    const sheetRow = rows.find((r) => r[1] === verifying.refNo)!;
    expect(sheetRow.slice(5, 9)).to.deep.equal([unit.name, handlerUser.displayName, '核查期限', row.dueDate]);

    expectProblem(await u.drafter.api.get('/api/v1/complaints/ledger'), 403);
    expect((await fetch(`${app.baseUrl}/api/v1/complaints/ledger.xlsx`, { headers: { authorization: `Bearer ${u.drafter.token}` } })).status).to.equal(403);
  });

  it('statistics: on-time completion and satisfaction per handler and per unit', async function () {
    const figures = await u.regulator.api.get<{ handling: { handlers: HandlingRow[]; units: HandlingRow[] } }>('/api/v1/stats/charts');
    expect(figures.status).to.equal(200);
    const mine = figures.body.handling.handlers.find((h) => h.key === u.handler.id)!;
    const assigned = await app.deps.models.Complaint.find({ assigneeId: u.handler.id }, { rating: 1 }).lean();
    expect(mine.cases).to.equal(assigned.length);
    expect([mine.good, mine.fair, mine.poor]).to.deep.equal([1, 1, 0]);
    expect(mine.satisfaction.rate).to.equal(0.5);
    expect([mine.onTime, mine.late]).to.deep.equal([2, 0]); // the closed and the replied case, decided the day they were filed
    const unit = figures.body.handling.units.find((r) => r.unit === mine.unit)!;
    expect(unit.cases).to.be.at.least(mine.cases);
  });
});
