/** The request log carries no session token, cookie or Set-Cookie value. */
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { createApp } from '../../../server/app';
import { seedDemoData } from '../../../server/db/seed';
import { createLogger } from '../../../server/logger';
import { client } from '../../support/http';
import { startTestApp, type TestApp } from '../../support/testApp';

describe('request log', function () {
  let app: TestApp;
  before(async function () {
    app = await startTestApp({ label: 'reqlog' });
    await seedDemoData(app.deps.models, 'demo1234');
  });
  after(async function () {
    await app.close();
  });

  it('redacts the Authorization header, cookies and Set-Cookie', async function () {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done(); } });
    const server = createApp({ ...app.deps, logger: createLogger('info', 'test', sink) }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const login = await client(base).post<{ token: string }>('/api/v1/auth/login', { username: 'drafter', password: 'demo1234' });
      const token = login.body.token;
      expect((await client(base, token).get('/api/v1/auth/me')).status).to.equal(200);
      expect((await client(base).get('/api/v1/auth/me', { cookie: `fr_session=${token}` })).status).to.equal(200);
      const log = lines.join('');
      expect(log).to.include('"authorization":"[redacted]"').and.include('"cookie":"[redacted]"');
      expect(log).not.to.include(token);
      expect(log).not.to.include('demo1234');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
