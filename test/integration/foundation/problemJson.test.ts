/** Errors leave the API as problem+json with a Chinese title and a machine code. */
import { expect } from 'chai';
import { startTestApp, type TestApp } from '../../support/testApp';

describe('problem+json errors', function () {
  let app: TestApp;
  before(async function () {
    app = await startTestApp({ label: 'problem' });
  });
  after(async function () {
    await app.close();
  });

  it('answers an unknown route with 404 problem+json', async function () {
    const res = await fetch(`${app.baseUrl}/api/v1/no-such-thing`);
    expect(res.status).to.equal(404);
    expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
    const body = (await res.json()) as Record<string, string>;
    expect(body).to.include({ status: 404, code: 'route_not_found', title: '资源不存在' });
    expect(body.detail).to.match(/接口不存在/);
  });

  it('answers malformed JSON with 400 invalid_json', async function () {
    const res = await fetch(`${app.baseUrl}/api/v1/anything`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title": ' });
    expect(res.status).to.equal(400);
    const body = (await res.json()) as Record<string, string>;
    expect(body).to.include({ code: 'invalid_json', title: '请求参数不合法' });
  });

  it('answers an oversized JSON body with 413', async function () {
    const big = JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) });
    const res = await fetch(`${app.baseUrl}/api/v1/anything`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(res.status).to.equal(413);
    expect(((await res.json()) as { code: string }).code).to.equal('payload_too_large');
  });
});
