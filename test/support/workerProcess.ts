/**
 * A real worker process (the production worker through test/support/workerEntry.ts, which may move its clock or
 * pause its analyses) on a test app's store and queue prefix, for the tests that need background jobs to run the
 * way they do in production, and to be killed like a crashed one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestApp } from './testApp';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface WorkerProcess {
  child: ChildProcess;
  /** everything the worker logged so far */
  output(): string;
  /** SIGKILL: the worker dies without finishing or releasing its jobs */
  kill(): Promise<void>;
  /** SIGTERM: a graceful stop */
  stop(): Promise<void>;
}

/**
 * Short locks so that a killed worker's job is taken over within seconds, yet long enough that a live worker on
 * a busy machine renews its lock in time (a lapsed lock makes BullMQ count a healthy job as stalled).
 */
export const FAST_RECOVERY = { WORKER_LOCK_DURATION_MS: '5000', WORKER_STALLED_INTERVAL_MS: '1000' };

/** How long a worker may take to start (compile, connect, build the analyser) on a busy machine. */
const START_TIMEOUT_MS = 90_000;

export async function startWorker(app: TestApp, env: Record<string, string> = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/workerEntry.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      MONGODB_URI: app.storeUri,
      REDIS_URL: app.deps.config.REDIS_URL,
      QUEUE_PREFIX: app.queuePrefix,
      ...FAST_RECOVERY,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => { log += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { log += chunk.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  await new Promise<void>((resolve, reject) => {
    // generous: the worker builds the analyser before it takes jobs, and the machine runs several suites at once
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // a worker that never started must not outlive the test, still polling its queues
      reject(new Error(`worker did not start within ${START_TIMEOUT_MS} ms:\n${log}`));
    }, START_TIMEOUT_MS);
    const check = () => {
      if (log.includes('"worker started"')) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before starting:\n${log}`));
    });
  });

  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { child, output: () => log, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}
