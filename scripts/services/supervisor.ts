/**
 * Keeps a child process running for `npm start`: when it exits without being asked to, it is started again after a
 * backoff (1 s, doubling up to 30 s; back to 1 s once it has stayed up for a minute), with one log line per exit
 * and per restart. Production uses systemd or a process manager instead (see the README).
 */
import type { ManagedProcess } from './childProcess';

export interface Supervised {
  readonly name: string;
  /** the running process, if any */
  current(): ManagedProcess | undefined;
  /** stops restarting, then stops the process */
  stop(): Promise<void>;
}

const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;
const STABLE_AFTER_MS = 60_000;

export async function supervise(name: string, start: () => Promise<ManagedProcess>, log: (line: string) => void): Promise<Supervised> {
  let proc: ManagedProcess | undefined;
  let stopping = false;
  let backoff = FIRST_BACKOFF_MS;
  let restarts = 0;
  let timer: NodeJS.Timeout | undefined;

  const launch = async (): Promise<void> => {
    const startedAt = Date.now();
    proc = await start();
    proc.child.once('exit', (code, signal) => {
      if (stopping) return;
      if (Date.now() - startedAt > STABLE_AFTER_MS) backoff = FIRST_BACKOFF_MS;
      restarts++;
      log(`[start] ${name} exited unexpectedly (${signal ?? `exit code ${code}`}); restarting in ${backoff / 1000} s (restart ${restarts})`);
      schedule();
    });
  };
  const schedule = () => {
    const wait = backoff;
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    timer = setTimeout(() => {
      if (stopping) return;
      launch().then(
        () => log(`[start] ${name} restarted (pid ${proc?.child.pid})`),
        (err: Error) => {
          log(`[start] ${name} could not be restarted: ${err.message}; trying again in ${backoff / 1000} s`);
          schedule();
        },
      );
    }, wait);
  };

  await launch();
  return {
    name,
    current: () => proc,
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await proc?.stop();
    },
  };
}
