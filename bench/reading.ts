/**
 * Reading view benchmark (issue 18): `npm run bench -- reading [runs=5]`.
 *
 * On its own system (bench/support/browserSystem.ts: store, Redis, the API process serving the web UI, Chromium)
 * a generated 60,000-character draft is uploaded as DOCX through the API, and its version given exactly 200 findings: the analyser's own findings on that text (run here in-process, so no worker is
 * needed), 200 of them spread evenly over the document. Then Debian's Chromium (playwright-core) opens the reading
 * view `runs` times after one warm-up load and times each load from navigation until the whole text and all 200
 * finding cards are on the page (the API answers included). Prints p50, max and the samples against the 1.5 s target.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import { PolicyRepository } from '../server/db/policyRepository';
import type { Models } from '../server/db/models/index';
import { loadAnalyzer } from '../workers/analysis/analyze';
import { extractDocument } from '../workers/analysis/extract/index';
import { makeDocx, policyText } from '../test/fixtures/makeDocuments';
import { p50, startBrowserSystem } from './support/browserSystem';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const TARGET_MS = 1500;
const FINDINGS = 200;

export default async function readingBench(options: Record<string, number | string> = {}) {
  const runs = Number(options.runs ?? 5);
  const system = await startBrowserSystem('reading');
  try {
    const text = policyText(60_000);
    const docx = await makeDocx(text.split('\n').map((paragraph) => ({ paragraph })));
    const { policyId, documentChars } = await uploadDraft(system.base, docx);
    const findings = await giveFindings(system.models, policyId, docx);
    const page = await system.signedIn('drafter');

    const paragraphs = text.split('\n').length;
    const load = async () => {
      await page.goto('about:blank');
      const began = performance.now();
      await page.goto(`${system.base}/#/policies/${policyId}/versions/1/read`);
      await page.locator(`.document-text p[data-p="${paragraphs - 1}"]`).waitFor({ state: 'attached', timeout: 60_000 });
      await page.locator('.reading-card').nth(findings - 1).waitFor({ state: 'attached', timeout: 60_000 });
      return performance.now() - began;
    };
    const warmupMs = await load();
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) samples.push(await load());
    return {
      documentChars,
      paragraphs,
      findings,
      marks: await page.locator('.document-text mark.flag').count(),
      runs,
      warmupMs: Math.round(warmupMs),
      p50Ms: Math.round(p50(samples)),
      maxMs: Math.round(Math.max(...samples)),
      samplesMs: samples.map(Math.round),
      targetMs: TARGET_MS,
      withinTarget: p50(samples) < TARGET_MS,
      cpus: os.cpus().length,
      load1: Number(os.loadavg()[0]!.toFixed(2)),
    };
  } finally {
    await system.close();
  }

  async function uploadDraft(base: string, docx: Buffer): Promise<{ policyId: string; documentChars: number }> {
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'drafter', password: 'demo1234' }) });
    const auth = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
    const created = await fetch(`${base}/api/v1/policies`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ title: '某市关于促进民营经济高质量发展的若干措施（征求意见稿）', kind: 'normative_document', issuingLevel: 'department' }) });
    const policyId = ((await created.json()) as { id: string }).id;
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(docx)], { type: DOCX_TYPE }), '措施.docx');
    const uploaded = await fetch(`${base}/api/v1/policies/${policyId}/versions`, { method: 'POST', headers: auth, body: form });
    if (uploaded.status !== 202) throw new Error(`upload failed: ${uploaded.status} ${await uploaded.text()}`);
    const read = await fetch(`${base}/api/v1/policies/${policyId}/versions/1/text`, { headers: auth });
    return { policyId, documentChars: ((await read.json()) as { text: string }).text.length };
  }
}

/** The analyser's findings on the draft, `FINDINGS` of them spread evenly, recorded as the version's analysis. */
async function giveFindings(models: Models, policyId: string, docx: Buffer): Promise<number> {
  const document = await extractDocument(docx, { filename: '措施.docx', mimeType: DOCX_TYPE });
  const result = loadAnalyzer().analyzeText(document.text);
  if (result.findings.length < FINDINGS) throw new Error(`the analyser found only ${result.findings.length} findings, fewer than ${FINDINGS}`);
  const picked = Array.from({ length: FINDINGS }, (_, i) => result.findings[Math.floor((i * result.findings.length) / FINDINGS)]!);
  await models.Finding.insertMany(picked.map((f) => ({
    _id: createHash('sha256').update(`${policyId}|${f.itemId}|${f.start}|${f.end}`).digest('hex').slice(0, 24),
    policyId, versionN: 1, checklistVersion: result.checklistVersion, path: f.path, text: f.text, start: f.start, end: f.end,
    itemId: f.itemId, score: f.score, evidenceSource: f.evidenceSource, evidence: f.evidence, basis: f.basis, explanation: f.explanation, suggestion: f.suggestion,
  })));
  const now = new Date().toISOString();
  await new PolicyRepository(models).setAnalysis(policyId, 1, {
    status: 'analysed', progress: 100, checklistVersion: result.checklistVersion, operatingPoint: result.operatingPoint, threshold: result.threshold,
    findingCounts: { total: FINDINGS, open: FINDINGS, confirmed: 0, dismissed: 0 }, startedAt: now, finishedAt: now,
  });
  return FINDINGS;
}
