/**
 * Screens one document of a screening batch (see server/services/screening/screenDocument.ts). Idempotent: the
 * outcome is recorded once per document however often the job runs.
 */
import { recordScreeningFailure, screenQueuedDocument } from '../../server/services/screening/screenDocument';
import type { Processor } from '../processor';

export const screenDocument: Processor<'screening'> = {
  queue: 'screening',
  // recording is guarded, so running a document again is harmless: a busy or restarted worker should not fail it
  maxStalledCount: 3,
  async process(job, deps) {
    return screenQueuedDocument(deps, job.data, deps.pauseWhileAnalysing);
  },
  async onFinalFailure(job, err, deps) {
    await recordScreeningFailure(deps, job.data, err.message);
  },
};
