/**
 * Reports through HTTP with a real worker process: requested (202), rendered by the reports worker into GridFS,
 * downloaded as DOCX with a Chinese file name, rendered once per (kind, policy, revision), and readable only by
 * those who may read the policy.
 */
import { expect } from 'chai';
import JSZip from 'jszip';
import { loadChecklists } from '../../../checklists/index';
import { makeDocx } from '../../fixtures/makeDocuments';
import { startTestApp, type TestApp } from '../../support/testApp';
import { startWorker, type WorkerProcess } from '../../support/workerProcess';
import { DRAFT_V1, demoUsers, upload, waitForVersion, type DemoUsers, type PolicyBody } from './policyHelpers';

interface ReportBody { id: string; kind: string; status: string; error: string | null; revision: string; fileUrl: string | null }

describe('reports API (real store, Redis and worker process)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let worker: WorkerProcess;
  let u: DemoUsers;
  let policyId: string;

  before(async function () {
    app = await startTestApp({ label: 'reports' });
    u = await demoUsers(app);
    worker = await startWorker(app);
    const created = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: '某市关于支持本地商贸企业发展的若干措施', kind: 'normative_document', issuingLevel: 'department', industries: ['商贸流通'] });
    policyId = created.body.id;
    const docx = await makeDocx(DRAFT_V1.split('\n').map((paragraph) => ({ paragraph })));
    expect((await upload(app.baseUrl, u.drafter.token, policyId, docx, '商贸措施.docx')).status).to.equal(202);
    expect((await waitForVersion(u.drafter.api, policyId, 1)).status).to.equal('analysed');
  });
  after(async function () {
    await worker?.stop();
    await app?.close();
  });

  async function waitForReport(id: string, timeoutMs = 20_000): Promise<ReportBody> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await u.drafter.api.get<ReportBody>(`/api/v1/reports/${id}`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      if (res.body.status === 'ready' || res.body.status === 'failed' || Date.now() > deadline) return res.body;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function download(id: string) {
    const res = await fetch(`${app.baseUrl}/api/v1/reports/${id}/file`, { headers: { authorization: `Bearer ${u.drafter.token}` } });
    const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
    const part = async (name: string) => (await zip.file(name)?.async('string')) ?? '';
    return { res, documentXml: await part('word/document.xml'), commentsXml: await part('word/comments.xml') };
  }

  /** Word splits text into runs; joining the w:t contents gives the text a reader sees. */
  const visibleText = (xml: string) => [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');

  it('renders the annotated draft with a Word comment on each flagged clause and serves it with a Chinese file name', async function () {
    const requested = await u.drafter.api.post<ReportBody>('/api/v1/reports', { kind: 'annotated_draft', policyId });
    expect(requested.status, JSON.stringify(requested.body)).to.equal(202);
    expect(requested.body).to.include({ kind: 'annotated_draft' });
    const ready = await waitForReport(requested.body.id);
    expect(ready.status, `${ready.error ?? ''}\n${worker.output().slice(-3000)}`).to.equal('ready');

    const findings = await u.drafter.api.get<Array<{ itemId: string; text: string }>>(`/api/v1/policies/${policyId}/findings`);
    const flagged = (Array.isArray(findings.body) ? findings.body : (findings.body as unknown as { items: Array<{ itemId: string; text: string }> }).items);
    expect(flagged.length, 'the draft has flagged clauses').to.be.above(0);

    const { res, documentXml, commentsXml } = await download(requested.body.id);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const disposition = res.headers.get('content-disposition') ?? '';
    expect(disposition).to.match(/^attachment; filename="[ -~]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).to.equal('审查批注稿-某市关于支持本地商贸企业发展的若干措施.docx');
    expect(visibleText(documentXml)).to.include('政府采购项目应当优先采购本地企业生产的产品');
    for (const finding of flagged) expect(visibleText(commentsXml)).to.include(finding.itemId);
  });

  it('renders the same (kind, policy, revision) once, and a new revision anew', async function () {
    const first = await u.drafter.api.post<ReportBody>('/api/v1/reports', { kind: 'review_form', policyId });
    const ready = await waitForReport(first.body.id);
    expect(ready.status, `${ready.error ?? ''}\n${worker.output().slice(-3000)}`).to.equal('ready');
    const again = await u.drafter.api.post<ReportBody>('/api/v1/reports', { kind: 'review_form', policyId });
    expect(again.body.id).to.equal(first.body.id);
    expect(again.body.status).to.equal('ready');
    expect(await app.deps.models.Report.countDocuments({ kind: 'review_form' })).to.equal(1);

    const { documentXml } = await download(first.body.id);
    const text = visibleText(documentXml);
    expect(text).to.include('公平竞争审查表').and.include('某市关于支持本地商贸企业发展的若干措施');
    for (const item of loadChecklists().items) expect(text, item.id).to.include(item.title);

    const policy = await u.drafter.api.get<PolicyBody>(`/api/v1/policies/${policyId}`);
    const started = await u.drafter.api.post<PolicyBody>(`/api/v1/policies/${policyId}/transitions`, { action: 'start_review', rev: policy.body.rev });
    expect(started.status, JSON.stringify(started.body)).to.equal(200);
    const renewed = await u.drafter.api.post<ReportBody>('/api/v1/reports', { kind: 'review_form', policyId });
    expect(renewed.body.id).not.to.equal(first.body.id);
    expect(renewed.body.revision).to.equal(String(started.body.rev));
  });

  it('renders a report left queued whose job already ended without rendering it, when it is asked for again', async function () {
    const policy = await u.drafter.api.get<PolicyBody>(`/api/v1/policies/${policyId}`);
    const drafter = await app.deps.models.User.findOne({ username: 'drafter' }).lean();
    const stranded = await app.deps.models.Report.create({ kind: 'annotated_draft', subjectKey: `policy:${policyId}`, policyId, revision: String(policy.body.rev), requestedBy: drafter!._id, status: 'queued' });
    // Its job id is taken by a job that has ended (here: one that found nothing to render), so adding the same id
    // again would be a no-op and the report would wait forever.
    const ended = await app.deps.queues.reports.add('render', { reportId: '0123456789abcdef01234567' }, { jobId: `report-${String(stranded._id)}-1` });
    for (let i = 0; i < 100 && !(await ended.isCompleted()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await ended.isCompleted()).to.equal(true);
    const again = await u.drafter.api.post<ReportBody>('/api/v1/reports', { kind: 'annotated_draft', policyId });
    expect(again.body.id).to.equal(String(stranded._id));
    const ready = await waitForReport(again.body.id);
    expect(ready.status, `${ready.error ?? ''}\n${worker.output().slice(-2000)}`).to.equal('ready');
    expect((await app.deps.models.Report.findById(stranded._id).lean())?.attempt).to.equal(2);
  });

  it('refuses what cannot be rendered (422), unknown ids (404), and readers outside the policy (404), storing nothing', async function () {
    const before = await app.deps.models.Report.countDocuments();
    const noJointReview = await u.drafter.api.post('/api/v1/reports', { kind: 'joint_review_opinion', policyId });
    expect(noJointReview.status).to.equal(422);
    expect(noJointReview.body).to.include({ code: 'no_joint_review' });
    const otherDepartment = await u.drafter2.api.post('/api/v1/reports', { kind: 'review_form', policyId });
    expect(otherDepartment.status).to.equal(404);
    const unknownPolicy = await u.drafter.api.post('/api/v1/reports', { kind: 'review_form', policyId: '0123456789abcdef01234567' });
    expect(unknownPolicy.status).to.equal(404);
    const badKind = await u.drafter.api.post('/api/v1/reports', { kind: 'memo', policyId });
    expect(badKind.status).to.equal(400);
    const anonymous = await fetch(`${app.baseUrl}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'review_form', policyId }) });
    expect(anonymous.status).to.equal(401);
    expect(await app.deps.models.Report.countDocuments()).to.equal(before);

    const existing = await app.deps.models.Report.findOne().lean();
    expect((await u.drafter2.api.get(`/api/v1/reports/${String(existing!._id)}`)).status).to.equal(404);
    expect((await u.drafter2.api.get(`/api/v1/reports/${String(existing!._id)}/file`)).status).to.equal(404);
    expect((await u.drafter.api.get('/api/v1/reports/0123456789abcdef01234567')).status).to.equal(404);
  });
});
