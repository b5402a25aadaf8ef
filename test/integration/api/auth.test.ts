import { expect } from 'chai';
import { seedDemoData } from '../../../server/db/seed';
import { startTestApp, type TestApp } from '../../support/testApp';
import { client, login } from '../../support/http';

describe('auth API', function () {
  let app: TestApp;
  before(async function () {
    app = await startTestApp({ label: 'auth' });
    await seedDemoData(app.deps.models, 'demo1234');
  });
  after(async function () {
    await app.close();
  });

  it('logs in with a demo account, returning a token, the user and an httpOnly session cookie', async function () {
    const res = await client(app.baseUrl).post<{ token: string; user: Record<string, string> }>('/api/v1/auth/login', { username: 'drafter', password: 'demo1234' });
    expect(res.status).to.equal(200);
    expect(res.body.token).to.be.a('string').with.length.above(20);
    expect(res.body.user).to.include({ username: 'drafter', role: 'drafter', departmentName: '市商务局' });
    expect(res.body.user).not.to.have.property('passwordHash');
    expect(res.headers.get('set-cookie')).to.match(/fr_session=.+HttpOnly/i).and.match(/SameSite=Strict/i);
  });

  it('answers the same 401 for an unknown user and a wrong password', async function () {
    const unknown = await client(app.baseUrl).post('/api/v1/auth/login', { username: 'nobody', password: 'demo1234' });
    const wrong = await client(app.baseUrl).post('/api/v1/auth/login', { username: 'lead', password: 'wrong' });
    expect(unknown.status).to.equal(401);
    expect(wrong.status).to.equal(401);
    expect(unknown.body).to.deep.equal({ ...wrong.body, instance: unknown.body.instance });
    expect(wrong.body).to.include({ code: 'invalid_credentials', title: '未登录或登录已失效' });
  });

  it('rejects operator injection and unknown fields with 400, never querying', async function () {
    const injected = await client(app.baseUrl).post('/api/v1/auth/login', { username: { $gt: '' }, password: { $gt: '' } });
    expect(injected.status).to.equal(400);
    expect(injected.body).to.include({ code: 'invalid_request' });
    const extra = await client(app.baseUrl).post('/api/v1/auth/login', { username: 'lead', password: 'demo1234', role: 'admin' });
    expect(extra.status).to.equal(400);
  });

  it('identifies the user by bearer token and by session cookie, and 401 without either', async function () {
    const token = await login(app.baseUrl, 'regulator');
    const byBearer = await client(app.baseUrl, token).get<{ user: { username: string } }>('/api/v1/auth/me');
    expect(byBearer.status).to.equal(200);
    expect(byBearer.body.user.username).to.equal('regulator');
    const byCookie = await client(app.baseUrl).get<{ user: { username: string } }>('/api/v1/auth/me', { cookie: `fr_session=${token}` });
    expect(byCookie.body.user.username).to.equal('regulator');
    const anonymous = await client(app.baseUrl).get('/api/v1/auth/me');
    expect(anonymous.status).to.equal(401);
    const forged = await client(app.baseUrl, token.slice(0, -4) + 'AAAA').get('/api/v1/auth/me');
    expect(forged.status).to.equal(401);
  });

  it('rate-limits failed logins per client and username (429 after 10 failures), leaving other users alone', async function () {
    const c = client(app.baseUrl);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await c.post('/api/v1/auth/login', { username: 'member1', password: 'bad' })).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).to.equal(true);
    expect(statuses[10]).to.equal(429);
    const blocked = await c.post('/api/v1/auth/login', { username: 'member1', password: 'demo1234' });
    expect(blocked.status).to.equal(429);
    expect(blocked.body).to.include({ code: 'too_many_login_attempts' });
    expect((await c.post('/api/v1/auth/login', { username: 'member2', password: 'demo1234' })).status).to.equal(200);
  });

  it('publishes an OpenAPI 3 document generated from the request schemas, and Swagger UI', async function () {
    const doc = await client(app.baseUrl).get<{ openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: object; additionalProperties: boolean } }> } }>> }>('/api/v1/openapi.json');
    expect(doc.status).to.equal(200);
    expect(doc.body.openapi).to.match(/^3\./);
    const loginBody = doc.body.paths['/api/v1/auth/login']?.post?.requestBody?.content['application/json']?.schema;
    expect(loginBody?.properties).to.have.keys('username', 'password');
    expect(loginBody?.additionalProperties).to.equal(false);
    const ui = await fetch(`${app.baseUrl}/api/docs/`);
    expect(ui.status).to.equal(200);
    expect(await ui.text()).to.match(/swagger/i);
  });
});
