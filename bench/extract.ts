/**
 * Extraction benchmark: a ~20,000-character regulation-style Chinese policy as DOCX and as PDF (STSong-Light,
 * the non-embedded CJK font), extracted repeatedly; p50/p95 milliseconds per document after warm-up.
 *
 * `npm run bench -- extract` (default export, for the bench dispatcher) or `npx tsx bench/extract.ts`.
 * The analyze benchmark can include these figures by calling the default export.
 */
import { pathToFileURL } from 'node:url';
import { measureExtraction, shutdownPdfWorker, type ExtractionTiming } from '../workers/analysis/extract/index.js';
import { makeDocx, makePdf, policyText } from '../test/fixtures/makeDocuments.js';

export interface ExtractionBench {
  documentChars: number;
  docx: ExtractionTiming;
  pdf: ExtractionTiming & { pages: number; coldStartMs: number };
  peakRssMb: number;
}

export default async function extractBench(options: { chars?: number; runs?: number } = {}): Promise<ExtractionBench> {
  const text = policyText(options.chars ?? 20_000);
  const paragraphs = text.split('\n');
  const runs = options.runs ?? 30;
  const docx = await makeDocx(paragraphs.map((paragraph) => ({ paragraph })));
  const pdf = makePdf(paragraphs);
  try {
    // first PDF extraction includes starting the worker thread and loading pdf.js
    await shutdownPdfWorker();
    const t0 = performance.now();
    const { extractDocument } = await import('../workers/analysis/extract/index.js');
    const first = await extractDocument(pdf);
    const coldStartMs = Math.round(performance.now() - t0);
    const docxTiming = await measureExtraction(docx, { runs, warmup: 3 });
    const pdfTiming = await measureExtraction(pdf, { runs, warmup: 3 });
    return {
      documentChars: text.length,
      docx: docxTiming,
      pdf: { ...pdfTiming, pages: first.pages ?? 0, coldStartMs },
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await shutdownPdfWorker();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await extractBench()));
}
