/**
 * 存量政策清理 end to end on the real store, real Redis and real worker processes: a ZIP with nested folders,
 * duplicates and bad files; a worker killed mid-batch (SIGKILL); pause and resume; the XLSX list read back with
 * exceljs; the DOCX summary; confirm / dismiss and turning a confirmed document into a policy in recheck.
 */
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { requeueLostScreeningJobs } from '../../../server/services/screening/documentJobs';
import { CLAUSE_SHEET, DOCUMENT_SHEET } from '../../../templates/screening-list';
import { makeDocx, makePdf } from '../../fixtures/makeDocuments';
import { client, type JsonResponse } from '../../support/http';
import { startTestApp, type TestApp } from '../../support/testApp';
import { startWorker, type WorkerProcess } from '../../support/workerProcess';
import { demoUsers, expectProblem, type DemoUsers } from '../api/policyHelpers';

const RESTRICTIVE = [
  '关于支持本地商贸企业发展的若干措施',
  '第一条\u3000为促进本市商贸流通业发展，制定本措施。',
  '第二条\u3000政府采购项目应当优先采购本地企业生产的产品。',
  '第三条\u3000对本地纳税百强企业给予土地出让金返还。',
  '第四条\u3000外地企业参与本市工程建设项目投标的，须在本市设立分支机构。',
  '第五条\u3000本措施自发布之日起施行。',
];
const CLEAN = [
  '关于进一步优化政务服务的通知',
  '第一条\u3000推进政务服务“一网通办”，企业开办全程网上办理。',
  '第二条\u3000加强知识产权保护，依法打击侵权违法行为。',
  '第三条\u3000本通知自发布之日起施行。',
];

interface BatchBody {
  id: string;
  state: string;
  rev: number;
  ingest: { status: string; files: number };
  progress: { documents: number; files: number; queued: number; screened: number; failed: number; done: number; duplicates: number; ratePerHour: number | null; secondsLeft: number | null };
  allowedActions: Array<{ action: string; allowed: boolean }>;
}
interface DocumentBody {
  id: string;
  paths: string[];
  filename: string;
  department: string;
  status: string;
  screenings: number;
  errorCode: string | null;
  error: string | null;
  disposition: string;
  dispositionLabel: string;
  dispositionReason: string;
  clauseCount: number;
  clauses: Array<{ itemId: string; text: string; score: number }>;
  risk: number;
  review: { status: string };
  allowedActions: Array<{ action: string; allowed: boolean }>;
  recheckPolicyId: string | null;
}

/**
 * A worker that takes its time over each document (2 at a time), so that a test acts — kills it, pauses the batch,
 * loses a job — while most of a batch still waits, however late a poll on a busy machine sees the first results:
 * 10 documents take 7.5 s. The tests wait for those first results by polling, never for a fixed time.
 */
const SLOW_SCREENING = { TEST_ANALYSIS_DELAY_MS: '1500' };

async function zipOf(files: Record<string, Buffer | string>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(files)) zip.file(name, content);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** `count` distinct small text policies, half of them restrictive, in one folder per department. */
function manyPolicies(count: number, label: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const lines = i % 2 === 0 ? RESTRICTIVE : CLEAN;
    files[`${i % 3 === 0 ? '市商务局' : '市住房和城乡建设局'}/${label}-${i}.txt`] = [...lines, `第六条\u3000本文件编号 ${label}-${i}。`].join('\n');
  }
  return files;
}

