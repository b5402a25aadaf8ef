/**
 * The life of a complaint over HTTP, against the real store and Redis, on an injected clock so that deadlines
 * across the 2026 Spring Festival and Labour Day blocks can be reached: public intake and the reporter's status
 * check, assignment, a supplement requested and supplied by the reporter, acceptance, an extension approved by a
 * regulator, verification, a confirmed violation that opens the policy's recheck, the reply and closing; a
 * supplement request that lapses and a verification that runs overdue through the real deadline processor on
 * BullMQ; and the reply letter's data.
 */
import bcrypt from 'bcryptjs';
import { expect } from 'chai';
import { Worker, type Job } from 'bullmq';
import { settableClock } from '../../../server/clock';
import { ComplaintRepository } from '../../../server/db/complaintRepository';
import { readFile } from '../../../server/db/files';
import { PolicyRepository } from '../../../server/db/policyRepository';
import { verifyChain } from '../../../server/domain/eventChain';
import { buildReport } from '../../../templates/index';
import { complaintDeadlines } from '../../../workers/processors/complaintDeadlines';
import type { WorkerDeps } from '../../../workers/processors';
import { createRedis, type ReminderJob } from '../../../server/queues';
import { loadComplaintReplyData } from '../../../server/services/reportData/complaintReplyData';
import { client } from '../../support/http';
import { waitFor } from '../../support/waitFor';
import { startTestApp, type TestApp } from '../../support/testApp';
import { demoUsers, type DemoUsers } from '../api/policyHelpers';
import {
  REPORTER, act, complaintIdOf, expectStatus, fileComplaint, postMultipart, publishedPolicy, seedPolicy,
} from './supervisionHelpers';

const at = (iso: string) => new Date(iso);
/** 10:00 Shanghai on Tuesday 2026-02-10, four days before the Spring Festival block (02-15..02-23). */
const START = at('2026-02-10T02:00:00.000Z');

