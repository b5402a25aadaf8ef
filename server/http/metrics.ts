/**
 * GET /metrics in the Prometheus text format (prom-client): HTTP latency by route, the job queues (jobs per state,
 * including completed and failed, and the run time of recent jobs), whether the store and Redis answer, and the
 * process's own figures. One registry per app, so tests can build several apps in one process.
 * /metrics answers anyone who reaches it: keep it off the public load balancer and scrape it from the inside.
 */
import { Router, type RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppDeps } from '../appDeps';
import { pingStore, withTimeout } from '../db/connection';
import { queueNames } from '../queues';

const JOB_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;
/** How many of the most recent completed jobs of each queue the run-time figures are taken from. */
const RECENT_JOBS = 100;

export interface AppMetrics {
  /** records every request's latency under its route pattern (e.g. /api/v1/policies/:id) */
  recordRequests: RequestHandler;
  routes: Router;
}

export function appMetrics(deps: AppDeps): AppMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'fairreview-api' });
  collectDefaultMetrics({ register: registry, prefix: 'fairreview_' });

  const latency = new Histogram({
    name: 'fairreview_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const scrapeFailures = new Counter({ name: 'fairreview_metrics_scrape_failures_total', help: 'Parts of a scrape that could not be read (e.g. queues while Redis is away)', labelNames: ['part'], registers: [registry] });

  new Gauge({
    name: 'fairreview_up',
    help: 'Whether a backing service answers (1) or not (0)',
    labelNames: ['component'],
    registers: [registry],
    async collect() {
      const answers = async (probe: () => Promise<unknown>) => probe().then(() => 1, () => 0);
      this.set({ component: 'store' }, await answers(() => pingStore(deps.store)));
      this.set({ component: 'redis' }, await answers(() => withTimeout(deps.redis.ping(), 1500, 'redis ping timed out')));
    },
  });
  new Gauge({
    name: 'fairreview_queue_jobs',
    help: 'Jobs per queue and state (completed and failed: those BullMQ still keeps)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const name of queueNames) {
        try {
          const counts = await deps.queues[name].getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES) this.set({ queue: name, state }, counts[state] ?? 0);
        } catch {
          scrapeFailures.inc({ part: `queue:${name}` });
        }
      }
    },
  });
  new Gauge({
    name: 'fairreview_queue_recent_job_seconds',
    help: `Run time of the last ${RECENT_JOBS} completed jobs per queue (median and 99th percentile)`,
    labelNames: ['queue', 'quantile'],
    registers: [registry],
    async collect() {
      for (const name of queueNames) {
        try {
          const jobs = await deps.queues[name].getJobs(['completed'], 0, RECENT_JOBS - 1);
          const seconds = jobs.filter((j) => j.finishedOn && j.processedOn).map((j) => (j.finishedOn! - j.processedOn!) / 1000).sort((a, b) => a - b);
          if (seconds.length === 0) continue;
          this.set({ queue: name, quantile: '0.5' }, seconds[Math.floor(seconds.length * 0.5)]!);
          this.set({ queue: name, quantile: '0.99' }, seconds[Math.min(seconds.length - 1, Math.floor(seconds.length * 0.99))]!);
        } catch {
          scrapeFailures.inc({ part: `jobs:${name}` });
        }
      }
    },
  });

  const recordRequests: RequestHandler = (req, res, next) => {
    const end = latency.startTimer();
    res.once('finish', () => {
      // the pattern the request matched, not its path, so ids do not make a series each
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };

  const routes = Router();
  routes.get('/metrics', async (_req, res, next) => {
    try {
      res.type(registry.contentType).send(await registry.metrics());
    } catch (err) {
      next(err);
    }
  });
  return { recordRequests, routes };
}
