/**
 * The public complaint endpoints are rate-limited per client address in Redis: every intake counts (20 an hour),
 * and failed reporter look-ups count (20 per 15 minutes), so access codes cannot be guessed in bulk.
 */
import { expect } from 'chai';
import { client } from '../../support/http';
import { startTestApp, type TestApp } from '../../support/testApp';
import { REPORTER, expectStatus, fileComplaint } from './supervisionHelpers';

describe('public complaint endpoints: rate limits (Redis)', function () {
  this.timeout(30_000);
  let app: TestApp;

  // Each test has its own app, and so its own rate-limit keys (they live under the app's queue prefix).
  beforeEach(async () => { app = await startTestApp({ label: 'intake-limit' }); });
  afterEach(async () => app?.close());

  it('refuses the 21st failed status look-up within 15 minutes, even with the right code', async function () {
    const anonymous = client(app.baseUrl);
    const { refNo, accessCode } = await fileComplaint(anonymous, { measureText: '某通知' });
    // successful look-ups do not count
    for (let i = 0; i < 3; i++) expectStatus(await anonymous.get(`/api/v1/complaints/status?refNo=${refNo}&accessCode=${accessCode}`), 200);
    for (let i = 0; i < 20; i++) expectStatus(await anonymous.get(`/api/v1/complaints/status?refNo=${refNo}&accessCode=WRONG${String(i).padStart(5, '2')}`), 404);
    const limited = await anonymous.get(`/api/v1/complaints/status?refNo=${refNo}&accessCode=${accessCode}`);
    expectStatus(limited, 429, 'too_many_requests');
    expect(limited.headers.get('content-type')).to.include('application/problem+json');
  });

  it('refuses the 21st intake within an hour, invalid ones included', async function () {
    const anonymous = client(app.baseUrl);
    for (let i = 0; i < 20; i++) expectStatus(await anonymous.post('/api/v1/complaints', { ...REPORTER }), 400);
    expectStatus(await anonymous.post('/api/v1/complaints', { ...REPORTER, measureText: '某通知', description: '问题' }), 429, 'too_many_requests');
  });
});
