/**
 * Queue names and their typed payloads, shared by the server (which enqueues) and the workers (which process).
 * Each processor is idempotent: a job may run again after a crash or a retry.
 */
import { Queue, type JobsOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';

export interface AnalysisJob { policyId: string; version: number }
export interface ReportJob { reportId: string }
/**
 * A complaint deadline's reminder to the assignee (`remind`) or its expiry (`due`: a supplement request lapses,
 * a verification is marked overdue). `dueAt` is the deadline the job was scheduled for: one since extended or
 * replaced is refused by the domain, so a stale job does nothing.
 */
export interface ReminderJob { complaintId: string; deadline: 'supplement' | 'verification'; step: 'remind' | 'due'; dueAt: string }

/** Screen one document of a screening batch (存量清理). */
export interface ScreeningJob { batchId: string; documentId: string }
/** Unpack a screening batch's uploaded ZIP into documents. */
export interface ScreeningIngestJob { batchId: string }

export interface JobPayloads {
  analysis: AnalysisJob;
  reports: ReportJob;
  reminders: ReminderJob;
  screening: ScreeningJob;
  screeningIngest: ScreeningIngestJob;
}
export type QueueName = keyof JobPayloads;

/** One analysis job per (policy, version): adding it again while it exists is a no-op. */
export function analysisJobId(job: AnalysisJob): string {
  return `analysis:${job.policyId}:${job.version}`;
}
/** Job states in which a worker will still run the job. */
export const LIVE_JOB_STATES: readonly string[] = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'];

export const queueNames: QueueName[] = ['analysis', 'reports', 'reminders', 'screening', 'screeningIngest'];

/** Retries with exponential backoff on transient faults; finished jobs are trimmed. */
export const defaultJobOptions: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 5000 },
};

export type Queues = { [K in QueueName]: Queue<JobPayloads[K]> } & { close(): Promise<void> };

/**
 * A Redis client. `blocking` clients (BullMQ workers) must retry forever; others give up on a command after one
 * failed reconnection attempt, so an HTTP request fails fast while Redis is away instead of hanging; all of them
 * reconnect by themselves when it returns.
 */
export function createRedis(url: string, { blocking = false }: { blocking?: boolean } = {}): Redis {
  const options: RedisOptions = blocking
    ? { maxRetriesPerRequest: null }
    : { maxRetriesPerRequest: 1, connectTimeout: 2000 };
  const client = new Redis(url, { ...options, retryStrategy: (times) => Math.min(times * 200, 2000) });
  client.on('error', () => { /* reconnects by itself; /health reports the outage */ });
  return client;
}

export function createQueues(redisUrl: string, prefix = 'fairreview'): Queues {
  const connection = createRedis(redisUrl);
  const make = <K extends QueueName>(name: K) => {
    const queue = new Queue<JobPayloads[K]>(name, { connection, prefix, defaultJobOptions });
    queue.on('error', () => { /* a Redis outage: adding a job fails and /health reports it */ });
    return queue;
  };
  const queues = { analysis: make('analysis'), reports: make('reports'), reminders: make('reminders'), screening: make('screening'), screeningIngest: make('screeningIngest') };
  return {
    ...queues,
    async close() {
      await Promise.all(Object.values(queues).map((q) => q.close()));
      connection.disconnect();
    },
  };
}
