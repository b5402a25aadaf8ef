/** What the screening use cases need; the API and the worker both hand in their own. */
import type { Connection } from 'mongoose';
import type { Queue } from 'bullmq';
import type { Clock } from '../../clock';
import type { Models } from '../../db/models/index';
import type { ScreeningIngestJob, ScreeningJob } from '../../queues';

export interface ScreeningDeps {
  models: Models;
  store: Connection;
  queues: { screening: Queue<ScreeningJob>; screeningIngest: Queue<ScreeningIngestJob> };
  config: { MAX_UPLOAD_BYTES: number };
  clock?: Clock;
}

export function now(deps: Pick<ScreeningDeps, 'clock'>): Date {
  return deps.clock ? deps.clock() : new Date();
}
