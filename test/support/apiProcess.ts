/**
 * A real API process (the production API through test/support/apiEntry.ts, which may halt its uploads) on a test
 * app's store and queue prefix, for the tests that kill the API the way a crash would.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../scripts/services/ports';
import type { TestApp } from './testApp';
import { waitFor } from './waitFor';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ApiProcess {
  baseUrl: string;
  output(): string;
  /** SIGKILL: the API dies wherever it is */
  kill(): Promise<void>;
}

export async function startApiProcess(app: TestApp, env: Record<string, string> = {}): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/apiEntry.ts'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(port), MONGODB_URI: app.storeUri, REDIS_URL: app.deps.config.REDIS_URL, QUEUE_PREFIX: app.queuePrefix, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => { log += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { log += chunk.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor('the API process to listen', async () => {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}:\n${log}`);
    return log.includes('"api listening"') ? true : undefined;
  }, { intervalMs: 100 });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => log,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
