/**
 * The registry of BullMQ processors, one file each. A processor receives the job and the worker's
 * dependencies; it must be idempotent (a job can run again after a crash or a retry).
 */
import type { Job } from 'bullmq';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { Clock } from '../server/clock';
import type { Config } from '../server/config';
import type { Models } from '../server/db/models/index';
import type { JobPayloads, QueueName, Queues } from './queues';
import { renderReport } from './processors/renderReport';
import { analysePolicyVersion } from './processors/analysePolicyVersion';
import { complaintDeadlines } from './processors/complaintDeadlines';

export interface WorkerDeps {
  config: Config;
  logger: Logger;
  store: Connection;
  models: Models;
  queues: Queues;
  /** the time processors decide with; the system clock unless a test injects one */
  clock?: Clock;
}

export interface Processor<K extends QueueName = QueueName> {
  queue: K;
  process(job: Job<JobPayloads[K]>, deps: WorkerDeps): Promise<unknown>;
  /** Called once a job has failed for good, including a job that stalled too often and never reached `process`. */
  onFinalFailure?(job: Job<JobPayloads[K]>, err: Error, deps: WorkerDeps): Promise<void>;
}

export const processors: Processor[] = [complaintDeadlines as Processor, analysePolicyVersion as Processor, renderReport as Processor];
