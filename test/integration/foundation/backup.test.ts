/**
 * `fairreview backup DIR` / `restore DIR` on the real store, run as the real CLI: a backup taken while policies are
 * being registered restores into a fresh database with every policy of the manifest, hash chains that verify,
 * the findings and their decisions, and the uploaded files byte for byte; restore refuses a database with data.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Manifest } from '../../../server/db/backup';
import { client } from '../../support/http';
import { isolatedStoreUri } from '../../support/services';
import { startTestApp, type TestApp } from '../../support/testApp';
import { PATIENT_MS } from '../../support/waitFor';
import { startWorker, type WorkerProcess } from '../../support/workerProcess';
import { DRAFT_V1, demoUsers, upload, waitForVersion, type DemoUsers, type PolicyBody } from '../api/policyHelpers';

const cli = path.resolve('bin/fairreview.js');

function fairreview(args: string[], storeUri: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, MONGODB_URI: storeUri }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('backup and restore of the store (real store, real CLI)', function () {
  this.timeout(5 * PATIENT_MS);
  let source: TestApp;
  let restored: TestApp | undefined;
  let worker: WorkerProcess;
  let u: DemoUsers;
  const tmp = fs.mkdtempSync(path.join(process.env.FAIRREVIEW_TEST_TMP ?? os.tmpdir(), 'backup-'));
  const backupDir = path.join(tmp, 'backup');
  const draft = Buffer.from(DRAFT_V1, 'utf8');
  let analysedId = '';
  let findingId = '';

  before(async function () {
    source = await startTestApp({ label: 'backup' });
    u = await demoUsers(source);
    worker = await startWorker(source);
    const created = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: '备份前已分析的政策措施', kind: 'normative_document', issuingLevel: 'department' });
    analysedId = created.body.id;
    expect((await upload(source.baseUrl, u.drafter.token, analysedId, draft, '措施.txt')).status).to.equal(202);
    expect((await waitForVersion(u.drafter.api, analysedId, 1)).status).to.equal('analysed');
    const findings = await u.drafter.api.get<{ items: Array<{ id: string }> }>(`/api/v1/policies/${analysedId}/versions/1/findings`);
    findingId = findings.body.items[0]!.id;
    const decided = await u.drafter.api.patch(`/api/v1/policies/${analysedId}/findings/${findingId}`, { status: 'confirmed', reason: '确实对外地企业构成歧视' });
    expect(decided.status, JSON.stringify(decided.body)).to.equal(200);
    const started = await u.drafter.api.post<PolicyBody>(`/api/v1/policies/${analysedId}/transitions`, { action: 'start_review', rev: (await u.drafter.api.get<PolicyBody>(`/api/v1/policies/${analysedId}`)).body.rev });
    expect(started.status, JSON.stringify(started.body)).to.equal(200);
  });
  after(async function () {
    await worker?.kill();
    await Promise.all([source?.close(), restored?.close()]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('backs up while policies are being registered, and restores into a fresh database', async function () {
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        const res = await u.drafter.api.post('/api/v1/policies', { title: `备份期间登记的政策措施${written}`, kind: 'normative_document', issuingLevel: 'department' });
        expect(res.status).to.equal(201);
        written++;
      }
    })();
    const backup = await fairreview(['backup', backupDir], source.storeUri);
    writing = false;
    await writer;
    expect(backup.code, backup.output).to.equal(0);
    expect(written, 'policies were registered while the backup ran').to.be.greaterThan(0);

    const manifest = JSON.parse(fs.readFileSync(path.join(backupDir, 'manifest.json'), 'utf8')) as Manifest;
    const count = (name: string) => manifest.collections.find((c) => c.name === name)?.count ?? 0;
    expect(count('policies')).to.be.at.least(1);
    expect(count('findings')).to.be.at.least(1);
    expect(count('policyVersions.files')).to.equal(1);

    const target = isolatedStoreUri('restored');
    const restore = await fairreview(['restore', backupDir], target);
    expect(restore.code, restore.output).to.equal(0);

    restored = await startTestApp({ label: 'restored', storeUri: target });
    const admin = client(restored.baseUrl, (await client(restored.baseUrl).post<{ token: string }>('/api/v1/auth/login', { username: 'admin', password: 'demo1234' })).body.token);
    const list = await admin.get<{ items: Array<{ id: string }>; total: number }>('/api/v1/policies?pageSize=100');
    expect(list.body.total).to.equal(count('policies'));
    for (const { id } of list.body.items) {
      const verified = await admin.get<{ ok: boolean }>(`/api/v1/policies/${id}/history/verify`);
      expect(verified.body, `history of ${id}`).to.include({ ok: true });
    }
    const policy = await admin.get<PolicyBody>(`/api/v1/policies/${analysedId}`);
    expect(policy.body.state).to.equal('self_review');
    const findings = await admin.get<{ items: Array<{ id: string; decision: { status: string } }> }>(`/api/v1/policies/${analysedId}/versions/1/findings`);
    expect(findings.body.items.find((f) => f.id === findingId)?.decision.status).to.equal('confirmed');
    const file = await fetch(`${restored.baseUrl}/api/v1/policies/${analysedId}/versions/1/file`, { headers: { authorization: `Bearer ${(await client(restored.baseUrl).post<{ token: string }>('/api/v1/auth/login', { username: 'drafter', password: 'demo1234' })).body.token}` } });
    expect(file.status).to.equal(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(draft), 'the uploaded file, byte for byte').to.equal(true);
  });

  it('refuses to restore into a database that holds data unless --force, and refuses a damaged backup', async function () {
    const refused = await fairreview(['restore', backupDir], source.storeUri);
    expect(refused.code).to.equal(1);
    expect(refused.output).to.match(/目标数据库不为空.*--force/);

    const damaged = path.join(tmp, 'damaged');
    fs.cpSync(backupDir, damaged, { recursive: true });
    fs.appendFileSync(path.join(damaged, 'policies.jsonl'), '{"_id":{"$oid":"000000000000000000000000"}}\n');
    const rejected = await fairreview(['restore', damaged], isolatedStoreUri('damaged'));
    expect(rejected.code).to.equal(1);
    expect(rejected.output).to.match(/policies\.jsonl 已损坏/);

    const again = await fairreview(['backup', backupDir], source.storeUri);
    expect(again.code, 'an existing backup is never overwritten').to.equal(1);

    const target = isolatedStoreUri('forced');
    expect((await fairreview(['restore', backupDir], target)).code).to.equal(0);
    const forced = await fairreview(['restore', backupDir, '--force'], target);
    expect(forced.code, forced.output).to.equal(0);
  });
});
