/** BullMQ against the real Redis: a round trip, and a retry with exponential backoff. */
import { expect } from 'chai';
import { QueueEvents, Worker, type Job } from 'bullmq';
import { createQueues, createRedis, type AnalysisJob, type Queues } from '../../../server/queues';
import { requireEnv, uniquePrefix } from '../../support/services';

describe('BullMQ on real Redis', function () {
  let queues: Queues;
  let prefix: string;
  const closers: Array<() => Promise<unknown>> = [];

  beforeEach(function () {
    prefix = uniquePrefix('queues');
    queues = createQueues(requireEnv('REDIS_URL'), prefix);
    closers.push(() => queues.close());
  });
  afterEach(async function () {
    while (closers.length) await closers.pop()!();
  });

  function startWorker(process: (job: Job<AnalysisJob>) => Promise<unknown>) {
    const worker = new Worker<AnalysisJob>('analysis', process, { connection: createRedis(requireEnv('REDIS_URL'), { blocking: true }), prefix });
    const events = new QueueEvents('analysis', { connection: createRedis(requireEnv('REDIS_URL'), { blocking: true }), prefix });
    closers.push(() => worker.close(), () => events.close());
    return { worker, events };
  }

  it('enqueues a typed job, processes it and returns its result', async function () {
    const { events } = startWorker(async (job) => ({ doubled: job.data.version * 2, policy: job.data.policyId }));
    await events.waitUntilReady();
    const job = await queues.analysis.add('analyse', { policyId: 'p1', version: 21 });
    const result = await job.waitUntilFinished(events, 10_000);
    expect(result).to.deep.equal({ doubled: 42, policy: 'p1' });
  });

  it('retries a failing job with exponential backoff until it succeeds', async function () {
    const attemptsAt: number[] = [];
    const { events } = startWorker(async (job) => {
      attemptsAt.push(Date.now());
      if (job.attemptsMade < 2) throw new Error('transient fault');
      return 'done';
    });
    await events.waitUntilReady();
    const job = await queues.analysis.add('analyse', { policyId: 'p2', version: 1 }, { attempts: 4, backoff: { type: 'exponential', delay: 200 } });
    expect(await job.waitUntilFinished(events, 15_000)).to.equal('done');
    expect(attemptsAt).to.have.length(3);
    const gaps = [attemptsAt[1]! - attemptsAt[0]!, attemptsAt[2]! - attemptsAt[1]!];
    expect(gaps[0]).to.be.at.least(190);      // first retry after ~200 ms
    expect(gaps[1]).to.be.at.least(390);      // then ~400 ms: the delay doubles
    const finished = await queues.analysis.getJob(job.id!);
    expect(finished?.attemptsMade).to.equal(3);
  });
});
