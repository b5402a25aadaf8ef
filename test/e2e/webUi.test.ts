/**
 * The browser UI as the server ships it (no browser here): index.html and every module it pulls in, directly or
 * through imports, are served with the right content type, exist, and parse as ES modules; nothing under
 * server/web/js is left unreferenced; and no module writes HTML from strings.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import * as vocabulary from '../../server/domain/vocabulary';
import { startTestApp, type TestApp } from '../support/testApp';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../server/web');

/** Static import/export specifiers of an ES module (the UI uses no dynamic imports). */
function importSpecifiers(source: string): string[] {
  const specifiers: string[] = [];
  const patterns = [/^\s*(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]/gm, /^\s*import\s*['"]([^'"]+)['"]/gm];
  for (const pattern of patterns) for (const m of source.matchAll(pattern)) specifiers.push(m[1]!);
  return specifiers;
}

/** The local files index.html references: scripts, stylesheets, icons. */
function htmlReferences(html: string): string[] {
  const refs = [...html.matchAll(/<(?:script|link)\b[^>]*?\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  return refs.filter((ref) => !/^(?:[a-z]+:|\/\/|#)/i.test(ref));
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

describe('web UI (static files)', function () {
  let app: TestApp;
  let html: string;
  /** URL path → source of every module reachable from index.html */
  const modules = new Map<string, string>();
  const stylesheets: string[] = [];

  before(async function () {
    app = await startTestApp({ label: 'webui' });
    const res = await fetch(`${app.baseUrl}/`);
    html = await res.text();
  });
  after(async function () {
    await app?.close();
  });

  it('serves index.html at / as UTF-8 HTML in Chinese, loading the app as an ES module', async function () {
    const res = await fetch(`${app.baseUrl}/`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/html;\s*charset=utf-8/i);
    expect(html).to.match(/<html lang="zh-CN">/);
    expect(html).to.include('<meta charset="utf-8">');
    expect(html).to.match(/<script type="module" src="js\/main\.js"><\/script>/);
    expect(html).to.include('公平竞争审查');
  });

  it('references only files that exist, each served with its content type', async function () {
    const refs = htmlReferences(html);
    expect(refs, 'index.html should load a script and a stylesheet').to.include.members(['js/main.js', 'css/app.css']);
    for (const ref of refs) {
      expect(fs.existsSync(path.join(webDir, ref)), `${ref} exists in server/web`).to.equal(true);
      const res = await fetch(`${app.baseUrl}/${ref}`);
      expect(res.status, ref).to.equal(200);
      const type = res.headers.get('content-type') ?? '';
      if (ref.endsWith('.js')) expect(type, ref).to.match(/^(text|application)\/javascript/);
      else if (ref.endsWith('.css')) {
        expect(type, ref).to.match(/^text\/css/);
        stylesheets.push(await res.text());
      }
    }
    expect(stylesheets.join('')).to.include('.badge');
  });

  it('serves every module reachable from js/main.js as JavaScript, and every import resolves to a served file', async function () {
    const queue = htmlReferences(html).filter((ref) => ref.endsWith('.js')).map((ref) => `/${ref}`);
    while (queue.length > 0) {
      const urlPath = queue.shift()!;
      if (modules.has(urlPath)) continue;
      const res = await fetch(app.baseUrl + urlPath);
      expect(res.status, `${urlPath} (imported module)`).to.equal(200);
      expect(res.headers.get('content-type') ?? '', urlPath).to.match(/^(text|application)\/javascript/);
      const source = await res.text();
      modules.set(urlPath, source);
      for (const specifier of importSpecifiers(source)) {
        expect(specifier, `${urlPath} imports ${specifier}: only relative .js files are served`).to.match(/^\.{1,2}\/.+\.js$/);
        queue.push(path.posix.normalize(path.posix.join(path.posix.dirname(urlPath), specifier)));
      }
    }
    expect(modules.size, 'the app is split into small modules').to.be.at.least(10);
    for (const expected of ['/js/api.js', '/js/dom.js', '/js/screens/login.js', '/js/screens/policyDetail.js', '/js/screens/complaintIntake.js']) {
      expect([...modules.keys()]).to.include(expected);
    }
  });

  it('leaves no module under server/web/js unreferenced', function () {
    expect(modules.size, 'the previous test crawled the modules').to.be.above(0);
    const onDisk = listFiles(path.join(webDir, 'js')).filter((f) => f.endsWith('.js')).map((f) => '/' + path.relative(webDir, f).split(path.sep).join('/'));
    expect(onDisk.filter((f) => !modules.has(f))).to.deep.equal([]);
  });

  it('every module parses as an ES module (node --check on a .mjs copy)', function () {
    expect(modules.size, 'the modules were crawled').to.be.above(0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairreview-webui-'));
    try {
      for (const [urlPath, source] of modules) {
        const file = path.join(dir, urlPath.replace(/[/\\]/g, '_').replace(/\.js$/, '.mjs'));
        fs.writeFileSync(file, source);
        const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
        expect(check.status, `${urlPath} does not parse:\n${check.stderr}`).to.equal(0);
      }
      // the check really rejects broken syntax
      const broken = path.join(dir, 'broken.mjs');
      fs.writeFileSync(broken, "import { h } from './dom.js';\nexport function f() { return h('p', null, 'x'; }\n");
      expect(spawnSync(process.execPath, ['--check', broken], { encoding: 'utf8' }).status).to.not.equal(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds the DOM from nodes and text only: no module writes HTML from strings', function () {
    expect(modules.size).to.be.above(0);
    for (const [urlPath, source] of modules) {
      expect(source, urlPath).to.not.match(/\.(?:innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write\(/);
    }
  });

  it('calls the API only same-origin under /api/v1', function () {
    const api = modules.get('/js/api.js') ?? '';
    expect(api).to.include("const BASE = '/api/v1';");
    for (const [urlPath, source] of modules) {
      const targets = [...source.matchAll(/fetch\(\s*([^,)]+)/g)].map((m) => m[1]!.trim());
      for (const target of targets) expect(target, `${urlPath} fetches ${target}`).to.match(/^BASE \+/);
    }
  });

  it('keeps no copy of the checklist: its titles come from GET /api/v1/meta', async function () {
    expect(modules.size).to.be.above(0);
    const meta = await (await fetch(`${app.baseUrl}/api/v1/meta`)).json() as { checklist: { items: Array<{ id: string; title: string }> } };
    expect(meta.checklist.items).to.have.length(19);
    for (const [urlPath, source] of modules) {
      for (const item of meta.checklist.items) expect(source, `${urlPath} repeats the title of ${item.id}`).not.to.include(item.title);
    }
    expect(modules.get('/js/meta.js'), 'the module that reads the checklist').to.include("api.get('/meta')");
  });

  it('keeps no copy of the vocabulary: labels.js re-exports js/vocabulary.js, which equals the server\'s maps', async function () {
    const res = await fetch(`${app.baseUrl}/js/vocabulary.js`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/javascript;\s*charset=utf-8/i);
    expect(res.headers.get('cache-control')).to.match(/max-age=\d+/);
    const etag = res.headers.get('etag');
    expect(etag, 'revalidated by ETag').to.be.a('string');
    // (fetch adds "cache-control: no-cache" to a conditional request unless told otherwise)
    const revalidated = await fetch(`${app.baseUrl}/js/vocabulary.js`, { headers: { 'if-none-match': etag!, 'cache-control': 'max-age=0' } });
    expect(revalidated.status).to.equal(304);
    const source = await res.text();
    expect(modules.get('/js/vocabulary.js'), 'the crawl reached it through labels.js').to.equal(source);
    expect(importSpecifiers(modules.get('/js/labels.js') ?? '')).to.deep.equal(['./vocabulary.js']);
    const served = await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`) as Record<string, unknown>;
    expect({ ...served }).to.deep.equal({ ...vocabulary });
    // no other module keeps an entry of these maps as its own `key: '词'` pair
    for (const [urlPath, module] of modules) {
      if (urlPath === '/js/vocabulary.js') continue;
      for (const map of Object.values(vocabulary) as Array<Record<string, string>>) {
        for (const [key, word] of Object.entries(map)) expect(module, `${urlPath} copies ${key}: 「${word}」`).not.to.include(`${key}: '${word}'`);
      }
    }
  });

  it('answers 404 for a file that does not exist, rather than the app page', async function () {
    const res = await fetch(`${app.baseUrl}/js/no-such-module.js`);
    expect(res.status).to.equal(404);
    expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
  });
});
