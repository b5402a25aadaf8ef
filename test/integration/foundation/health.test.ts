/**
 * /health against services this suite owns: stopping the store or Redis turns it to 503 naming the part,
 * and the server recovers by itself when the service returns on the same address.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { provisionRedis, type ProvisionedRedis } from '../../../scripts/services/redis';
import { provisionStore, type ProvisionedStore } from '../../../scripts/services/store';
import { startTestApp, type TestApp } from '../../support/testApp';

const noExternal = { ...process.env, MONGODB_URI: '', REDIS_URL: '' };

describe('GET /health with the store and Redis going away and coming back', function () {
  this.timeout(90_000);
  let dir: string;
  let store: ProvisionedStore;
  let redis: ProvisionedRedis;
  let app: TestApp;

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairreview-health-'));
    store = await provisionStore({ dataDir: path.join(dir, 'store'), env: noExternal, logFile: path.join(dir, 'store.log') });
    redis = await provisionRedis({ dataDir: path.join(dir, 'redis'), persist: false, env: noExternal, logFile: path.join(dir, 'redis.log') });
    app = await startTestApp({ label: 'health', storeUri: store.uri, redisUrl: redis.url });
  });

  after(async function () {
    await app?.close();
    await Promise.allSettled([store?.stop(), redis?.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const health = async () => {
    const res = await fetch(`${app.baseUrl}/health`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  async function eventually(expected: number, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    let last = await health();
    while (last.status !== expected && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      last = await health();
    }
    return last;
  }

  it('answers 200 with store ok, redis ok and the version when both are reachable', async function () {
    const { status, body } = await health();
    expect(status).to.equal(200);
    expect(body).to.include({ store: 'ok', redis: 'ok', version: 'test' });
  });

  it('answers 503 naming redis while Redis is down, and recovers when it returns', async function () {
    await redis.stop();
    const down = await eventually(503);
    expect(down.status).to.equal(503);
    expect(down.body).to.include({ store: 'ok', redis: 'down' });
    expect(down.body.down).to.deep.equal(['redis']);

    redis = await provisionRedis({ dataDir: path.join(dir, 'redis'), persist: false, env: noExternal, port: redis.port, logFile: path.join(dir, 'redis.log') });
    const up = await eventually(200);
    expect(up.body).to.include({ store: 'ok', redis: 'ok' });
  });

  it('answers 503 naming the store while it is down, and recovers when it returns', async function () {
    await store.stop();
    const down = await eventually(503);
    expect(down.status).to.equal(503);
    expect(down.body).to.include({ store: 'down', redis: 'ok' });
    expect(down.body.down).to.deep.equal(['store']);

    store = await provisionStore({ dataDir: path.join(dir, 'store'), env: noExternal, port: store.port, logFile: path.join(dir, 'store.log') });
    const up = await eventually(200, 30_000);
    expect(up.body).to.include({ store: 'ok', redis: 'ok' });
  });
});
