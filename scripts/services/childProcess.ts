import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  isAlive(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns a long-running child whose output goes to `logFile` (or is inherited when none is given).
 * The child gets its own process group, so a terminal's Ctrl-C reaches only our own process, which then stops
 * its children itself and in order (API and worker before the store and Redis they still need while finishing).
 */
export function startProcess(name: string, command: string, args: string[], options: SpawnOptions & { logFile?: string } = {}): ManagedProcess {
  const { logFile, ...spawnOptions } = options;
  const out = logFile ? fs.openSync(logFile, 'a') : 'inherit';
  const child = spawn(command, args, { stdio: ['ignore', out, out], detached: true, ...spawnOptions });
  if (typeof out === 'number') fs.closeSync(out);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  child.once('error', () => { exited = true; });
  return {
    name,
    child,
    isAlive: () => !exited,
    async stop(graceMs = 10_000) {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}

/** Runs a command to completion, inheriting stdio; resolves with its exit code. */
export function run(command: string, args: string[], options: SpawnOptions = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.once('error', () => resolve(127));
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** The apt-get calls of this process, one after another. */
let aptQueue: Promise<unknown> = Promise.resolve();

/**
 * Runs apt-get non-interactively, after every earlier call of this process has ended, and waiting up to ten
 * minutes for a lock another process holds: on a fresh machine Redis and Chromium are installed at once, and
 * two apt-get runs side by side fail on dpkg's lock.
 */
export function aptGet(args: string[]): Promise<number> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const next = aptQueue.then(() => run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], { env }));
  aptQueue = next;
  return next;
}

/** Finds an executable on PATH, or undefined. */
export function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = `${dir}/${command}`;
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch { /* not here */ }
  }
  return undefined;
}
