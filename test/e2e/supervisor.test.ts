/**
 * `npm start` keeps the system running: a SIGKILLed worker, API or Redis is started again by the launcher (one
 * log line each), a job queued while the worker was dead is done by the restarted one, and a session survives the
 * API's restart (the demo token secret is kept in the data folder).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { freePort } from '../../scripts/services/ports';
import { client } from '../support/http';
import { descendants, stopLauncher } from '../support/processTree';
import { PATIENT_MS, waitFor } from '../support/waitFor';
import { DRAFT_V1, upload, waitForVersion, type PolicyBody } from '../integration/api/policyHelpers';

describe('npm start supervises its processes', function () {
  this.timeout(6 * PATIENT_MS);

  it('restarts a SIGKILLed worker, API and Redis with no lost job, and keeps sessions across the API restart', async function () {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairreview-supervisor-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), FAIRREVIEW_DATA_DIR: dataDir, MONGODB_URI: '', REDIS_URL: '', LOG_LEVEL: 'warn' };
    delete env.NODE_ENV;
    delete env.AUTH_SECRET;
    const launcher = spawn(process.execPath, ['scripts/start.mjs'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    launcher.stdout.on('data', (d) => { output += d; });
    launcher.stderr.on('data', (d) => { output += d; });
    let children: number[] = [];
    const child = (script: string) => {
      const found = descendants(launcher.pid!).find((c) => c.command.includes(script) && !c.command.includes('esbuild'));
      return found?.pid;
    };
    const logged = (what: string, text: string) => waitFor(what, async () => (output.includes(text) ? true : undefined), { intervalMs: 200, describe: () => output.slice(-2000) });
    const healthy = () => waitFor('/health 200', async () => ((await fetch(`${base}/health`).then((r) => r.status, () => 0)) === 200 ? true : undefined), { intervalMs: 250 });
    try {
      await logged('the launcher to come up', 'FairReview is running');
      children = descendants(launcher.pid!).map((c) => c.pid);
      const token = (await client(base).post<{ token: string }>('/api/v1/auth/login', { username: 'drafter', password: 'demo1234' })).body.token;
      const drafter = client(base, token);
      expect(fs.existsSync(path.join(dataDir, 'auth-secret')), 'the demo token secret is kept in the data folder').to.equal(true);

      // the worker dies; a document uploaded meanwhile waits in Redis and is analysed by the restarted worker
      const worker = child('workers/main.ts')!;
      process.kill(worker, 'SIGKILL');
      const created = await drafter.post<PolicyBody>('/api/v1/policies', { title: '某市关于支持本地商贸企业发展的若干措施', kind: 'normative_document', issuingLevel: 'department' });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const uploaded = await upload(base, token, created.body.id, Buffer.from(DRAFT_V1, 'utf8'), '措施.txt');
      expect(uploaded.status, JSON.stringify(uploaded.body)).to.equal(202);
      await logged('the worker restart', 'worker restarted');
      expect(output).to.match(/worker exited unexpectedly \(SIGKILL\); restarting in 1 s \(restart 1\)/);
      expect((await waitForVersion(drafter, created.body.id, 1)).status).to.equal('analysed');
      expect(child('workers/main.ts')).to.be.a('number').and.not.equal(worker);

      // the API dies; the session from before still works afterwards
      const api = child('server/main.ts')!;
      process.kill(api, 'SIGKILL');
      await logged('the API restart', 'api restarted');
      await healthy();
      const me = await drafter.get<{ user: { username: string } }>('/api/v1/auth/me');
      expect(me.status, 'the session survives the API restart').to.equal(200);
      expect(me.body.user.username).to.equal('drafter');

      // Redis dies and is started again on its port, with its data
      const redis = descendants(launcher.pid!).find((c) => c.command.includes('redis-server'))!.pid;
      process.kill(redis, 'SIGKILL');
      await logged('the Redis restart', 'redis restarted');
      await healthy();
      children = [...new Set([...children, ...descendants(launcher.pid!).map((c) => c.pid)])];

      const exited = new Promise((resolve) => launcher.once('exit', resolve));
      process.kill(-launcher.pid!, 'SIGINT');
      await exited;
      expect(launcher.exitCode, output).to.equal(0);
    } finally {
      await stopLauncher(launcher, children);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
