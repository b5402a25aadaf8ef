/**
 * What a BullMQ processor is: it receives the job and the worker's dependencies, and must be idempotent (a job can
 * run again after a crash or a retry). The registry of processors is workers/processors.ts.
 */
import type { Job } from 'bullmq';
import type { JobPayloads, QueueName } from '../server/queues';
import type { ServiceDeps } from '../server/services/deps';

/** The use cases' dependencies, plus a seam the analysis offers tests. */
export interface WorkerDeps extends ServiceDeps {
  /**
   * Runs once a version is marked `analysing`, before the work starts. Production has none; the tests' worker
   * entry pauses here so that a test can kill the worker mid-analysis.
   */
  pauseWhileAnalysing?: () => Promise<void>;
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
