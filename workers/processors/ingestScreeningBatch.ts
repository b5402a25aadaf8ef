/** Unpacks a screening batch's uploaded ZIP into documents and queues them (server/services/screening/ingest.ts). */
import { failIngest, ingestZipBatch } from '../../server/services/screening/ingest';
import type { Processor } from '../processor';

export const ingestScreeningBatch: Processor<'screeningIngest'> = {
  queue: 'screeningIngest',
  // unpacking again only re-adds what is there: a busy or restarted worker should not fail the batch
  maxStalledCount: 3,
  process: (job, deps) => ingestZipBatch(deps, job.data.batchId),
  onFinalFailure: (job, err, deps) => failIngest(deps, job.data.batchId, `解压未能完成，请重新发起批次：${err.message}`),
};
