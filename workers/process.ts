/**
 * The worker process: runs every registered processor on its queue and shuts down gracefully. `workers/main.ts`
 * starts it with the system clock; the tests' worker entry (test/support/workerEntry.ts) starts the very same
 * process with a moved clock or a pause in the analysis, injected here rather than read from the environment.
 */
import { Worker } from 'bullmq';
import { loadConfigOrExit } from '../server/config';
import { connectStore } from '../server/db/connection';
import { bindModels, syncIndexes } from '../server/db/models/index';
import { createLogger } from '../server/logger';
import { workingDayCalendar } from '../server/services/calendar';
import { resyncDeadlineJobs } from '../server/services/deadlineJobs';
import { recountProvisionalDeadlines } from '../server/services/deadlineRecount';
import { sweepOutbox } from '../server/services/outbox';
import { openPendingRechecks } from '../server/services/rechecks';
import type { WorkerDeps } from './processor';
import { processors } from './processors';
import { createQueues, createRedis, type QueueName } from '../server/queues';
import { resumeUnfinishedBatches } from '../server/services/screening/batches';
import { loadAnalyzer } from './analysis/analyze';

/** What a worker process may be started with besides its configuration. */
export type WorkerSeams = Pick<WorkerDeps, 'clock' | 'pauseWhileAnalysing'>;

export async function runWorkerProcess(seams: WorkerSeams): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.LOG_LEVEL, 'fairreview-worker');
  const store = await connectStore(config.MONGODB_URI);
  const models = bindModels(store);
  await syncIndexes(models);
  const queues = createQueues(config.REDIS_URL, config.QUEUE_PREFIX);
  const deps: WorkerDeps = { config, logger, store, models, queues, ...seams };
  const { clock } = deps;

  // Provisional deadlines a loaded holiday schedule now covers are counted on it (the API may have stopped
  // between loading the schedule and recounting them).
  await workingDayCalendar(deps)
    .then((calendar) => recountProvisionalDeadlines(deps, calendar, clock()))
    .then(
      (recounted) => logger.info({ recounted: recounted.length }, 'provisional deadlines recounted'),
      (err: unknown) => logger.error({ err }, 'could not recount provisional deadlines'),
    );
  // Deadline jobs that could not be queued, or that Redis lost, are scheduled again (a no-op for the others).
  await resyncDeadlineJobs(models, queues.reminders, clock()).then(
    (jobs) => logger.info({ jobs }, 'deadline jobs resynced'),
    (err: unknown) => logger.error({ err }, 'could not resync deadline jobs'),
  );
  await openPendingRechecks(models, clock()).then(
    (settled) => {
      const notOpened = settled.filter((r) => r.status === 'dropped' || r.status === 'kept');
      logger[notOpened.length > 0 ? 'warn' : 'info']({ rechecks: settled.length, notOpened }, 'pending policy rechecks carried out');
    },
    (err: unknown) => logger.error({ err }, 'could not open pending policy rechecks'),
  );

  // Screening batches interrupted by a restart carry on: unfinished unpacking and waiting documents are queued again.
  await resumeUnfinishedBatches(deps).then(
    (resumed) => logger.info(resumed, 'screening batches resumed'),
    (err: unknown) => logger.error({ err }, 'could not resume screening batches'),
  );

  // The analyser builds its engine once (about a second of CPU on this event loop): done before taking jobs, so no
  // job's lock has to outlast it. A failure here is reported by the jobs that need the analyser.
  try {
    loadAnalyzer();
  } catch (err) {
    logger.error({ err }, 'analyser could not be loaded');
  }

  const workers = processors.map((processor) => {
    const worker = new Worker(processor.queue, (job) => processor.process(job as never, deps), {
      connection: createRedis(config.REDIS_URL, { blocking: true }),
      prefix: config.QUEUE_PREFIX,
      concurrency: config.WORKER_CONCURRENCY,
      lockDuration: config.WORKER_LOCK_DURATION_MS,
      stalledInterval: config.WORKER_STALLED_INTERVAL_MS,
      ...(processor.maxStalledCount !== undefined && { maxStalledCount: processor.maxStalledCount }),
    });
    worker.on('failed', (job, err) => {
      logger.warn({ queue: processor.queue, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'job failed');
      // A retry is pending unless the job now sits in the failed set.
      if (job && processor.onFinalFailure) {
        void job.isFailed()
          .then((final) => (final ? processor.onFinalFailure?.(job as never, err, deps) : undefined))
          .catch((hookErr: unknown) => logger.error({ queue: processor.queue, jobId: job.id, err: hookErr }, 'final-failure handler failed'));
      }
    });
    worker.on('error', (err) => logger.error({ queue: processor.queue, err: err.message }, 'worker error'));
    return worker;
  });
  logger.info({ queues: processors.map((p) => p.queue satisfies QueueName) }, 'worker started');

  // The outbox: work saved in the store whose job never reached Redis is queued, orphaned uploads are removed; at
  // start-up and periodically (every worker sweeps; job ids make a second sweep's work a no-op).
  let previousSweep: Date | undefined;
  async function sweep() {
    try {
      const started = clock();
      const swept = await sweepOutbox(deps, started, previousSweep);
      previousSweep = started;
      const found = swept.versionsQueued.length + swept.reportsQueued.length + swept.screeningDocumentsQueued + swept.filesRemoved.length + swept.summariesRepaired;
      logger[found > 0 ? 'warn' : 'debug']({ ...swept }, 'outbox swept');
    } catch (err) {
      logger.error({ err }, 'outbox sweep failed');
    }
  }
  void sweep();
  const sweeper = setInterval(() => void sweep(), config.OUTBOX_SWEEP_INTERVAL_MS);

  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping: finishing active jobs');
    clearInterval(sweeper);
    await Promise.all(workers.map((w) => w.close()));
    await queues.close();
    await store.close();
    logger.info('worker stopped');
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
