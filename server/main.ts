/** The API process: reads config, connects, listens, and shuts down gracefully. */
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { systemClock } from './clock';
import { loadConfigOrExit } from './config';
import { connectStore } from './db/connection';
import { bindModels, syncIndexes } from './db/models/index';
import { createLogger } from './logger';
import { appVersion } from './version';
import { createQueues, createRedis } from './queues';

const config = loadConfigOrExit();
const logger = createLogger(config.LOG_LEVEL, 'fairreview-api');
const store = await connectStore(config.MONGODB_URI);
const models = bindModels(store);
await syncIndexes(models);
const redis = createRedis(config.REDIS_URL);
const queues = createQueues(config.REDIS_URL, config.QUEUE_PREFIX);

const app = createApp({ config, logger, store, models, redis, queues, version: appVersion, clock: systemClock });
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
