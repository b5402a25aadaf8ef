/**
 * What a BullMQ processor is: it receives the job and the worker's dependencies, and must be idempotent (a job can
 * run again after a crash or a retry). The registry of processors is workers/processors.ts.
 */
import type { Job } from 'bullmq';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { Clock } from '../server/clock';
import type { Config } from '../server/config';
import type { Models } from '../server/db/models/index';
import type { JobPayloads, QueueName, Queues } from '../server/queues';

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
  /**
   * How often a job may lose its worker (lock lapsed: a crash, or a process too busy to renew it) before it fails for
   * good; BullMQ's default is 1.
   */
  maxStalledCount?: number;
  /** Called once a job has failed for good, including a job that stalled too often and never reached `process`. */
  onFinalFailure?(job: Job<JobPayloads[K]>, err: Error, deps: WorkerDeps): Promise<void>;
}
