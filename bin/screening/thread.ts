/**
 * One worker thread of the offline screening CLI: screens the files the main thread sends, one at a time, with
 * the same function the batch workers use, and answers each with its outcome.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { shutdownPdfWorker } from '../../workers/analysis/extract/index';
import { loadAnalyzer } from '../../workers/analysis/analyze';
import { screenFile } from '../../server/services/screening/screenFile';

export interface ThreadRequest { id: number; filename: string; data: Uint8Array }
export type ThreadResponse = { id: number; screened: Awaited<ReturnType<typeof screenFile>> } | { id: number; error: string } | { ready: true };

const port = parentPort;
if (!port) throw new Error('thread.ts runs as a worker thread');
const { maxBytes } = workerData as { maxBytes: number };

loadAnalyzer();
port.postMessage({ ready: true } satisfies ThreadResponse);
port.on('message', (message: ThreadRequest | 'close') => {
  if (message === 'close') {
    void shutdownPdfWorker().finally(() => port.close());
    return;
  }
  const data = Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength);
  screenFile(data, { filename: message.filename, maxBytes }).then(
    (screened) => port.postMessage({ id: message.id, screened } satisfies ThreadResponse),
    (err: unknown) => port.postMessage({ id: message.id, error: err instanceof Error ? err.message : String(err) } satisfies ThreadResponse),
  );
});
