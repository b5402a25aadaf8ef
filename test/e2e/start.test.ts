/**
 * `npm start` as a user runs it: the launcher brings up store, Redis, API and worker on embedded defaults,
 * /health turns 200, and Ctrl-C stops every child it started: API and worker first (each exiting cleanly),
 * then Redis and the store. Ctrl-C is what a terminal does: SIGINT to the whole foreground process group.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { freePort } from '../../scripts/services/ports';
import { alive, descendants, stopLauncher } from '../support/processTree';

describe('npm start (the launcher)', function () {
  this.timeout(120_000);

  it('serves /health 200 with store and redis ok, seeds the demo accounts, and on Ctrl-C stops every child in order', async function () {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairreview-start-'));
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), FAIRREVIEW_DATA_DIR: dataDir, MONGODB_URI: '', REDIS_URL: '', LOG_LEVEL: 'warn' };
    delete env.NODE_ENV;
    // its own process group, as a shell gives a foreground job
    const launcher = spawn(process.execPath, ['scripts/start.mjs'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    launcher.stdout.on('data', (d) => { output += d; });
    launcher.stderr.on('data', (d) => { output += d; });
    let children: number[] = [];
    try {
      const deadline = Date.now() + 90_000;
      while (!output.includes('FairReview is running') && Date.now() < deadline && launcher.exitCode === null) {
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(output, output).to.include(`FairReview is running at http://127.0.0.1:${port}`);
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      expect(res.status, output).to.equal(200);
      expect(await res.json()).to.include({ store: 'ok', redis: 'ok' });
      expect(output).to.include('seeded demo departments and accounts');
      expect(fs.existsSync(path.join(dataDir, 'store'))).to.equal(true);

      const tree = descendants(launcher.pid!);
      children = tree.map((c) => c.pid);
      expect(children.length, 'store, redis, api and worker').to.be.at.least(4);
      // outside the launcher's group, so the terminal's SIGINT reaches only the launcher, which stops them in order
      // (tsx's esbuild service is the launcher's own helper, not a service it manages)
      const inLaunchersGroup = tree.filter((c) => c.pgid === launcher.pid && !c.command.includes('esbuild')).map((c) => c.pid);
      expect(inLaunchersGroup, 'children in the launcher\'s process group').to.deep.equal([]);
      const exited = new Promise((resolve) => launcher.once('exit', resolve));
      process.kill(-launcher.pid!, 'SIGINT');
      await exited;
      expect(launcher.exitCode, output).to.equal(0);
      const stopped = [...output.matchAll(/\[start\] stopped (\w+)/g)].map((m) => m[1]);
      expect(stopped, output).to.deep.equal(['api', 'worker', 'redis', 'store']);
      // An exited child may take a moment to be reaped; one still there after 5 s was left behind.
      const reapDeadline = Date.now() + 5000;
      while (children.some(alive) && Date.now() < reapDeadline) await new Promise((r) => setTimeout(r, 100));
      expect(children.filter(alive), `children still running after Ctrl-C; launcher output:\n${output}`).to.deep.equal([]);
    } finally {
      await stopLauncher(launcher, children);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
