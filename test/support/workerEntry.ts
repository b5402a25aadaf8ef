/**
 * The worker process as the tests start it (test/support/workerProcess.ts): the production worker
 * (workers/process.ts) with two seams set from this test-only environment:
 * - TEST_CLOCK_SHIFT_MS: the worker's clock runs this many ms ahead (a worker living weeks in the future);
 * - TEST_ANALYSIS_DELAY_MS: each analysis pauses this long once its version is `analysing`, so a test can kill
 *   the worker mid-job.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { shiftedClock } from '../../server/clock';
import { runWorkerProcess } from '../../workers/process';

const shiftMs = Number(process.env.TEST_CLOCK_SHIFT_MS ?? 0);
const analysisDelayMs = Number(process.env.TEST_ANALYSIS_DELAY_MS ?? 0);

await runWorkerProcess({
  clock: shiftedClock(shiftMs),
  ...(analysisDelayMs > 0 ? { pauseWhileAnalysing: () => sleep(analysisDelayMs) } : {}),
});
