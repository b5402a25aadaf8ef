/**
 * The complaint reply letter and the statistics report through the reports pipeline (HTTP + worker process):
 * who may ask, and a letter naming the reporter rendered and served only to those who may see the reporter.
 */
import { expect } from 'chai';
import JSZip from 'jszip';
import { client } from '../../support/http';
import { startTestApp, type TestApp } from '../../support/testApp';
import { startWorker, type WorkerProcess } from '../../support/workerProcess';
import { demoUsers, type DemoUser, type DemoUsers } from './policyHelpers';
import { REPORTER, act, complaintIdOf, expectStatus, fileComplaint } from '../supervision/supervisionHelpers';

interface ReportBody { id: string; status: string; error: string | null; revision: string }

describe('complaint reply and statistics reports (real store, Redis and worker process)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let worker: WorkerProcess;
  let u: DemoUsers;
  let complaintId: string;
  let refNo: string;

  before(async function () {
    app = await startTestApp({ label: 'supreports' });
    u = await demoUsers(app);
    worker = await startWorker(app);
    ({ refNo } = await fileComplaint(client(app.baseUrl), { measureText: '某区关于本地企业优先的通知' }));
    complaintId = await complaintIdOf(u.regulator, refNo);
    expectStatus(await act(app.deps.models, u.regulator, complaintId, { action: 'assign', assigneeId: u.handler.id }), 200);
  });
  after(async function () {
    await worker?.stop();
    await app?.close();
  });

  async function rendered(who: DemoUser, body: Record<string, unknown>): Promise<{ report: ReportBody; text: string }> {
    const requested = await who.api.post<ReportBody>('/api/v1/reports', body);
    expect(requested.status, JSON.stringify(requested.body)).to.equal(202);
    const deadline = Date.now() + 20_000;
    let report = requested.body;
    while (report.status !== 'ready' && report.status !== 'failed' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      report = (await who.api.get<ReportBody>(`/api/v1/reports/${report.id}`)).body;
    }
    expect(report.status, `${report.error}\n${worker.output().slice(-2000)}`).to.equal('ready');
    const res = await fetch(`${app.baseUrl}/api/v1/reports/${report.id}/file`, { headers: { authorization: `Bearer ${who.token}` } });
    const xml = (await (await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()))).file('word/document.xml')!.async('string'));
    return { report, text: [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('') };
  }

  it('refuses a reply letter before the case has an outcome (422), and to roles outside complaint handling (403)', async function () {
    const early = await u.handler.api.post('/api/v1/reports', { kind: 'complaint_reply', complaintId });
    expect(early.status).to.equal(422);
    expect(early.body).to.include({ code: 'complaint_not_concluded' });
    expect((await u.drafter.api.post('/api/v1/reports', { kind: 'complaint_reply', complaintId })).status).to.equal(403);
  });

  it('renders the reply letter naming the reporter for the assigned handler only; others get a separate, unnamed letter', async function () {
    expectStatus(await act(app.deps.models, u.handler, complaintId, { action: 'reject', reason: '所反映事项不属于公平竞争审查范围' }), 200);

    const named = await rendered(u.handler, { kind: 'complaint_reply', complaintId });
    expect(named.text).to.include(REPORTER.reporterName).and.include('不予受理').and.include('所反映事项不属于公平竞争审查范围');
    expect(named.report.revision).to.match(/:named$/);
    // rendering the named letter for someone and every download of it are reads of the reporter's identity
    const letterReads = async () => ((await app.deps.models.Complaint.findById(complaintId).lean())!.reporterReads ?? []).filter((r) => r.purpose === 'reply_letter').map((r) => r.username);
    expect(await letterReads(), 'rendered for the handler, then downloaded').to.deep.equal(['handler', 'handler']);
    const byAdmin = await fetch(`${app.baseUrl}/api/v1/reports/${named.report.id}/file`, { headers: { authorization: `Bearer ${u.admin.token}` } });
    expect(byAdmin.status).to.equal(200);
    expect(await letterReads()).to.deep.equal(['handler', 'handler', 'admin']);

    const unnamed = await rendered(u.regulator, { kind: 'complaint_reply', complaintId });
    expect(unnamed.report.id).not.to.equal(named.report.id);
    expect(unnamed.text).to.include('举报人').and.not.include(REPORTER.reporterName);
    expect(await letterReads(), 'the unnamed letter shows no identity').to.have.length(3);

    // the named letter stays out of reach for those who may not see the reporter
    expect((await u.regulator.api.get(`/api/v1/reports/${named.report.id}`)).status).to.equal(404);
    expect((await u.regulator.api.get(`/api/v1/reports/${named.report.id}/file`)).status).to.equal(404);
    expect((await u.drafter.api.get(`/api/v1/reports/${unnamed.report.id}`)).status).to.equal(404);
  });

  it('renders a statistics report for a period for regulators, once per set of figures, and refuses drafters', async function () {
    const first = await rendered(u.regulator, { kind: 'statistics', from: '2026-01-01', to: '2026-12-31' });
    expect(first.text).to.include('统计');
    const again = await u.regulator.api.post<ReportBody>('/api/v1/reports', { kind: 'statistics', from: '2026-01-01', to: '2026-12-31' });
    expect(again.body.id).to.equal(first.report.id);
    expect((await u.drafter.api.post('/api/v1/reports', { kind: 'statistics', from: '2026-01-01', to: '2026-12-31' })).status).to.equal(403);
    expect((await u.drafter.api.get(`/api/v1/reports/${first.report.id}`)).status).to.equal(404);
    const badDate = await u.regulator.api.post('/api/v1/reports', { kind: 'statistics', from: '2026/01/01' });
    expect(badDate.status).to.equal(400);
  });
});