describe('complaint life over HTTP (real store, Redis, BullMQ; injected clock)', function () {
  this.timeout(60_000);
  const clock = settableClock(START);
  let app: TestApp;
  let u: DemoUsers;
  let policyId: string;
  let shangwu: string;
  const anonymous = () => client(app.baseUrl);
  const closers: Array<() => Promise<unknown>> = [];

  before(async function () {
    app = await startTestApp({ label: 'complaints', clock });
    u = await demoUsers(app);
    shangwu = String((await app.deps.models.Department.findOne({ code: 'shangwu' }).lean())!._id);
    policyId = await seedPolicy(app.deps.models, publishedPolicy('某市关于支持本地商贸企业发展的若干措施', shangwu, u.drafter.id));
  });
  after(async function () {
    while (closers.length) await closers.pop()!();
    await app?.close();
  });
  beforeEach(() => clock.set(START));

  const stored = async (id: string) => (await new ComplaintRepository(app.deps.models).findById(id))!;

  /** The real deadline processor on a BullMQ worker in this process, deciding with the test's clock. */
  function startDeadlineWorker() {
    const deps: WorkerDeps = { config: app.deps.config, logger: app.deps.logger, store: app.deps.store, models: app.deps.models, queues: app.deps.queues, clock };
    const worker = new Worker<ReminderJob>('reminders', (job) => complaintDeadlines.process(job, deps), { connection: createRedis(app.deps.config.REDIS_URL, { blocking: true }), prefix: app.queuePrefix });
    closers.push(() => worker.close());
    return worker;
  }

  /** Makes a delayed job due now (time was moved on the clock, not in Redis) and waits until it finished. */
  async function runNow(jobId: string): Promise<unknown> {
    const job = await app.deps.queues.reminders.getJob(jobId);
    expect(job, `job ${jobId}`).to.not.equal(undefined);
    if ((await job!.getState()) === 'delayed') await job!.promote();
    return waitFinished(jobId);
  }

  /** Promotes a delayed job that is not due by the clock yet, and waits until the processor put it back. */
  async function runEarly(jobId: string): Promise<{ delayUntil: number }> {
    await (await app.deps.queues.reminders.getJob(jobId))!.promote();
    return waitFor(`job ${jobId} to be put back`, async () => {
      const job = (await app.deps.queues.reminders.getJob(jobId))!;
      return job.processedOn && (await job.getState()) === 'delayed' ? { delayUntil: job.timestamp + job.delay } : undefined;
    });
  }

  /** The state first, then the job: a job read before its state could predate the outcome the state reports. */
  async function waitFinished(jobId: string): Promise<unknown> {
    return waitFor(`job ${jobId} to finish`, async () => {
      const state = await app.deps.queues.reminders.getJobState(jobId);
      if (state !== 'completed' && state !== 'failed') return undefined;
      const job = (await app.deps.queues.reminders.getJob(jobId)) as Job<ReminderJob>;
      if (state === 'failed') throw new Error(`job ${jobId} failed: ${job.failedReason}`);
      return { value: job.returnvalue };
    }).then((finished) => finished.value);
  }

  it('takes a complaint without login, returns its number and access code, and keeps only a hash of the code', async function () {
    const res = await anonymous().post<{ refNo: string; accessCode: string }>('/api/v1/complaints', { ...REPORTER, policyId, description: '第二条要求优先采购本地企业产品。' });
    expectStatus(res, 201);
    expect(res.body.refNo).to.match(/^JB-20260210-\d{4}$/);
    expect(res.body.accessCode).to.match(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$/);

    const doc = await app.deps.models.Complaint.findOne({ refNo: res.body.refNo }).lean();
    expect(JSON.stringify(doc)).to.not.include(res.body.accessCode);
    expect(await bcrypt.compare(res.body.accessCode, doc!.accessCodeHash)).to.equal(true);
    expect(doc).to.include({ state: 'received', rev: 0, assigneeId: null });
    expect(doc!.events.map((e) => e.action)).to.deep.equal(['receive']);

    // numbers run on within the Shanghai day
    const next = await fileComplaint(anonymous(), { measureText: '某区关于加快建筑业发展的通知', issuingBody: '某区住建局' });
    expect(Number(next.refNo.slice(-4))).to.equal(Number(res.body.refNo.slice(-4)) + 1);
  });

  it('refuses an incomplete report, an unknown policy and a malformed field', async function () {
    const missing = await anonymous().post('/api/v1/complaints', { reporterName: '李四' });
    expectStatus(missing, 400, 'invalid_command');
    expect(JSON.stringify(missing.body)).to.include('reporter.contact').and.include('description').and.include('target.policyId|target.measureText');
    expectStatus(await anonymous().post('/api/v1/complaints', { ...REPORTER, description: '问题', policyId: 'ffffffffffffffffffffffff' }), 400, 'invalid_request');
    expectStatus(await anonymous().post('/api/v1/complaints', { ...REPORTER, description: '问题', measureText: '某文件', extra: 1 }), 400, 'invalid_request');
  });

  it('lets the reporter check the status with number and code, and answers a wrong code like an unknown number', async function () {
    const { refNo, accessCode } = await fileComplaint(anonymous(), { policyId });
    const ok = await anonymous().get(`/api/v1/complaints/status?refNo=${refNo}&accessCode=${accessCode}`);
    expectStatus(ok, 200);
    expect(ok.body).to.include({ refNo, state: 'received', stateLabel: '已收到' });
    expect(ok.body.receivedAt).to.match(/^2026-02-10T02:00:0/);
    expect(ok.body).to.have.all.keys('refNo', 'state', 'stateLabel', 'receivedAt', 'updatedAt', 'supplement', 'notAccepted', 'transferredTo', 'outcome', 'reply', 'rating', 'mayRate');
    expect(JSON.stringify(ok.body)).to.not.include(REPORTER.reporterName);

    const wrongCode = await anonymous().get(`/api/v1/complaints/status?refNo=${refNo}&accessCode=ABCDEFGHJK`);
    const unknownRef = await anonymous().get(`/api/v1/complaints/status?refNo=JB-20200101-0001&accessCode=${accessCode}`);
    expectStatus(wrongCode, 404, 'complaint_not_found');
    expectStatus(unknownRef, 404, 'complaint_not_found');
    expect(wrongCode.body.detail).to.equal(unknownRef.body.detail);
  });

  it('accepts an attachment that is what it claims to be, and refuses one that is not, storing nothing', async function () {
    const evidence = Buffer.from('某区政府采购公告：仅限本区注册企业投标。', 'utf8');
    const ok = await postMultipart(app.baseUrl, '/api/v1/complaints', { ...REPORTER, measureText: '某区政府采购公告', description: '限定本区企业投标' }, { data: evidence, name: '采购公告.txt', type: 'text/plain' });
    expectStatus(ok, 201);
    const doc = await app.deps.models.Complaint.findOne({ refNo: ok.body.refNo }).lean();
    expect(doc!.attachments).to.have.length(1);
    expect(doc!.attachments[0]).to.include({ filename: '采购公告.txt', size: evidence.length });
    expect((await readFile(app.deps.store, 'complaintAttachments', doc!.attachments[0]!.fileId)).equals(evidence)).to.equal(true);

    const before = await app.deps.models.Complaint.countDocuments();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const refused = await postMultipart(app.baseUrl, '/api/v1/complaints', { ...REPORTER, measureText: '某公告', description: '问题' }, { data: png, name: '截图.pdf' });
    expectStatus(refused, 415);
    expect(await app.deps.models.Complaint.countDocuments()).to.equal(before);
  });

  it('runs the whole case: supplement across the Spring Festival, acceptance, an approved extension, a confirmed violation opening the recheck, reply and close', async function () {
    const { refNo, accessCode } = await fileComplaint(anonymous(), { policyId });
    const id = await complaintIdOf(u.handler, refNo);

    // nobody outside complaint handling may list or read cases
    expectStatus(await u.drafter.api.get('/api/v1/complaints'), 403, 'forbidden');
    expectStatus(await anonymous().get('/api/v1/complaints'), 401);

    // the handler claims the case; once assigned, only a regulator or an admin may reassign it
    const assigned = await act(app.deps.models, u.handler, id, { action: 'assign', assigneeId: u.handler.id });
    expectStatus(assigned, 200);
    expect(assigned.body.complaint).to.include({ assigneeId: u.handler.id, state: 'received' });
    expectStatus(await act(app.deps.models, u.handler, id, { action: 'assign', assigneeId: u.handler.id }), 403, 'forbidden');
    expectStatus(await act(app.deps.models, u.regulator, id, { action: 'assign', assigneeId: u.handler.id }), 409, 'already_assigned');
    expectStatus(await act(app.deps.models, u.regulator, id, { action: 'assign', assigneeId: u.drafter.id }), 400, 'invalid_command');

    // supplement requested on Tue 02-10: 7 working days = 02-11, 12, 13, Sat 02-14 (调休上班), then after the
    // 02-15..02-23 block 02-24, 25, 26; the reminder 3 working days earlier lands on Sat 02-14 at 09:00
    const requested = await act(app.deps.models, u.handler, id, { action: 'request_supplement', items: ['请提供被举报文件的全文', '请说明受到影响的具体项目'] });
    expectStatus(requested, 200);
    const supplement = requested.body.complaint.deadlines.supplement!;
    expect(supplement).to.include({ dueDate: '2026-02-26', dueAt: '2026-02-26T15:59:59.999Z', remindAt: '2026-02-14T01:00:00.000Z' });
    const [remindJobId, dueJobId] = requested.body.effects[0]!.jobIds as string[];
    expect(remindJobId).to.equal(`deadline:${id}:supplement.remind.2026-02-26.2026-02-14`);
    const remindJob = await app.deps.queues.reminders.getJob(remindJobId!);
    expect(await remindJob!.getState()).to.equal('delayed');
    // the injected clock runs on from START; on a busy machine a minute may pass before the job is scheduled
    expect(remindJob!.opts.delay).to.be.closeTo(Date.parse('2026-02-14T01:00:00.000Z') - START.getTime(), 60_000);
    expect(await (await app.deps.queues.reminders.getJob(dueJobId!))!.getState()).to.equal('delayed');

    const status = await anonymous().get(`/api/v1/complaints/status?refNo=${refNo}&accessCode=${accessCode}`);
    expect(status.body).to.deep.include({ state: 'supplement_requested', supplement: { items: ['请提供被举报文件的全文', '请说明受到影响的具体项目'], dueDate: '2026-02-26' } });

    // the reporter supplements on the last but one day, with a document, authenticating with number and code
    clock.set(at('2026-02-25T03:00:00.000Z'));
    const wrong = await postMultipart(app.baseUrl, '/api/v1/complaints/supplement', { refNo, accessCode: 'WRONGCODE2', note: '补充' });
    expectStatus(wrong, 404, 'complaint_not_found');
    const supplied = await postMultipart(app.baseUrl, '/api/v1/complaints/supplement', { refNo, accessCode, note: '附上文件全文。' }, { data: Buffer.from('第二条　政府采购项目应当优先采购本地企业生产的产品。'), name: '全文.txt', type: 'text/plain' });
    expectStatus(supplied, 200);
    expect(supplied.body).to.include({ state: 'received' });
    const afterSupplement = await stored(id);
    expect(afterSupplement.attachments.map((a) => a.filename)).to.deep.equal(['全文.txt']);
    const download = (token: string) => fetch(`${app.baseUrl}/api/v1/complaints/${id}/attachments/${afterSupplement.attachments[0]!.fileId}`, { headers: { authorization: `Bearer ${token}` } });
    const file = await download(u.handler.token);
    expect(file.status).to.equal(200);
    expect(await file.text()).to.equal('第二条　政府采购项目应当优先采购本地企业生产的产品。');
    expect(file.headers.get('content-disposition')).to.include(encodeURIComponent('全文.txt'));
    expect((await download(u.drafter.token)).status).to.equal(403);
    expect(afterSupplement.events.at(-1)).to.deep.include({ action: 'submit_supplement', actor: { id: `reporter:${refNo}`, username: 'reporter' }, comment: '附上文件全文。' });

    // accepted Mon 03-02: 60 calendar days → Fri 05-01, a Labour Day holiday, not moved; reminded Tue 04-28
    clock.set(at('2026-03-02T02:00:00.000Z'));
    const accepted = await act(app.deps.models, u.handler, id, { action: 'accept' });
    expectStatus(accepted, 200);
    expect(accepted.body.complaint.deadlines.verification).to.include({ dueDate: '2026-05-01', remindAt: '2026-04-28T01:00:00.000Z' });

    // an extension is approved by a regulator, not by the handler; it must move the date later
    expectStatus(await act(app.deps.models, u.handler, id, { action: 'extend', newDueDate: '2026-05-29', reason: '需调取多个部门材料' }), 403, 'forbidden');
    expectStatus(await act(app.deps.models, u.regulator, id, { action: 'extend', newDueDate: '2026-04-20', reason: '需调取多个部门材料' }), 400, 'invalid_command');
    expectStatus(await act(app.deps.models, u.regulator, id, { action: 'extend', newDueDate: '2026-05-29' }), 422, 'missing_preconditions');
    const extended = await act(app.deps.models, u.regulator, id, { action: 'extend', newDueDate: '2026-05-29', reason: '需调取多个部门材料' });
    expectStatus(extended, 200);
    expect(extended.body.complaint.deadlines.verification).to.deep.include({ dueDate: '2026-05-29', remindAt: '2026-05-26T01:00:00.000Z' });
    expect(extended.body.complaint.deadlines.verification!.extension).to.include({ approvedBy: u.regulator.id, previousDueDate: '2026-05-01' });
    expect(extended.body.effects[0]!.jobIds).to.deep.equal([`deadline:${id}:verification.remind.2026-05-29.2026-05-26`, `deadline:${id}:verification.due.2026-05-29`]);

    expectStatus(await act(app.deps.models, u.handler, id, { action: 'start_verification' }), 200);

    // a confirmation must name a policy that exists; a refused one changes nothing
    const unknownPolicy = await act(app.deps.models, u.handler, id, { action: 'conclude_violation', summary: '属实', policyId: 'ffffffffffffffffffffffff' });
    expectStatus(unknownPolicy, 404, 'policy_not_found');
    expect((await stored(id)).state).to.equal('verifying');

    clock.set(at('2026-04-10T02:00:00.000Z'));
    const confirmed = await act(app.deps.models, u.handler, id, { action: 'conclude_violation', summary: '第二条限定优先采购本地产品，违反条例第九条。' });
    expectStatus(confirmed, 200);
    expect(confirmed.body.complaint).to.deep.include({ state: 'violation_confirmed', overdue: false });
    expect(confirmed.body.effects).to.deep.equal([{ kind: 'open_policy_recheck', policyId, status: 'opened' }]);
    const policy = (await new PolicyRepository(app.deps.models).findById(policyId))!;
    expect(policy.state).to.equal('recheck');
    expect(policy.recheck).to.include({ source: 'complaint', refId: id, openedBy: u.handler.id });
    expect(policy.events.at(-1)).to.deep.include({ action: 'open_recheck', from: 'published', to: 'recheck' });
    expect(verifyChain(policy.events).ok).to.equal(true);

    expectStatus(await act(app.deps.models, u.handler, id, { action: 'reply', text: '我局已督促起草单位整改。' }), 200);
    expectStatus(await act(app.deps.models, u.handler, id, { action: 'close' }), 200);
    expectStatus(await act(app.deps.models, u.handler, id, { action: 'close' }), 409, 'wrong_state');

    const final = await anonymous().get(`/api/v1/complaints/status?refNo=${refNo}&accessCode=${accessCode}`);
    expect(final.body).to.deep.include({ state: 'closed', stateLabel: '已办结', outcome: 'violation' });
    expect(final.body.reply).to.have.property('text', '我局已督促起草单位整改。');

    const history = await stored(id);
    expect(history.events.map((e) => e.action)).to.deep.equal([
      'receive', 'assign', 'request_supplement', 'submit_supplement', 'accept', 'extend', 'start_verification', 'conclude_violation', 'reply', 'close',
    ]);
    expect(verifyChain(history.events)).to.deep.equal({ ok: true, length: 10 });
    expect(JSON.stringify(history.events)).to.not.include(REPORTER.reporterName).and.not.include(REPORTER.reporterContact);

    // the reply letter: addressed by name only for a reader allowed to see it (and that read is recorded)
    const handlerActor = { id: u.handler.id, username: 'handler', role: 'complaint_handler' as const, departmentId: '' };
    const letter = await loadComplaintReplyData(app.deps.models, id, clock(), { reader: handlerActor });
    expect(letter).to.deep.include({ complaintRefNo: refNo, addressee: REPORTER.reporterName, issuingBody: '市市场监督管理局', findings: '第二条限定优先采购本地产品，违反条例第九条。' });
    expect(letter.outcome).to.deep.equal({ kind: 'violation_confirmed', text: '我局已督促起草单位整改。', transferredTo: null });
    expect(letter.reported.policyName).to.equal('某市关于支持本地商贸企业发展的若干措施');
    expect((await stored(id)).reporterReads.map((r) => r.purpose)).to.deep.equal(['reply_letter']);
    const regulatorActor = { id: u.regulator.id, username: 'regulator', role: 'regulator' as const, departmentId: '' };
    expect((await loadComplaintReplyData(app.deps.models, id, clock(), { reader: regulatorActor })).addressee).to.equal(null);
    const docx = await buildReport('complaint_reply', letter);
    expect(docx.subarray(0, 2).toString()).to.equal('PK');
  });

  it('applies one of several concurrent transitions on the same revision and refuses the others as stale', async function () {
    const { refNo } = await fileComplaint(anonymous(), { policyId });
    const id = await complaintIdOf(u.handler, refNo);
    expectStatus(await act(app.deps.models, u.handler, id, { action: 'assign', assigneeId: u.handler.id }), 200);
    const rev = (await stored(id)).rev;
    const answers = await Promise.all([
      ...Array.from({ length: 4 }, () => u.handler.api.post(`/api/v1/complaints/${id}/transitions`, { rev, action: 'accept' })),
      ...Array.from({ length: 4 }, () => u.handler.api.post(`/api/v1/complaints/${id}/transitions`, { rev, action: 'reject', reason: '不属于受理范围' })),
    ]);
    expect(answers.filter((a) => a.status === 200)).to.have.length(1);
    expect(answers.filter((a) => a.status === 409).map((a) => a.body.code)).to.have.length(7).and.satisfy((codes: string[]) => codes.every((c) => c === 'stale_rev' || c === 'wrong_state'));
    const after = await stored(id);
    expect(after.rev).to.equal(rev + 1);
    expect(after.events.filter((e) => e.action === 'accept' || e.action === 'reject')).to.have.length(1);
    expect(verifyChain(after.events).ok).to.equal(true);
  });

  it('records a transfer to another authority, tells the reporter where it went, and ends the case here', async function () {
    const { refNo, accessCode } = await fileComplaint(anonymous(), { measureText: '某省人民政府办公厅关于某事项的通知', issuingBody: '某省人民政府办公厅' });
    const id = await complaintIdOf(u.handler, refNo);
    expectStatus(await act(app.deps.models, u.handler, id, { action: 'assign', assigneeId: u.handler.id }), 200);
    expectStatus(await act(app.deps.models, u.handler, id, { action: 'transfer', toAuthority: '省市场监督管理局' }), 422, 'missing_preconditions');
    const moved = await act(app.deps.models, u.handler, id, { action: 'transfer', toAuthority: '省市场监督管理局', reason: '被举报文件由省级政府制定，不属于本级管辖' });
    expectStatus(moved, 200);
    expect(moved.body.complaint.state).to.equal('transferred');
    expect(moved.body.complaint.transfer).to.include({ toAuthority: '省市场监督管理局', reason: '被举报文件由省级政府制定，不属于本级管辖' });
    expect(moved.body.complaint.availableActions).to.deep.equal([]);
    const status = await anonymous().get(`/api/v1/complaints/status?refNo=${refNo}&accessCode=${accessCode}`);
    expect(status.body).to.include({ state: 'transferred', transferredTo: '省市场监督管理局' });
    const letter = await loadComplaintReplyData(app.deps.models, id, clock());
    expect(letter.outcome).to.deep.equal({ kind: 'transferred', text: null, transferredTo: '省市场监督管理局' });
    expect(letter.addressee).to.equal(null);
    expect(letter.reported.policyName).to.equal('某省人民政府办公厅关于某事项的通知');
  });

  it('counts a recheck that is already open as done when a second complaint about the policy is confirmed', async function () {
    const policyInRecheck = await seedPolicy(app.deps.models, publishedPolicy('某市促进消费若干措施', shangwu, u.drafter.id));
    const ids: string[] = [];
    for (const summary of ['第一次举报属实', '第二次举报属实']) {
      const { refNo } = await fileComplaint(anonymous(), { policyId: policyInRecheck });
      const id = await complaintIdOf(u.handler, refNo);
      ids.push(id);
      for (const body of [{ action: 'assign', assigneeId: u.handler.id }, { action: 'accept' }, { action: 'start_verification' }]) {
        expectStatus(await act(app.deps.models, u.handler, id, body), 200);
      }
      const confirmed = await act(app.deps.models, u.handler, id, { action: 'conclude_violation', summary });
      expectStatus(confirmed, 200);
      expect(confirmed.body.effects[0]).to.include({ policyId: policyInRecheck, status: summary.startsWith('第一') ? 'opened' : 'already_open' });
    }
    const policy = (await new PolicyRepository(app.deps.models).findById(policyInRecheck))!;
    expect(policy.events.filter((e) => e.action === 'open_recheck')).to.have.length(1);
    expect(policy.recheck?.refId).to.equal(ids[0]);
  });

  it('lapses an unanswered supplement request when its deadline passes, through the deadline job', async function () {
    startDeadlineWorker();
    const { refNo, accessCode } = await fileComplaint(anonymous(), { policyId });
    const id = await complaintIdOf(u.handler, refNo);
    expectStatus(await act(app.deps.models, u.handler, id, { action: 'assign', assigneeId: u.handler.id }), 200);
    const requested = await act(app.deps.models, u.handler, id, { action: 'request_supplement', items: ['请提供文件全文'] });
    const [remindJobId, dueJobId] = requested.body.effects[0]!.jobIds as string[];

    // scheduling the same deadline again adds nothing
    const delayedBefore = await app.deps.queues.reminders.getDelayedCount();
    const { scheduleDeadlineJobs } = await import('../../../server/services/deadlineJobs');
    const d = requested.body.complaint.deadlines.supplement!;
    await scheduleDeadlineJobs(app.deps.queues.reminders, { kind: 'schedule_deadline_jobs', complaintId: id, deadline: 'supplement', remindAt: d.remindAt, dueAt: d.dueAt }, clock());
    expect(await app.deps.queues.reminders.getDelayedCount()).to.equal(delayedBefore);

    // run early (23:00 on the last day), the job changes nothing and waits in Redis for the rest of the day
    clock.set(at('2026-02-26T15:00:00.000Z'));
    const early = await runEarly(dueJobId!);
    expect(early.delayUntil - Date.now()).to.be.within(50 * 60_000, 61 * 60_000);
    expect((await stored(id)).state).to.equal('supplement_requested');

    // once the day is over it lapses the request
    clock.set(at('2026-02-26T16:00:00.000Z'));
    expect(await runNow(dueJobId!)).to.deep.equal({ outcome: 'applied', action: 'lapse', notified: null });
    const status = await anonymous().get(`/api/v1/complaints/status?refNo=${refNo}&accessCode=${accessCode}`);
    expect(status.body).to.deep.include({ state: 'not_accepted', notAccepted: { reason: '逾期未补正（期限 2026-02-26），不予核查', lapsed: true } });
    expect((await stored(id)).events.at(-1)).to.deep.include({ action: 'lapse', actor: { id: 'system', username: 'system' } });

    // too late for the reporter; and the reminder, run now, is refused by the domain (the request is over)
    const late = await postMultipart(app.baseUrl, '/api/v1/complaints/supplement', { refNo, accessCode, note: '迟到的补正' });
    expectStatus(late, 409, 'wrong_state');
    expect(await runNow(remindJobId!)).to.deep.equal({ outcome: 'skipped', reason: 'wrong_state' });
  });

  it('flags a verification past its deadline at once, marks it overdue through the job once, and reminds the assignee once', async function () {
    startDeadlineWorker();
    const { refNo } = await fileComplaint(anonymous(), { policyId });
    const id = await complaintIdOf(u.handler, refNo);
    expectStatus(await act(app.deps.models, u.handler, id, { action: 'assign', assigneeId: u.handler.id }), 200);
    // accepted Mon 2026-08-03: due Fri 10-02, inside the National Day block; reminded Mon 09-28 (Sun 09-20 is a
    // working day but lies earlier): 09-30, 09-29, 09-28
    clock.set(at('2026-08-03T02:00:00.000Z'));
    const accepted = await act(app.deps.models, u.handler, id, { action: 'accept' });
    expect(accepted.body.complaint.deadlines.verification).to.include({ dueDate: '2026-10-02', remindAt: '2026-09-28T01:00:00.000Z' });
    const [remindJobId, dueJobId] = accepted.body.effects[0]!.jobIds as string[];
    expectStatus(await act(app.deps.models, u.handler, id, { action: 'start_verification' }), 200);

    clock.set(at('2026-09-28T01:30:00.000Z'));
    expect(await runNow(remindJobId!)).to.deep.equal({ outcome: 'applied', action: 'mark_reminded', notified: `deadline:${id}:verification:2026-10-02T15:59:59.999Z` });
    const notes = await u.handler.api.get<{ items: Array<{ id: string; refNo: string; dueDate: string; title: string; readAt: string | null }> }>('/api/v1/notifications');
    expect(notes.body.items.filter((n) => n.refNo === refNo)).to.have.length(1);
    const note = notes.body.items.find((n) => n.refNo === refNo)!;
    expect(note).to.include({ dueDate: '2026-10-02', readAt: null });
    expectStatus(await u.regulator.api.post(`/api/v1/notifications/${note.id}/read`), 404, 'notification_not_found');
    expectStatus(await u.handler.api.post(`/api/v1/notifications/${note.id}/read`), 200);
    const unread = await u.handler.api.get<{ items: Array<{ id: string }> }>('/api/v1/notifications?unread=true');
    expect(unread.body.items.map((n) => n.id)).to.not.include(note.id);

    // a duplicate of the reminder (another delivery of the same deadline) is refused and notifies nobody again
    const duplicate = await app.deps.queues.reminders.add('duplicate', { complaintId: id, deadline: 'verification', step: 'remind', dueAt: '2026-10-02T15:59:59.999Z' }, { jobId: `dup-remind-${id}` });
    expect(await waitFinished(duplicate.id!)).to.deep.equal({ outcome: 'skipped', reason: 'already_reminded' });
    expect(await app.deps.models.Notification.countDocuments({ complaintId: id })).to.equal(1);

    // past the deadline the list flags it before the job has run
    clock.set(at('2026-10-03T01:00:00.000Z'));
    const overdueList = await u.handler.api.get<{ items: Array<{ refNo: string; overdue: boolean }> }>('/api/v1/complaints?overdue=true&assignee=me&pageSize=100');
    expect(overdueList.body.items.map((c) => c.refNo)).to.include(refNo);
    const notOverdue = await u.handler.api.get<{ items: Array<{ refNo: string }> }>('/api/v1/complaints?overdue=false&pageSize=100');
    expect(notOverdue.body.items.map((c) => c.refNo)).to.not.include(refNo);
    expect((await stored(id)).overdue).to.equal(false);

    expect(await runNow(dueJobId!)).to.deep.equal({ outcome: 'applied', action: 'mark_overdue', notified: null });
    const marked = await stored(id);
    expect(marked.overdue).to.equal(true);
    const again = await app.deps.queues.reminders.add('duplicate', { complaintId: id, deadline: 'verification', step: 'due', dueAt: '2026-10-02T15:59:59.999Z' }, { jobId: `dup-due-${id}` });
    expect(await waitFinished(again.id!)).to.deep.equal({ outcome: 'skipped', reason: 'already_overdue' });
    expect((await stored(id)).events.filter((e) => e.action === 'mark_overdue')).to.have.length(1);

    // concluding clears the mark
    const concluded = await act(app.deps.models, u.handler, id, { action: 'conclude_no_violation', summary: '经核查，未发现违反审查标准。' });
    expect(concluded.body.complaint).to.include({ state: 'no_violation', overdue: false });
  });
});
