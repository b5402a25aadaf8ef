/**
 * `npx fairreview batch import DIR` on the real store and Redis: the import process killed (SIGKILL) part-way and
 * run again on the same folder carries on the same batch; no file is added twice, duplicates stay listed together,
 * and a worker then screens every document exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { demoUsers } from '../api/policyHelpers';
import { startTestApp, type TestApp } from '../../support/testApp';
import { waitFor } from '../../support/waitFor';
import { startWorker, type WorkerProcess } from '../../support/workerProcess';

const CLI = fileURLToPath(new URL('../../../bin/fairreview.js', import.meta.url));
const FILES = 240;

describe('batch import of a server folder: interrupted and run again (real store and Redis)', function () {
  this.timeout(300_000);
  let app: TestApp;
  let dir: string;
  let worker: WorkerProcess | undefined;

  before(async function () {
    app = await startTestApp({ label: 'folder-import' });
    await demoUsers(app);
    dir = mkdtempSync(path.join(os.tmpdir(), 'fairreview-folder-import-'));
    for (let i = 0; i < FILES; i++) {
      const folder = path.join(dir, i % 2 ? '市商务局' : '市交通运输局', String(2018 + (i % 4)));
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, `文件${i}.txt`), `关于第${i}项工作的通知\n第一条\u3000推进政务服务“一网通办”。\n第二条\u3000本通知编号 ${i}。`);
    }
    // the same content under a second path: one document, both paths
    mkdirSync(path.join(dir, '副本'), { recursive: true });
    writeFileSync(path.join(dir, '副本', '文件7.txt'), `关于第7项工作的通知\n第一条\u3000推进政务服务“一网通办”。\n第二条\u3000本通知编号 7。`);
  });
  after(async function () {
    await worker?.kill();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function runImport(): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
    const child = spawn(process.execPath, [CLI, 'batch', 'import', dir, '--as', 'admin'], {
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', MONGODB_URI: app.storeUri, REDIS_URL: app.deps.config.REDIS_URL, QUEUE_PREFIX: app.queuePrefix },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => { output += c.toString(); });
    child.stderr!.on('data', (c: Buffer) => { output += c.toString(); });
    return { child, output: () => output, exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
  }

  it('killed part-way and run again on the same folder: the same batch carries on, every file once', async function () {
    const { ScreeningBatch, ScreeningDocument } = app.deps.models;
    const first = runImport();
    // kill it once some files are in (it stores them one by one)
    const batchId = await waitFor('the first import to store some files', async () => {
      const batch = await ScreeningBatch.findOne({ 'source.dir': dir }).lean();
      if (!batch) return undefined;
      return (await ScreeningDocument.countDocuments({ batchId: String(batch._id) })) >= 5 ? String(batch._id) : undefined;
    }, { describe: first.output });
    first.child.kill('SIGKILL');
    await first.exit;
    const interrupted = await ScreeningBatch.findById(batchId).lean();
    expect(interrupted?.ingest.status, 'the import was interrupted before the end').to.not.equal('done');
    const before = await ScreeningDocument.countDocuments({ batchId });
    expect(before).to.be.lessThan(FILES);

    const second = runImport();
    expect(await second.exit, second.output()).to.equal(0);
    expect(second.output()).to.contain(`批次 ${batchId}`).and.contain('续传');
    expect(await ScreeningBatch.countDocuments({ 'source.dir': dir }), 'no second batch').to.equal(1);
    const resumed = await ScreeningBatch.findById(batchId).lean();
    expect(resumed?.ingest).to.include({ status: 'done', files: FILES + 1 });

    const docs = await ScreeningDocument.find({ batchId }).lean();
    expect(docs).to.have.length(FILES);
    expect(docs.flatMap((d) => d.paths)).to.have.length(FILES + 1);
    expect(docs.find((d) => d.paths.length === 2)?.paths).to.have.members(['市商务局/2021/文件7.txt', '副本/文件7.txt']);

    worker = await startWorker(app);
    await waitFor('the batch to complete', async () => ((await ScreeningBatch.findById(batchId).lean())?.state === 'completed' ? true : undefined), { timeoutMs: 240_000, intervalMs: 250 });
    for (const doc of await ScreeningDocument.find({ batchId }).lean()) expect(doc, doc.filename).to.include({ status: 'screened', screenings: 1 });
    const outcomes = await Promise.all(docs.map((d) => app.deps.models.ScreeningOutcome.findById(String(d._id)).lean()));
    expect(outcomes.filter(Boolean), 'one recorded outcome per document').to.have.length(FILES);
  });
});
