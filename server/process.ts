/**
 * The API process: reads config, connects, listens, and shuts down gracefully. `server/main.ts` starts it with the
 * system clock; the tests' API entry (test/support/apiEntry.ts) starts the very same process with a halt in the
 * upload, injected here rather than read from the environment.
 */
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import type { AppDeps } from './appDeps';
import { loadConfigOrExit } from './config';
import { connectStore } from './db/connection';
import { bindModels, syncIndexes } from './db/models/index';
import { createLogger } from './logger';
import { appVersion } from './version';
import { createQueues, createRedis } from './queues';

/** What an API process may be started with besides its configuration. */
export type ApiSeams = Pick<AppDeps, 'clock' | 'afterUploadStep'>;

export async function runApiProcess(seams: ApiSeams): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.LOG_LEVEL, 'fairreview-api');
  const store = await connectStore(config.MONGODB_URI);
  const models = bindModels(store);
  await syncIndexes(models);
  const redis = createRedis(config.REDIS_URL);
  const queues = createQueues(config.REDIS_URL, config.QUEUE_PREFIX);

  const app = createApp({ config, logger, store, models, redis, queues, version: appVersion, ...seams });
  const server = app.listen(config.PORT, config.HOST, () => {
    const { port } = server.address() as AddressInfo;
    logger.info({ url: `http://${config.HOST}:${port}` }, 'api listening');
  });

  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'api stopping');
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await queues.close();
    redis.disconnect();
    await store.close();
    logger.info('api stopped');
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
