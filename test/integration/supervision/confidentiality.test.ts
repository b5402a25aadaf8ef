/**
 * The reporter's identity over HTTP, role by role: unmasked only in the case detail for the assigned handler and
 * admins, each such read recorded on the case (outside the hash chain) before the data is returned; masked for
 * everyone else and in every list; refused outright to roles outside complaint handling.
 */
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import bcrypt from 'bcryptjs';
import { expect } from 'chai';
import { pino } from 'pino';
import { createApp } from '../../../server/app';
import { ComplaintRepository } from '../../../server/db/complaintRepository';
import { verifyChain } from '../../../server/domain/eventChain';
import { client, login } from '../../support/http';
import { startTestApp, type TestApp } from '../../support/testApp';
import { demoUsers, type DemoUser, type DemoUsers } from '../api/policyHelpers';
import { REPORTER, act, complaintIdOf, expectStatus, fileComplaint, type ComplaintBody } from './supervisionHelpers';

const MASKED = { name: '王**', contact: '138****5678', org: '某****', masked: true };
const UNMASKED = { name: REPORTER.reporterName, contact: REPORTER.reporterContact, org: REPORTER.reporterOrg, masked: false };

describe('reporter confidentiality per role (HTTP)', function () {
  this.timeout(30_000);
  let app: TestApp;
  let u: DemoUsers;
  let handler2: DemoUser;
  let id: string;

  before(async function () {
    app = await startTestApp({ label: 'confidentiality' });
    u = await demoUsers(app);
    // a second complaint handler, not assigned to the case
    const department = await app.deps.models.Department.findOne({ code: 'jubao' }).lean();
    const created = await app.deps.models.User.create({ username: 'handler2', displayName: '举报处理员二', role: 'complaint_handler', departmentId: department!._id, passwordHash: await bcrypt.hash('demo1234', 4) });
    const token = await login(app.baseUrl, 'handler2');
    handler2 = { id: String(created._id), token, api: client(app.baseUrl, token) };

    const { refNo } = await fileComplaint(client(app.baseUrl), { measureText: '某区关于本地企业优先的通知' });
    id = await complaintIdOf(u.regulator, refNo);
    expectStatus(await act(app.deps.models, u.regulator, id, { action: 'assign', assigneeId: u.handler.id }), 200);
  });
  after(async () => app?.close());

  const reads = async () => (await new ComplaintRepository(app.deps.models).findById(id))!.reporterReads;
  const detail = (who: DemoUser) => who.api.get<ComplaintBody>(`/api/v1/complaints/${id}`);

  it('shows the assigned handler the identity and records the read before answering', async function () {
    const before = (await reads()).length;
    const res = await detail(u.handler);
    expectStatus(res, 200);
    expect(res.body.reporter).to.deep.equal(UNMASKED);
    const after = await reads();
    expect(after).to.have.length(before + 1);
    expect(after.at(-1)).to.include({ actorId: u.handler.id, username: 'handler', role: 'complaint_handler', purpose: 'detail' });
    // the answer carries the log, including this read
    expect(res.body.reporterReads!.at(-1)).to.deep.equal(after.at(-1));
  });

  it('shows admins the identity and records it too', async function () {
    const before = (await reads()).length;
    const res = await detail(u.admin);
    expect(res.body.reporter).to.deep.equal(UNMASKED);
    expect((await reads()).slice(before).map((r) => r.role)).to.deep.equal(['admin']);
  });

  it('masks it for a regulator and for a handler not assigned to the case, and records nothing', async function () {
    const before = (await reads()).length;
    for (const who of [u.regulator, handler2]) {
      const res = await detail(who);
      expectStatus(res, 200);
      expect(res.body.reporter).to.deep.equal(MASKED);
      expect(res.body).to.not.have.property('reporterReads');
      expect(JSON.stringify(res.body)).to.not.include(REPORTER.reporterName).and.not.include(REPORTER.reporterContact);
    }
    expect(await reads()).to.have.length(before);
  });

  it('masks it in every list, even for the assigned handler, and records nothing', async function () {
    const before = (await reads()).length;
    for (const who of [u.handler, u.admin, u.regulator]) {
      const list = await who.api.get<{ items: Array<{ id: string; reporter: unknown }> }>('/api/v1/complaints');
      expect(list.body.items.find((c) => c.id === id)!.reporter).to.deep.equal(MASKED);
    }
    expect(await reads()).to.have.length(before);
  });

  it('masks it in the answer to a transition', async function () {
    const res = await act(app.deps.models, u.handler, id, { action: 'accept' });
    expectStatus(res, 200);
    expect(res.body.complaint.reporter).to.deep.equal(MASKED);
  });

  it('refuses the cases to roles outside complaint handling, and to anonymous callers', async function () {
    for (const who of [u.drafter, u.lead, u.drafter2, u.member1, u.evaluator]) {
      expectStatus(await detail(who), 403, 'forbidden');
      expectStatus(await who.api.get('/api/v1/complaints'), 403, 'forbidden');
    }
    expectStatus(await client(app.baseUrl).get(`/api/v1/complaints/${id}`), 401);
  });

  it('keeps the reporter\'s access code out of the request log', async function () {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done(); } });
    const logged = createApp({ ...app.deps, logger: pino({ level: 'info' }, sink) });
    const server = logged.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { refNo, accessCode } = await fileComplaint(client(base), { measureText: '某通知' });
      expectStatus(await client(base).get(`/api/v1/complaints/status?refNo=${refNo}&accessCode=${accessCode}`), 200);
      const log = lines.join('');
      expect(log).to.include(`refNo=${refNo}&accessCode=[redacted]`);
      expect(log, log.split('\n').filter((l) => l.includes(accessCode)).join('\n')).to.not.include(accessCode);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('keeps the identity out of the hash-chained history, which reads do not touch', async function () {
    const complaint = (await new ComplaintRepository(app.deps.models).findById(id))!;
    expect(JSON.stringify(complaint.events)).to.not.include(REPORTER.reporterName).and.not.include(REPORTER.reporterContact).and.not.include(REPORTER.reporterOrg);
    expect(verifyChain(complaint.events).ok).to.equal(true);
    // reads did not bump the revision: receive, assign, accept
    expect(complaint.rev).to.equal(2);
    expect(complaint.reporterReads.length).to.be.at.least(2);
  });
});
