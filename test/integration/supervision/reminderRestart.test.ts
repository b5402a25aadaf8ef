/**
 * A deadline reminder survives the death of the worker that held it and fires exactly once, in real worker
 * processes (test/support/workerEntry.ts). The workers run on a clock shifted (an injected clock) to a few
 * seconds before the reminder is due, so the wait is seconds, not the days between the supplement request and
 * its reminder: worker A takes the job too early and puts it back in Redis as a delayed job, A is killed,
 * worker B starts past the reminder moment and fires it once. Duplicates afterwards change nothing.
 */
import { expect } from 'chai';
import { settableClock } from '../../../server/clock';
import { ComplaintRepository } from '../../../server/db/complaintRepository';
import { client } from '../../support/http';
import { startTestApp, type TestApp } from '../../support/testApp';
import { PATIENT_MS, waitFor } from '../../support/waitFor';
import { startWorker, type WorkerProcess } from '../../support/workerProcess';
import { demoUsers, type DemoUsers } from '../api/policyHelpers';
import { act, complaintIdOf, expectStatus, fileComplaint } from './supervisionHelpers';

describe('complaint reminder across a worker restart (real worker processes)', function () {
  this.timeout(4 * PATIENT_MS);
  let app: TestApp;
  let u: DemoUsers;
  const workers: WorkerProcess[] = [];

  before(async function () {
    app = await startTestApp({ label: 'reminder-restart', clock: settableClock(new Date('2026-02-10T02:00:00.000Z')) });
    u = await demoUsers(app);
  });
  after(async function () {
    for (const w of workers) await w.kill();
    await app?.close();
  });

  /** The state first, then the job: a job read before its state could predate the outcome the state reports. */
  async function jobState(jobId: string) {
    const state = await app.deps.queues.reminders.getJobState(jobId);
    const job = await app.deps.queues.reminders.getJob(jobId);
    return { job, state: state === 'unknown' ? undefined : state };
  }

  it('keeps the delayed reminder in Redis when its worker dies, and the next worker sends it once', async function () {
    const { refNo } = await fileComplaint(client(app.baseUrl), { measureText: '某区关于本地企业优先的通知' });
    const id = await complaintIdOf(u.regulator, refNo);
    expectStatus(await act(app.deps.models, u.regulator, id, { action: 'assign', assigneeId: u.handler.id }), 200);
    const requested = await act(app.deps.models, u.handler, id, { action: 'request_supplement', items: ['请提供文件全文'] });
    expectStatus(requested, 200);
    const remindAt = Date.parse(requested.body.complaint.deadlines.supplement!.remindAt);
    expect(new Date(remindAt).toISOString()).to.equal('2026-02-14T01:00:00.000Z');
    const jobId = `deadline:${id}:supplement.remind.2026-02-26.2026-02-14`;
    expect((await jobState(jobId)).state).to.equal('delayed');

    // Redis loses the expiry job (say it could not be queued when the supplement was requested) ...
    const dueJobId = `deadline:${id}:supplement.due.2026-02-26`;
    await (await app.deps.queues.reminders.getJob(dueJobId))!.remove();
    expect((await jobState(dueJobId)).job).to.equal(undefined);

    // Worker A lives 45 s before the reminder is due: long enough for it to start and take the job early on a
    // busy machine.
    const LEAD_MS = 45_000;
    const a = await startWorker(app, { TEST_CLOCK_SHIFT_MS: String(remindAt - LEAD_MS - Date.now()) });
    workers.push(a);
    // ... and the starting worker schedules it again, still waiting for 2026-02-26 by its clock
    const restored = await jobState(dueJobId);
    expect(restored.state).to.equal('delayed');
    expect(restored.job!.delay).to.be.closeTo(Date.parse('2026-02-26T16:00:00.000Z') - (remindAt - LEAD_MS), PATIENT_MS);

    // Worker A gets the job early and puts it back as a delayed job in Redis.
    await (await app.deps.queues.reminders.getJob(jobId))!.promote();
    await waitFor('worker A to put the job back', async () => {
      const { job, state } = await jobState(jobId);
      return job?.processedOn && state === 'delayed' ? true : undefined;
    });
    await a.kill();
    expect(a.child.signalCode).to.equal('SIGKILL');

    const waiting = await new ComplaintRepository(app.deps.models).findById(id);
    expect(waiting!.deadlines.supplement!.remindedAt).to.equal(undefined);
    expect(await app.deps.models.Notification.countDocuments({ complaintId: id })).to.equal(0);
    expect((await jobState(jobId)).state).to.equal('delayed');

    // Worker B lives just past the reminder moment. Redis's clock cannot be shifted, so the job A put back is
    // promoted, as Redis does when its delay runs out (waiting for that would only wait out the 45 s lead).
    const b = await startWorker(app, { TEST_CLOCK_SHIFT_MS: String(remindAt + 1000 - Date.now()) });
    workers.push(b);
    await (await app.deps.queues.reminders.getJob(jobId))!.promote();
    const result = await waitFor('the reminder to be sent', async () => {
      const { job, state } = await jobState(jobId);
      if (state === 'failed') throw new Error(`job failed: ${job!.failedReason}`);
      return state === 'completed' ? job!.returnvalue : undefined;
    });
    expect(result).to.deep.equal({ outcome: 'applied', action: 'mark_reminded', notified: `deadline:${id}:supplement:2026-02-26T15:59:59.999Z` });

    const reminded = (await new ComplaintRepository(app.deps.models).findById(id))!;
    const remindedAt = Date.parse(reminded.deadlines.supplement!.remindedAt!);
    // not before its moment; how long after depends on how fast worker B starts on this machine
    expect(remindedAt).to.be.within(remindAt, remindAt + PATIENT_MS);
    expect(reminded.events.filter((e) => e.action === 'mark_reminded')).to.have.length(1);
    const notes = await u.handler.api.get<{ items: Array<{ refNo: string; deadline: string; dueDate: string }> }>('/api/v1/notifications');
    const mine = notes.body.items.filter((n) => n.refNo === refNo);
    expect(mine).to.have.length(1);
    expect(mine[0]).to.include({ deadline: 'supplement', dueDate: '2026-02-26' });

    // Scheduling the same deadline again is a no-op; a duplicate delivery is refused by the domain.
    await app.deps.queues.reminders.add('supplement.remind', { complaintId: id, deadline: 'supplement', step: 'remind', dueAt: '2026-02-26T15:59:59.999Z' }, { jobId });
    expect((await jobState(jobId)).state).to.equal('completed');
    const duplicate = await app.deps.queues.reminders.add('duplicate', { complaintId: id, deadline: 'supplement', step: 'remind', dueAt: '2026-02-26T15:59:59.999Z' }, { jobId: `dup-${id}` });
    const again = await waitFor('the duplicate to finish', async () => {
      const { job, state } = await jobState(duplicate.id!);
      return state === 'completed' ? job!.returnvalue : undefined;
    });
    expect(again).to.deep.equal({ outcome: 'skipped', reason: 'already_reminded' });
    expect(await app.deps.models.Notification.countDocuments({ complaintId: id })).to.equal(1);
    expect((await new ComplaintRepository(app.deps.models).findById(id))!.events.filter((e) => e.action === 'mark_reminded')).to.have.length(1);
  });
});
