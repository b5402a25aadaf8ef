/** Builds the real app on real services and listens on port 0: what the HTTP integration tests talk to. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { systemClock, type Clock } from '../../server/clock';
import { createApp, type AppDeps } from '../../server/app';
import { loadConfig } from '../../server/config';
import { connectStore } from '../../server/db/connection';
import { bindModels, syncIndexes } from '../../server/db/models/index';
import { createLogger } from '../../server/logger';
import { createQueues, createRedis } from '../../server/queues';
import { isolatedStoreUri, requireEnv, uniquePrefix } from './services';

export interface TestApp {
  baseUrl: string;
  deps: AppDeps;
  storeUri: string;
  queuePrefix: string;
  close(): Promise<void>;
}

export async function startTestApp(options: { label: string; storeUri?: string; redisUrl?: string; env?: Record<string, string>; clock?: Clock }): Promise<TestApp> {
  const storeUri = options.storeUri ?? isolatedStoreUri(options.label);
  const redisUrl = options.redisUrl ?? requireEnv('REDIS_URL');
  const queuePrefix = uniquePrefix(options.label);
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', MONGODB_URI: storeUri, REDIS_URL: redisUrl, QUEUE_PREFIX: queuePrefix, ...options.env });
  const logger = createLogger(config.LOG_LEVEL);
  const store = await connectStore(storeUri);
  const models = bindModels(store);
  await syncIndexes(models);
  const redis = createRedis(redisUrl);
  const queues = createQueues(redisUrl, queuePrefix);
  const deps: AppDeps = { config, logger, store, models, redis, queues, version: 'test', clock: options.clock ?? systemClock };
  const server: Server = await new Promise((resolve) => {
    const s = createApp(deps).listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    deps,
    storeUri,
    queuePrefix,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await queues.close();
      redis.disconnect();
      await store.close();
    },
  };
}
