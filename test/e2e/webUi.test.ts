/**
 * The built web UI as the server ships it: index.html in Chinese loading hashed assets that exist, with no inline
 * script (the CSP allows script-src 'self' only); hashed assets cached for good, index.html revalidated; no
 * module writes HTML from strings (Vue's text interpolation escapes; v-html would not). The journeys through the
 * UI run in a real browser in test/browser/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { webDistDir, webSourcesHash } from '../../scripts/services/webBuild';
import { startTestApp, type TestApp } from '../support/testApp';

const webSrc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src');

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

describe('web UI (built files)', function () {
  let app: TestApp;
  let html: string;

  before(async function () {
    app = await startTestApp({ label: 'webui' });
    html = await (await fetch(`${app.baseUrl}/`)).text();
  });
  after(async function () {
    await app?.close();
  });

  it('is built from the current sources (npm test builds it when they changed)', function () {
    expect(fs.readFileSync(path.join(webDistDir, '.sources-sha256'), 'utf8')).to.equal(webSourcesHash());
  });

  it('serves index.html at / in Chinese, with no inline script and no third-party origin', async function () {
    const res = await fetch(`${app.baseUrl}/`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/html;\s*charset=utf-8/i);
    expect(html).to.match(/<html lang="zh-CN">/);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).to.be.greaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).to.match(/\bsrc="\/assets\/[^"]+\.js"/);
      expect(body!.trim()).to.equal('');
    }
    expect(html).not.to.match(/\bon[a-z]+=/i);
    expect(html).not.to.match(/(?:src|href)="(?:https?:)?\/\//);
  });

  it('serves every asset index.html references with its type; hashed assets are cached, index.html revalidated', async function () {
    const refs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(refs.some((r) => r.endsWith('.js'))).to.equal(true);
    expect(refs.some((r) => r.endsWith('.css'))).to.equal(true);
    for (const ref of refs) {
      const res = await fetch(app.baseUrl + ref);
      expect(res.status, ref).to.equal(200);
      expect(res.headers.get('content-type'), ref).to.match(ref.endsWith('.js') ? /^(text|application)\/javascript/ : /^text\/css/);
      expect(res.headers.get('cache-control'), ref).to.match(/immutable/);
    }
    expect((await fetch(`${app.baseUrl}/`)).headers.get('cache-control')).not.to.match(/immutable/);
    expect((await fetch(`${app.baseUrl}/assets/missing-abc.js`)).status).to.equal(404);
  });

  it('no source writes HTML from strings or calls the network outside /api/v1', function () {
    for (const file of listFiles(webSrc)) {
      const source = fs.readFileSync(file, 'utf8');
      const name = path.relative(webSrc, file);
      expect(source, name).not.to.match(/v-html|innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
      expect(source, name).not.to.match(/https?:\/\//);
    }
    const api = fs.readFileSync(path.join(webSrc, 'api.js'), 'utf8');
    expect(api).to.match(/const BASE = '\/api\/v1'/);
  });
});
