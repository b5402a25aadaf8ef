/** Errors leave the API as problem+json with a Chinese title and a machine code. */
import { gzipSync } from 'node:zlib';
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

  it('answers a body that is not what its Content-Encoding says with 400, and an unknown encoding with 415', async function () {
    const notGzip = await fetch(`${app.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: '{"username":"a","password":"b"}' });
    expect(notGzip.status).to.equal(400);
    expect(await notGzip.json()).to.include({ code: 'invalid_encoding' });
    const truncated = gzipSync(Buffer.from('{"username":"a","password":"b"}')).subarray(0, 15);
    const cut = await fetch(`${app.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: truncated });
    expect(cut.status).to.equal(400);
    const unknown = await fetch(`${app.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'x-squash' }, body: '{}' });
    expect(unknown.status).to.equal(415);
    expect(await unknown.json()).to.include({ code: 'unsupported_encoding' });
  });

  it('answers a truncated or malformed multipart body with 400 and stores nothing', async function () {
    const before = await app.deps.models.Complaint.countDocuments();
    const boundary = 'fairreviewboundary';
    const part = `--${boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\n排斥外地企业\r\n--${boundary}\r\nContent-Disposition: form-data; name="attachment"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n第一条 本地企业优先`;
    const truncated = await fetch(`${app.baseUrl}/api/v1/complaints`, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body: part });
    expect(truncated.status).to.equal(400);
    expect(await truncated.json()).to.include({ code: 'invalid_multipart' });
    const noBoundary = await fetch(`${app.baseUrl}/api/v1/complaints`, { method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body: part });
    expect(noBoundary.status).to.equal(400);
    const badHeader = await fetch(`${app.baseUrl}/api/v1/complaints`, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body: `--${boundary}\r\nno header here\r\n\r\n` });
    expect(badHeader.status).to.equal(400);
    expect(await app.deps.models.Complaint.countDocuments()).to.equal(before);
  });
});
