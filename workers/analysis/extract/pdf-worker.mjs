// Runs pdf-parse in a worker thread so that a pathological PDF can be stopped by terminating the thread:
// a timer in the main thread cannot interrupt pdf.js while it computes.
import { parentPort } from 'node:worker_threads';
import { PDFParse } from 'pdf-parse';

parentPort.on('message', async (job) => {
  const parser = new PDFParse({
    data: job.data,
    cMapUrl: job.cMapUrl,
    cMapPacked: true,
    standardFontDataUrl: job.standardFontDataUrl,
    isEvalSupported: false,
    useSystemFonts: false,
    verbosity: 0,
  });
  try {
    const result = await parser.getText({ pageJoiner: '', cellSeparator: ' ', lineEnforce: true });
    parentPort.postMessage({
      id: job.id,
      ok: true,
      total: result.total,
      pages: result.pages.map((p) => ({ num: p.num, text: p.text })),
    });
  } catch (err) {
    parentPort.postMessage({ id: job.id, ok: false, name: err?.name ?? 'Error', message: String(err?.message ?? err) });
  } finally {
    await parser.destroy().catch(() => undefined);
  }
});
