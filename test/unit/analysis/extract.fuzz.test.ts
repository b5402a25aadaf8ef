import { expect } from 'chai';
import { DocumentError as AppError } from '../../../workers/analysis/extract/errors.js';
import { extractDocument, shutdownPdfWorker, type ExtractOptions } from '../../../workers/analysis/extract/index.js';
import { gb18030, makeDocx, makePdf, policyText } from '../../fixtures/makeDocuments.js';

/** mulberry32: a fixed seed makes every failing case reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 0x5eed2024;
const PER_CASE_TIMEOUT_MS = 3000;
/** Wall-clock bound per case: the PDF time limit plus time to restart the worker thread. */
const PER_CASE_BOUND_MS = PER_CASE_TIMEOUT_MS + 2000;

interface Case {
  name: string;
  buf: Buffer;
  opts: ExtractOptions;
}

type Outcome = { kind: 'result' } | { kind: 'error'; code: string };

async function runCase(c: Case): Promise<Outcome> {
  const t0 = performance.now();
  let guard: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    guard = setTimeout(() => reject(new Error(`case ${c.name} did not finish within ${PER_CASE_BOUND_MS} ms`)), PER_CASE_BOUND_MS);
  });
  try {
    const doc = await Promise.race([extractDocument(c.buf, { ...c.opts, timeoutMs: PER_CASE_TIMEOUT_MS }), hang]);
    expect(['docx', 'pdf', 'txt'], c.name).to.include(doc.format);
    expect(doc.text, c.name).to.be.a('string');
    for (const b of doc.blocks) {
      expect(b.start, c.name).to.be.at.least(0);
      expect(b.end, c.name).to.be.at.most(doc.text.length);
      expect(b.end, c.name).to.be.greaterThan(b.start);
    }
    return { kind: 'result' };
  } catch (err) {
    if (!(err instanceof AppError)) throw new Error(`case ${c.name} threw an untyped error: ${String(err)}`, { cause: err });
    expect(err.status, c.name).to.be.oneOf([413, 415, 422]);
    expect(err.message, c.name).to.match(/[\u4e00-\u9fff]/);
    return { kind: 'error', code: err.code };
  } finally {
    clearTimeout(guard);
    expect(performance.now() - t0, `${c.name} took too long`).to.be.below(PER_CASE_BOUND_MS);
  }
}

const CLAIMS: ExtractOptions[] = [{}, { filename: 'a.docx' }, { filename: 'a.pdf' }, { filename: 'a.txt' }, { mimeType: 'application/pdf' }];

async function buildCases(): Promise<Case[]> {
  const rand = rng(SEED);
  const int = (n: number): number => Math.floor(rand() * n);
  const pick = <T>(xs: T[]): T => xs[int(xs.length)]!;
  const randomBytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => int(256)));

  const text = policyText(1500);
  const seeds: { name: string; buf: Buffer; opts: ExtractOptions }[] = [
    { name: 'docx', buf: await makeDocx([{ heading: '办法' }, { article: '不得限定本地企业。' }, { item: '甲；' }, { table: [['甲', '乙']] }]), opts: { filename: 'a.docx' } },
    { name: 'pdf', buf: makePdf(text.split('\n').slice(0, 12), { pageNumbers: true, linesPerPage: 10 }), opts: { filename: 'a.pdf' } },
    { name: 'utf8', buf: Buffer.from(text, 'utf8'), opts: { filename: 'a.txt' } },
    { name: 'gb18030', buf: gb18030(text), opts: { filename: 'a.txt' } },
  ];

  const cases: Case[] = [];
  for (let i = 0; i < 80; i++) cases.push({ name: `random#${i}`, buf: randomBytes(int(4096)), opts: pick(CLAIMS) });
  for (let i = 0; i < 40; i++) {
    const magic = pick([Buffer.from('%PDF-1.7\n'), Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from([0xef, 0xbb, 0xbf])]);
    cases.push({ name: `magic+random#${i}`, buf: Buffer.concat([magic, randomBytes(int(4096))]), opts: pick(CLAIMS) });
  }
  for (const seed of seeds) {
    for (let i = 0; i < 30; i++) {
      const cut = int(seed.buf.length);
      cases.push({ name: `${seed.name} truncated at ${cut}`, buf: seed.buf.subarray(0, cut), opts: seed.opts });
    }
    for (let i = 0; i < 40; i++) {
      const mutated = Buffer.from(seed.buf);
      const flips = 1 + int(24);
      for (let k = 0; k < flips; k++) mutated[int(mutated.length)] = int(256);
      cases.push({ name: `${seed.name} with ${flips} random bytes #${i}`, buf: mutated, opts: seed.opts });
    }
    for (let i = 0; i < 10; i++) {
      // splice a random block into the middle: breaks offsets, lengths and stream boundaries at once
      const at = int(seed.buf.length);
      const spliced = Buffer.concat([seed.buf.subarray(0, at), randomBytes(1 + int(512)), seed.buf.subarray(at + int(256))]);
      cases.push({ name: `${seed.name} spliced at ${at} #${i}`, buf: spliced, opts: seed.opts });
    }
  }
  return cases;
}

describe('extract: fuzz (fixed seed)', function () {
  this.timeout(60_000);
  after(() => shutdownPdfWorker());

  it('never crashes or hangs on random, truncated and mutated DOCX/PDF/TXT input', async () => {
    const cases = await buildCases();
    expect(cases.length).to.be.at.least(400);
    // CPU time of this process, not wall time: other work on a busy machine must not fail the bound
    const cpu0 = process.cpuUsage();
    const outcomes = new Map<string, number>();
    for (const c of cases) {
      const outcome = await runCase(c);
      const key = outcome.kind === 'result' ? 'result' : outcome.code;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    const spent = process.cpuUsage(cpu0);
    const elapsed = (spent.user + spent.system) / 1000;
    // both paths must actually be exercised, or the fuzz test proves nothing
    expect(outcomes.get('result') ?? 0).to.be.greaterThan(20);
    expect([...outcomes.keys()].filter((k) => k !== 'result').length).to.be.greaterThan(3);
    expect(elapsed, `total ${Math.round(elapsed)} ms of CPU time; outcomes ${JSON.stringify([...outcomes])}`).to.be.below(20_000);
  });
});
