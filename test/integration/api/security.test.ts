/**
 * The hardened edge over real HTTP: security headers on the UI, the API docs and the API; cross-origin requests
 * with the session cookie refused; logout and password change revoking tokens; login limits across addresses
 * and usernames; the complaint intake not revealing unpublished policies; attachments served as their bytes are.
 */
import { expect } from 'chai';
import { client, login } from '../../support/http';
import { startTestApp, type TestApp } from '../../support/testApp';
import { postMultipart, publishedPolicy, seedPolicy, REPORTER } from '../supervision/supervisionHelpers';
import { DRAFT_V1, demoUsers, type DemoUsers, type PolicyBody } from './policyHelpers';

describe('hardened edges (headers, cross-origin, revocation, login limits, intake, attachments)', function () {
  this.timeout(120_000);
  let app: TestApp;
  let u: DemoUsers;

  before(async function () {
    // one trusted proxy hop, so a test can speak for different client addresses through X-Forwarded-For
    app = await startTestApp({ label: 'security', env: { TRUST_PROXY: '1' } });
    u = await demoUsers(app);
  });
  after(async function () {
    await app?.close();
  });

  describe('security headers', function () {
    for (const path of ['/', '/api/docs/', '/api/v1/meta', '/api/v1/policies']) {
      it(`sets CSP without inline scripts, nosniff, frame-ancestors none and Referrer-Policy on ${path}`, async function () {
        const res = await fetch(app.baseUrl + path, { headers: { authorization: `Bearer ${u.drafter.token}` } });
        expect(res.status).to.equal(200);
        const csp = res.headers.get('content-security-policy') ?? '';
        const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
        expect(scriptSrc).to.equal("script-src 'self'");
        expect(csp).to.include("frame-ancestors 'none'").and.include("object-src 'none'").and.include("default-src 'self'");
        expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
        expect(res.headers.get('referrer-policy')).to.equal('same-origin');
        expect(res.headers.get('x-frame-options')).to.equal('DENY');
        expect(res.headers.get('x-powered-by')).to.equal(null);
      });
    }

    it('marks every API answer no-store, errors included', async function () {
      for (const res of [await fetch(`${app.baseUrl}/api/v1/meta`), await fetch(`${app.baseUrl}/api/v1/policies`), await fetch(`${app.baseUrl}/api/v1/nothing-here`)]) {
        expect(res.headers.get('cache-control'), res.url).to.equal('no-store');
      }
    });
  });

  describe('cookie sessions and cross-origin requests', function () {
    async function uploadWithCookie(policyId: string, token: string, headers: Record<string, string>) {
      const form = new FormData();
      form.append('file', new Blob([DRAFT_V1], { type: 'text/plain' }), '措施.txt');
      const res = await fetch(`${app.baseUrl}/api/v1/policies/${policyId}/versions`, { method: 'POST', headers: { cookie: `fr_session=${token}`, ...headers }, body: form });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    }

    it('refuses a cross-origin upload carrying the session cookie (403) and stores nothing; the same origin may', async function () {
      const created = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: '跨站上传检查', kind: 'normative_document', issuingLevel: 'department' });
      const forged = await uploadWithCookie(created.body.id, u.drafter.token, { origin: 'http://evil.example' });
      expect(forged.status, JSON.stringify(forged.body)).to.equal(403);
      expect(forged.body).to.include({ code: 'cross_origin_request' });
      expect((await uploadWithCookie(created.body.id, u.drafter.token, { origin: 'null' })).status).to.equal(403);
      expect((await uploadWithCookie(created.body.id, u.drafter.token, { referer: 'http://evil.example/page' })).status).to.equal(403);
      const policy = await u.drafter.api.get<{ versions: unknown[] }>(`/api/v1/policies/${created.body.id}`);
      expect(policy.body.versions).to.have.length(0);
      expect(await app.deps.store.db!.collection('policyVersions.files').countDocuments({ 'metadata.policyId': created.body.id })).to.equal(0);

      const sameOrigin = await uploadWithCookie(created.body.id, u.drafter.token, { origin: app.baseUrl });
      expect(sameOrigin.status, JSON.stringify(sameOrigin.body)).to.equal(202);
    });

    it('lets a bearer token through from anywhere (another page cannot read it to send it)', async function () {
      const res = await u.drafter.api.post('/api/v1/policies', { title: '令牌请求', kind: 'normative_document', issuingLevel: 'department' }, { origin: 'http://evil.example' });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    });

    it('revokes every token of the user on logout', async function () {
      const first = await login(app.baseUrl, 'evaluator');
      const second = await login(app.baseUrl, 'evaluator');
      expect((await client(app.baseUrl, first).get('/api/v1/auth/me')).status).to.equal(200);
      const out = await client(app.baseUrl, first).post('/api/v1/auth/logout');
      expect(out.status).to.equal(200);
      expect((await client(app.baseUrl, first).get('/api/v1/auth/me')).status, 'the token logged out with').to.equal(401);
      expect((await client(app.baseUrl, second).get('/api/v1/auth/me')).status, 'another session of the same user').to.equal(401);
      expect((await client(app.baseUrl).get('/api/v1/auth/me', { cookie: `fr_session=${first}` })).status, 'as a cookie').to.equal(401);
      const fresh = await login(app.baseUrl, 'evaluator');
      expect((await client(app.baseUrl, fresh).get('/api/v1/auth/me')).status).to.equal(200);
    });

    it('revokes old tokens on a password change and hands out a new one; the old password stops working', async function () {
      const old = await login(app.baseUrl, 'member3');
      const wrong = await client(app.baseUrl, old).post('/api/v1/auth/password', { currentPassword: 'nope', newPassword: 'a-new-password' });
      expect(wrong.status).to.equal(401);
      const short = await client(app.baseUrl, old).post('/api/v1/auth/password', { currentPassword: 'demo1234', newPassword: 'short' });
      expect(short.status).to.equal(400);
      const changed = await client(app.baseUrl, old).post<{ token: string }>('/api/v1/auth/password', { currentPassword: 'demo1234', newPassword: 'a-new-password' });
      expect(changed.status, JSON.stringify(changed.body)).to.equal(200);
      expect((await client(app.baseUrl, old).get('/api/v1/auth/me')).status).to.equal(401);
      expect((await client(app.baseUrl, changed.body.token).get('/api/v1/auth/me')).status).to.equal(200);
      expect((await client(app.baseUrl).post('/api/v1/auth/login', { username: 'member3', password: 'demo1234' })).status).to.equal(401);
      expect((await client(app.baseUrl).post('/api/v1/auth/login', { username: 'member3', password: 'a-new-password' })).status).to.equal(200);
    });
  });

  describe('login limits', function () {
    const attempt = (username: string, address: string) =>
      client(app.baseUrl).post('/api/v1/auth/login', { username, password: 'wrong-password' }, { 'x-forwarded-for': address });

    it('limits one username across many addresses: 30 failures, then 429 from a new address', async function () {
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await attempt('member2', `10.1.0.${i + 1}`)).status);
      expect(new Set(statuses)).to.deep.equal(new Set([401]));
      const next = await attempt('member2', '10.1.1.1');
      expect(next.status).to.equal(429);
      expect(next.body).to.include({ code: 'too_many_login_attempts' });
      expect((await attempt('member1', '10.1.1.1')).status, 'another user from that address').to.equal(401);
    });

    it('limits one address across many usernames (password spraying): 30 failures, then 429 for any username', async function () {
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await attempt(`nobody${i}`, '10.2.0.1')).status);
      expect(new Set(statuses)).to.deep.equal(new Set([401]));
      expect((await attempt('handler', '10.2.0.1')).status).to.equal(429);
      expect((await attempt('handler', '10.2.0.2')).status, 'the same username from another address').to.equal(401);
    });
  });

  describe('the public complaint intake', function () {
    it('answers an unpublished policy id exactly like an unknown one, and takes a published one', async function () {
      const draft = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: '未公布的草案', kind: 'normative_document', issuingLevel: 'department' });
      const intake = (policyId: string) => client(app.baseUrl).post('/api/v1/complaints', { ...REPORTER, description: '排斥外地经营者。', policyId }, { 'x-forwarded-for': '10.3.0.1' });
      const unpublished = await intake(draft.body.id);
      const unknown = await intake('ffffffffffffffffffffffff');
      expect(unpublished.status).to.equal(400);
      expect({ ...unpublished.body, instance: null }).to.deep.equal({ ...unknown.body, instance: null });
      const departments = await app.deps.models.Department.find().lean();
      const published = await seedPolicy(app.deps.models, publishedPolicy('某市已公布的措施', String(departments[0]!._id), u.drafter.id));
      expect((await intake(published)).status).to.equal(201);
    });

    it('serves an attachment as the type its bytes are, with nosniff, whatever the sender claimed', async function () {
      const filed = await postMultipart(app.baseUrl, '/api/v1/complaints', { ...REPORTER, measureText: '某区通知', description: '见附件' }, { data: Buffer.from('<html><script>alert(1)</script></html>', 'utf8'), name: '说明.txt', type: 'text/html' });
      expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
      const complaint = await app.deps.models.Complaint.findOne({ refNo: (filed.body as { refNo: string }).refNo }).lean();
      const attachment = complaint!.attachments[0]!;
      expect(attachment.mimeType).to.equal('text/plain; charset=utf-8');
      const res = await fetch(`${app.baseUrl}/api/v1/complaints/${String(complaint!._id)}/attachments/${attachment.fileId}`, { headers: { authorization: `Bearer ${u.admin.token}` } });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('text/plain; charset=utf-8');
      expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(res.headers.get('content-disposition')).to.match(/^attachment/);
    });
  });
});