describe('screening batches (存量政策清理; real store, Redis and workers)', function () {
  this.timeout(120_000);
  let app: TestApp;
  let u: DemoUsers;
  let running: WorkerProcess[] = [];

  before(async function () {
    app = await startTestApp({ label: 'screening' });
    u = await demoUsers(app);
  });
  afterEach(async function () {
    await Promise.all(running.map((w) => w.kill()));
    running = [];
  });
  after(async function () {
    await app?.close();
  });

  async function worker(env: Record<string, string> = {}): Promise<WorkerProcess> {
    const started = await startWorker(app, env);
    running.push(started);
    return started;
  }

  async function startBatch(token: string, zip: Buffer, filename = '存量文件.zip', name?: string): Promise<JsonResponse<BatchBody>> {
    const form = new FormData();
    if (name) form.append('name', name);
    form.append('file', new Blob([new Uint8Array(zip)], { type: 'application/zip' }), filename);
    const res = await fetch(`${app.baseUrl}/api/v1/screening-batches`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as BatchBody, headers: res.headers };
  }

  /** Polls the batch until `done` says so; generous deadline (the machine is shared). */
  async function waitFor(batchId: string, done: (b: BatchBody) => boolean, timeoutMs = 90_000): Promise<BatchBody> {
    const deadline = Date.now() + timeoutMs;
    let last: BatchBody | undefined;
    while (Date.now() < deadline) {
      const res = await u.regulator.api.get<BatchBody>(`/api/v1/screening-batches/${batchId}`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      last = res.body;
      if (done(last)) return last;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const logs = running.map((w) => w.output().slice(-4000)).join('\n---\n');
    const jobs = await app.deps.queues.screening.getJobCounts();
    throw new Error(`batch ${batchId} did not get there in time: state ${last?.state}, progress ${JSON.stringify(last?.progress)}, ingest ${JSON.stringify(last?.ingest)}, jobs ${JSON.stringify(jobs)}\nworker output:\n${logs}`);
  }

  async function allDocuments(batchId: string): Promise<DocumentBody[]> {
    const res = await u.regulator.api.get<{ items: DocumentBody[]; total: number }>(`/api/v1/screening-batches/${batchId}/documents?pageSize=100`);
    expect(res.status).to.equal(200);
    return res.body.items;
  }

  /** Every document's stored record, straight from the store (screenings counts recorded outcomes). */
  async function storedDocuments(batchId: string) {
    return app.deps.models.ScreeningDocument.find({ batchId }).lean();
  }

  it('screens a ZIP with nested folders, duplicates and bad files: each content once, every path kept, bad files with their reason', async function () {
    const restrictiveDocx = await makeDocx(RESTRICTIVE.map((line) => ({ paragraph: line })));
    const zip = await zipOf({
      '存量文件/市商务局/2019/关于支持本地商贸企业发展的若干措施.docx': restrictiveDocx,
      '存量文件/市住房和城乡建设局/副本/措施（复制）.docx': restrictiveDocx,
      '存量文件/市住房和城乡建设局/关于优化政务服务的通知.txt': CLEAN.join('\n'),
      '存量文件/市商务局/扫描件.pdf': makePdf(RESTRICTIVE),
      '存量文件/市商务局/损坏的文件.docx': Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)]),
      '存量文件/市商务局/照片.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]),
      '__MACOSX/存量文件/._x.docx': 'resource fork',
    });
    const started = await startBatch(u.regulator.token, zip, '存量文件.zip', '2025年度存量清理');
    expect(started.status, JSON.stringify(started.body)).to.equal(202);
    expect(started.body.state).to.equal('running');
    await worker();
    const done = await waitFor(started.body.id, (b) => b.state === 'completed');

    expect(done.ingest).to.include({ status: 'done', files: 6 });
    expect(done.progress).to.include({ files: 6, documents: 5, duplicates: 1, queued: 0, screened: 3, failed: 2, done: 5 });

    const docs = await allDocuments(started.body.id);
    expect(docs).to.have.length(5);
    const duplicate = docs.find((d) => d.paths.length === 2)!;
    expect(duplicate.paths).to.have.members([
      '存量文件/市商务局/2019/关于支持本地商贸企业发展的若干措施.docx',
      '存量文件/市住房和城乡建设局/副本/措施（复制）.docx',
    ]);
    expect(duplicate.department).to.equal('市商务局');
    expect(duplicate.status).to.equal('screened');
    expect(duplicate.clauseCount).to.be.greaterThan(0);
    expect(['abolish', 'revise']).to.include(duplicate.disposition);

    const clean = docs.find((d) => d.filename === '关于优化政务服务的通知.txt')!;
    expect(clean).to.include({ status: 'screened', disposition: 'keep', clauseCount: 0, department: '市住房和城乡建设局' });

    const corrupt = docs.find((d) => d.filename === '损坏的文件.docx')!;
    expect(corrupt).to.include({ status: 'failed', disposition: 'manual' });
    expect(corrupt.error).to.match(/[\u4e00-\u9fff]/);
    const image = docs.find((d) => d.filename === '照片.png')!;
    expect(image).to.include({ status: 'failed', errorCode: 'unsupported_file_type' });

    // ranked by risk: every document's risk is at least the next one's, and the flagged one leads the clean one
    for (let i = 1; i < docs.length; i++) expect(docs[i - 1]!.risk).to.be.at.least(docs[i]!.risk);
    expect(docs.indexOf(duplicate)).to.be.lessThan(docs.indexOf(clean));

    // every content was screened exactly once
    for (const stored of await storedDocuments(started.body.id)) expect(stored.screenings, stored.filename).to.equal(1);

    // the clean-up list: two sheets with filters, every document and every path listed
    const xlsx = await fetch(`${app.baseUrl}/api/v1/screening-batches/${started.body.id}/list.xlsx`, { headers: { authorization: `Bearer ${u.regulator.token}` } });
    expect(xlsx.status).to.equal(200);
    expect(xlsx.headers.get('content-type')).to.contain('spreadsheetml');
    expect(decodeURIComponent(xlsx.headers.get('content-disposition') ?? '')).to.contain('清理清单-2025年度存量清理.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const documentsSheet = workbook.getWorksheet(DOCUMENT_SHEET)!;
    const clausesSheet = workbook.getWorksheet(CLAUSE_SHEET)!;
    expect(documentsSheet.rowCount).to.equal(1 + 5);
    expect(documentsSheet.autoFilter).to.be.a('string').and.match(/^A1:/);
    expect(clausesSheet.autoFilter).to.be.a('string').and.match(/^A1:/);
    const header = (documentsSheet.getRow(1).values as unknown[]).slice(1);
    const pathColumn = header.indexOf('文件路径') + 1;
    const duplicatesColumn = header.indexOf('重复文件') + 1;
    const listed = new Set<string>();
    for (let r = 2; r <= documentsSheet.rowCount; r++) {
      listed.add(String(documentsSheet.getRow(r).getCell(pathColumn).value));
      const dup = documentsSheet.getRow(r).getCell(duplicatesColumn).value;
      if (dup) for (const p of String(dup).split('；')) listed.add(p);
    }
    expect([...listed]).to.have.members(docs.flatMap((d) => d.paths));
    expect(clausesSheet.rowCount - 1).to.equal(docs.reduce((n, d) => n + d.clauseCount, 0));

    // the summary report
    const summary = await fetch(`${app.baseUrl}/api/v1/screening-batches/${started.body.id}/summary.docx`, { headers: { authorization: `Bearer ${u.regulator.token}` } });
    expect(summary.status).to.equal(200);
    const text = await (await JSZip.loadAsync(await summary.arrayBuffer())).file('word/document.xml')!.async('string');
    expect(text).to.contain('存量政策措施清理情况报告').and.contain('市商务局').and.contain('市住房和城乡建设局');
  });

  it('a worker killed mid-batch (SIGKILL): the next one finishes, and every file is screened exactly once', async function () {
    const files = manyPolicies(14, 'kill');
    const started = await startBatch(u.admin.token, await zipOf(files));
    expect(started.status).to.equal(202);
    const victim = await worker({ ...SLOW_SCREENING, WORKER_LOCK_DURATION_MS: '3000' });
    await waitFor(started.body.id, (b) => b.progress.screened >= 2);
    await victim.kill();
    const midway = await waitFor(started.body.id, () => true);
    expect(midway.state).to.equal('running');
    expect(midway.progress.queued).to.be.greaterThan(0);

    // The victim's locks lapse after 1 s; the successor holds its own for longer, so that on a busy machine a slow
    // document does not make it look dead too (a second stall would fail the job for good).
    await worker({ WORKER_LOCK_DURATION_MS: '10000' });
    const done = await waitFor(started.body.id, (b) => b.state === 'completed');
    expect(done.progress).to.include({ documents: 14, screened: 14, failed: 0, queued: 0 });
    const stored = await storedDocuments(started.body.id);
    expect(stored).to.have.length(14);
    for (const doc of stored) expect(doc.screenings, doc.filename).to.equal(1);
  });

  it('jobs Redis lost while the queue is idle: the outbox sweep queues the documents again, once', async function () {
    const started = await startBatch(u.admin.token, await zipOf(manyPolicies(10, 'swept')));
    const victim = await worker({ ...SLOW_SCREENING, WORKER_LOCK_DURATION_MS: '3000' });
    await waitFor(started.body.id, (b) => b.ingest.status === 'done' && b.progress.screened >= 1);
    await victim.kill();
    // Redis loses the screening queue: waiting jobs and the dead worker's active ones are gone
    await app.deps.queues.screening.obliterate({ force: true });
    const lost = (await storedDocuments(started.body.id)).filter((doc) => doc.status === 'queued').length;
    expect(lost).to.be.greaterThan(0);

    expect(await requeueLostScreeningJobs(app.deps)).to.equal(lost);
    expect(await app.deps.queues.screening.getJobCounts('waiting')).to.deep.equal({ waiting: lost });
    // the queue is no longer idle: a second sweep (another worker's) queues nothing
    expect(await requeueLostScreeningJobs(app.deps)).to.equal(0);

    await worker();
    const done = await waitFor(started.body.id, (b) => b.state === 'completed');
    expect(done.progress).to.include({ documents: 10, screened: 10, failed: 0, queued: 0 });
    for (const doc of await storedDocuments(started.body.id)) expect(doc.screenings, doc.filename).to.equal(1);
  });

  it('a job Redis lost: the batch still completes, the document queued again under a new job id', async function () {
    const started = await startBatch(u.admin.token, await zipOf(manyPolicies(8, 'lost')));
    await worker(SLOW_SCREENING);
    await waitFor(started.body.id, (b) => b.ingest.status === 'done' && b.progress.screened >= 1);
    // remove the job of one document still waiting, as if Redis had lost it
    let removed = '';
    for (const doc of await storedDocuments(started.body.id)) {
      const job = await app.deps.queues.screening.getJob(`screen-${String(doc._id)}-1`);
      if (doc.status === 'queued' && job && (await job.isWaiting())) {
        await job.remove();
        removed = String(doc._id);
        break;
      }
    }
    expect(removed, 'a waiting job to remove').to.not.equal('');
    const done = await waitFor(started.body.id, (b) => b.state === 'completed');
    expect(done.progress).to.include({ documents: 8, screened: 8, queued: 0 });
    for (const doc of await storedDocuments(started.body.id)) expect(doc.screenings).to.equal(1);
  });

  it('pause leaves the rest queued until resume; cancel stops a batch and keeps what was screened', async function () {
    const started = await startBatch(u.regulator.token, await zipOf(manyPolicies(12, 'pause')));
    await worker(SLOW_SCREENING);
    const first = await waitFor(started.body.id, (b) => b.progress.screened >= 1 && b.ingest.status === 'done');
    expect(first.allowedActions.map((a) => a.action)).to.have.members(['pause', 'cancel']);

    const stale = await u.regulator.api.post(`/api/v1/screening-batches/${started.body.id}/commands`, { action: 'pause', rev: first.rev + 5 });
    expectProblem(stale, 409, 'stale_rev');
    const paused = await u.regulator.api.post<BatchBody>(`/api/v1/screening-batches/${started.body.id}/commands`, { action: 'pause', rev: first.rev });
    expect(paused.status, JSON.stringify(paused.body)).to.equal(200);
    expect(paused.body.state).to.equal('paused');
    expect(paused.body.allowedActions.map((a) => a.action)).to.have.members(['resume', 'cancel']);
    expectProblem(await u.regulator.api.post(`/api/v1/screening-batches/${started.body.id}/commands`, { action: 'pause', rev: paused.body.rev }), 409, 'wrong_state');

    // the worker drains its queue (jobs of a paused batch leave their document queued) …
    const deadline = Date.now() + 60_000;
    for (;;) {
      const counts = await app.deps.queues.screening.getJobCounts('waiting', 'active', 'delayed');
      if ((counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) === 0) break;
      if (Date.now() > deadline) throw new Error(`queue not drained: ${JSON.stringify(counts)}`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    // … and what was left stays queued
    const held = await waitFor(started.body.id, () => true);
    expect(held.state).to.equal('paused');
    expect(held.progress.queued).to.be.greaterThan(0);
    expect(held.progress.screened + held.progress.queued).to.equal(12);

    const resumed = await u.regulator.api.post<BatchBody>(`/api/v1/screening-batches/${started.body.id}/commands`, { action: 'resume', rev: held.rev });
    expect(resumed.body.state).to.equal('running');
    const done = await waitFor(started.body.id, (b) => b.state === 'completed');
    expect(done.progress).to.include({ screened: 12, queued: 0 });
    for (const doc of await storedDocuments(started.body.id)) expect(doc.screenings).to.equal(1);
    expectProblem(await u.regulator.api.post(`/api/v1/screening-batches/${started.body.id}/commands`, { action: 'cancel', rev: done.rev }), 409, 'wrong_state');

    // cancel: what is still queued is marked so, what was screened stays
    const second = await startBatch(u.regulator.token, await zipOf(manyPolicies(10, 'cancel')));
    const some = await waitFor(second.body.id, (b) => b.progress.screened >= 1 && b.ingest.status === 'done');
    const cancelled = await u.admin.api.post<BatchBody>(`/api/v1/screening-batches/${second.body.id}/commands`, { action: 'cancel', rev: some.rev, comment: '范围有误' });
    expect(cancelled.body.state).to.equal('cancelled');
    const after = await waitFor(second.body.id, (b) => b.progress.queued === 0);
    expect(after.progress.screened).to.be.greaterThan(0);
    expect(after.progress.screened + after.progress.failed).to.be.lessThan(10);
  });

  it('confirm / dismiss, and a confirmed document becomes a policy in recheck with its findings, once', async function () {
    const started = await startBatch(u.regulator.token, await zipOf({
      '市商务局/关于支持本地商贸企业发展的若干措施.txt': RESTRICTIVE.join('\n'),
      '市商务局/另一份措施.txt': [...RESTRICTIVE, '第六条\u3000另一份。'].join('\n'),
      '市商务局/通知.txt': CLEAN.join('\n'),
    }));
    await worker();
    await waitFor(started.body.id, (b) => b.state === 'completed');
    const docs = await allDocuments(started.body.id);
    const [flagged, other] = docs.filter((d) => d.clauseCount > 0);
    const clean = docs.find((d) => d.clauseCount === 0)!;
    const base = `/api/v1/screening-batches/${started.body.id}/documents`;
    expect(flagged!.allowedActions).to.deep.include.members([{ action: 'confirm', allowed: true }, { action: 'dismiss', allowed: true }]);

    expectProblem(await u.admin.api.post(`${base}/${flagged!.id}/review`, { decision: 'confirm' }), 403);
    expectProblem(await u.regulator.api.post(`${base}/${clean.id}/review`, { decision: 'confirm' }), 409, 'nothing_flagged');
    expectProblem(await u.regulator.api.post(`${base}/${other!.id}/review`, { decision: 'dismiss' }), 422);
    const dismissed = await u.regulator.api.post<DocumentBody>(`${base}/${other!.id}/review`, { decision: 'dismiss', reason: '已于2024年废止' });
    expect(dismissed.body.review.status).to.equal('dismissed');
    expectProblem(await u.regulator.api.post(`${base}/${other!.id}/recheck-policy`, {}), 409, 'not_confirmed');

    const confirmed = await u.regulator.api.post<DocumentBody>(`${base}/${flagged!.id}/review`, { decision: 'confirm' });
    expect(confirmed.body.review.status).to.equal('confirmed');
    expect(confirmed.body.allowedActions).to.deep.include({ action: 'create_recheck_policy', allowed: true });

    const created = await u.regulator.api.post<{ id: string; state: string; recheck: { source: string; refId: string }; draftingDepartmentName: string; versions: Array<{ analysis: { status: string } }> }>(`${base}/${flagged!.id}/recheck-policy`, {});
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body.state).to.equal('recheck');
    expect(created.body.recheck).to.include({ source: 'stock_screening', refId: flagged!.id });
    expect(created.body.draftingDepartmentName).to.equal('市商务局');
    expect(created.body.versions[0]!.analysis.status).to.equal('analysed');
    const findings = await u.regulator.api.get<Array<{ itemId: string }> | { items: Array<{ itemId: string }> }>(`/api/v1/policies/${created.body.id}/versions/1/findings`);
    expect(findings.status).to.equal(200);
    const list = Array.isArray(findings.body) ? findings.body : findings.body.items;
    expect(list).to.have.length(flagged!.clauseCount);
    const history = await u.regulator.api.get<{ ok: boolean }>(`/api/v1/policies/${created.body.id}/history/verify`);
    expect(history.body.ok).to.equal(true);

    // again (a retry, a double click): the same policy, nothing new
    const again = await u.regulator.api.post<{ id: string }>(`${base}/${flagged!.id}/recheck-policy`, {});
    expect(again.status).to.equal(200);
    expect(again.body.id).to.equal(created.body.id);
    expect(await app.deps.models.Policy.countDocuments({ 'recheck.refId': flagged!.id })).to.equal(1);
    expectProblem(await u.regulator.api.post(`${base}/${flagged!.id}/review`, { decision: 'dismiss', reason: '改主意' }), 409, 'recheck_policy_created');
  });

  it('refuses what it must: non-ZIP 415, drafters 403, unknown batch 404, anonymous 401', async function () {
    expectProblem(await startBatch(u.regulator.token, Buffer.from('这不是压缩包'), '清单.txt') as unknown as JsonResponse, 415, 'not_a_zip');
    expectProblem(await startBatch(u.drafter.token, await zipOf({ 'a.txt': CLEAN.join('\n') })) as unknown as JsonResponse, 403);
    expectProblem(await u.drafter.api.get('/api/v1/screening-batches'), 403);
    expectProblem(await u.regulator.api.get('/api/v1/screening-batches/ffffffffffffffffffffffff'), 404);
    expectProblem(await u.regulator.api.post('/api/v1/screening-batches/ffffffffffffffffffffffff/commands', { action: 'fly', rev: 0 }), 400);
    expectProblem(await client(app.baseUrl).get('/api/v1/screening-batches'), 401);
    // what the signed-in user may start, for navigation
    const me = async (api: typeof u.admin.api) => (await api.get<{ allowedActions: Array<{ action: string }> }>('/api/v1/auth/me')).body.allowedActions.map((a) => a.action);
    expect(await me(u.admin.api)).to.include('start_screening_batch');
    expect(await me(u.drafter.api)).to.not.include('start_screening_batch');
    // a refused upload leaves nothing behind
    expect(await app.deps.store.db!.collection('screeningUploads.files').countDocuments({ filename: '清单.txt' })).to.equal(0);
  });
});
