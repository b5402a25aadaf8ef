/**
 * The API process as the tests start it (test/support/apiProcess.ts): the production API (server/process.ts) with
 * one seam set from this test-only environment:
 * - TEST_UPLOAD_HALT_AFTER=file_saved|version_saved: an upload stops for good after that step, as if the API died
 *   there; the process says so on its output, so the test knows when to kill it.
 */
import { systemClock } from '../../server/clock';
import { runApiProcess } from '../../server/process';
import type { UploadStep } from '../../server/services/policyVersions';

const haltAfter = process.env.TEST_UPLOAD_HALT_AFTER as UploadStep | undefined;

await runApiProcess({
  clock: systemClock,
  ...(haltAfter ? {
    afterUploadStep: async (step: UploadStep) => {
      if (step !== haltAfter) return;
      process.stdout.write(`${JSON.stringify({ msg: 'upload halted for a test', step })}\n`);
      await new Promise(() => undefined);
    },
  } : {}),
});
