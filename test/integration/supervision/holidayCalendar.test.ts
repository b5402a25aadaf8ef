/**
 * The working-day calendar on the real store: a complaint deadline that reaches into 2027 (no official schedule in
 * the code) is counted Monday–Friday and marked provisional; once an administrator loads the 2027 schedule, the
 * same deadline is counted on it and exact, and the deadlines already running are counted again (recorded on the
 * case, with new reminder and expiry jobs). A schedule with dates outside its year, a day listed twice or a
 * weekday as 调休上班日 is refused whole, in Chinese, and only administrators may load one.
 */
import { expect } from 'chai';
import { settableClock } from '../../../server/clock';
import { client } from '../../support/http';
import { startTestApp, type TestApp } from '../../support/testApp';
import { demoUsers, type DemoUsers } from '../api/policyHelpers';
import { act, complaintIdOf, expectStatus, fileComplaint } from './supervisionHelpers';

/** A made-up 2027 元旦 block (Fri 01-01 to Sun 01-03) with Sat 01-09 worked instead, for the test. */
const SCHEDULE_2027 = {
  notice: '2027年部分节假日安排（测试用）',
  periods: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03', adjustedWorkdays: ['2027-01-09'] }],
};

interface Calendar { items: Array<{ year: number; source: string }> }

describe('working-day calendar: holiday schedules loaded by administrators', function () {
  this.timeout(60_000);
  let app: TestApp;
  let u: DemoUsers;

  before(async function () {
    // Thursday 2026-12-24, 10:00 in Shanghai
    app = await startTestApp({ label: 'calendar', clock: settableClock(new Date('2026-12-24T02:00:00.000Z')) });
    u = await demoUsers(app);
  });
  after(async function () {
    await app?.close();
  });

  async function supplementDeadline() {
    const { refNo } = await fileComplaint(client(app.baseUrl), { measureText: '某市关于支持本地企业发展的若干措施' });
    const id = await complaintIdOf(u.handler, refNo);
    expectStatus(await act(app.deps.models, u.handler, id, { action: 'assign', assigneeId: u.handler.id }), 200);
    const requested = await act(app.deps.models, u.handler, id, { action: 'request_supplement', items: ['请提供文件全文'] });
    expectStatus(requested, 200);
    return { id, refNo, deadline: requested.body.complaint.deadlines.supplement as unknown as { dueDate: string; provisional: boolean } };
  }

  it('counts a 2027 deadline Monday–Friday, marked provisional, until the 2027 schedule is loaded; then exactly, the running one too', async function () {
    const years = (await u.handler.api.get<Calendar>('/api/v1/calendar')).body.items;
    expect(years.map((y) => [y.year, y.source])).to.deep.include.members([[2025, 'built_in'], [2026, 'built_in']]);
    expect(years.map((y) => y.year)).not.to.include(2027);

    // 7 working days after Thu 12-24, Monday–Friday: 12-25, 28, 29, 30, 31, 2027-01-01, 01-04
    const before = await supplementDeadline();
    expect(before.deadline).to.include({ dueDate: '2027-01-04', provisional: true });
    const view = await u.handler.api.get<{ deadline: { dueDate: string; provisional: boolean } }>(`/api/v1/complaints/${before.id}`);
    expect(view.body.deadline).to.include({ dueDate: '2027-01-04', provisional: true });

    const loaded = await u.admin.api.put<{ recountedDeadlines: unknown[] }>('/api/v1/admin/calendar/2027', SCHEDULE_2027);
    expect(loaded.status, JSON.stringify(loaded.body)).to.equal(200);
    // the running deadline is counted again: 元旦 off, so 12-25, 28, 29, 30, 31, 01-04, 01-05
    expect(loaded.body.recountedDeadlines).to.deep.equal([{ refNo: before.refNo, deadline: 'supplement', previousDueDate: '2027-01-04', dueDate: '2027-01-05', provisional: false }]);
    type Detail = { deadline: { dueDate: string; provisional: boolean }; events: Array<{ action: string; actor: { displayName: string } }>; people: Record<string, string> };
    const recounted = await u.handler.api.get<Detail>(`/api/v1/complaints/${before.id}`);
    expect(recounted.body.deadline).to.include({ dueDate: '2027-01-05', provisional: false });
    // the history names people, never usernames: the reporter, the handler, the system
    const handlerName = (await app.deps.models.User.findById(u.handler.id).lean())!.displayName;
    expect(recounted.body.events.map((e) => [e.action, e.actor.displayName])).to.deep.equal([
      ['receive', '举报人'],
      ['assign', handlerName],
      ['request_supplement', handlerName],
      ['recount_deadline', '系统（自动）'],
    ]);
    expect(recounted.body.people[u.handler.id]).to.equal(handlerName);
    const stored = await app.deps.models.Complaint.findById(before.id).lean();
    expect(stored!.events.at(-1)).to.deep.include({ action: 'recount_deadline', from: 'supplement_requested', to: 'supplement_requested' });
    const dueJob = await app.deps.queues.reminders.getJob(`deadline:${before.id}:supplement.due.2027-01-05`);
    expect(await dueJob?.getState()).to.equal('delayed');
    // loading it again finds nothing left to recount
    const again = await u.admin.api.put<{ recountedDeadlines: unknown[] }>('/api/v1/admin/calendar/2027', SCHEDULE_2027);
    expect(again.body.recountedDeadlines).to.deep.equal([]);
    expect((await u.handler.api.get<Calendar>('/api/v1/calendar')).body.items.find((y) => y.year === 2027)).to.include({ source: 'loaded' });

    // with 元旦 off: 12-25, 28, 29, 30, 31, then 01-04, 01-05
    const after = await supplementDeadline();
    expect(after.deadline).to.include({ dueDate: '2027-01-05', provisional: false });
  });

  it('refuses a schedule with dates outside its year, a day listed twice or a weekday as 调休上班日, naming each, and stores nothing', async function () {
    const bad = await u.admin.api.put('/api/v1/admin/calendar/2028', {
      notice: '有误的安排',
      periods: [
        { name: '元旦', from: '2027-12-31', to: '2028-01-01', adjustedWorkdays: [] },
        { name: '春节', from: '2028-01-26', to: '2028-02-01', adjustedWorkdays: ['2028-01-27', '2028-02-05'] },
        { name: '清明节', from: '2028-02-01', to: '2028-02-01', adjustedWorkdays: [] },
      ],
    });
    expectStatus(bad, 400, 'invalid_schedule');
    const detail = String(bad.body.detail);
    expect(detail).to.include('元旦的放假开始日期 2027-12-31 不在 2028 年内');
    expect(detail).to.include('春节的调休上班日 2028-01-27 不是周六或周日');
    expect(detail).to.include('清明节的放假日 2028-02-01 与春节的放假日重复');
    expect((await u.handler.api.get<Calendar>('/api/v1/calendar')).body.items.map((y) => y.year)).not.to.include(2028);

    expectStatus(await u.regulator.api.put('/api/v1/admin/calendar/2029', SCHEDULE_2027), 403, 'forbidden');
    const notAYear = await u.admin.api.put('/api/v1/admin/calendar/1999', SCHEDULE_2027);
    expectStatus(notAYear, 400, 'invalid_request');
    expect(JSON.stringify(notAYear.body)).to.include('年份不能早于 2000 年');
  });
});
