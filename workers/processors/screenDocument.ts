/**
 * Screens one document of a screening batch (see server/services/screening/screenDocument.ts). Idempotent: the
 * outcome is recorded once per document however often the job runs.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { recordScreeningFailure, screenQueuedDocument } from '../../server/services/screening/screenDocument';
import type { Processor } from '../processor';

export const screenDocument: Processor<'screening'> = {
  queue: 'screening',
  // recording is guarded, so running a document again is harmless: a busy or restarted worker should not fail it
  maxStalledCount: 3,
  async process(job, deps) {
    // Test-only (honoured only when NODE_ENV=test): holds each document long enough for a test to kill this
    // worker mid-batch.
    const testDelay = deps.config.NODE_ENV === 'test' ? deps.config.FAIRREVIEW_TEST_ANALYSIS_DELAY_MS : 0;
    return screenQueuedDocument(deps, job.data, testDelay > 0 ? () => sleep(testDelay).then(() => undefined) : undefined);
  },
  async onFinalFailure(job, err, deps) {
    await recordScreeningFailure(deps, job.data, err.message);
  },
};
