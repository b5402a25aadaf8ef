/** What the API app is built from (createApp in app.ts); routes receive it to reach the store, queues and clock. */
import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import type { Clock } from './clock';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Models } from './db/models/index';
import type { Queues } from './queues';

export interface AppDeps {
  config: Config;
  logger: Logger;
  store: Connection;
  models: Models;
  /** A client for health checks and small keys (rate limits); BullMQ queues hold their own. */
  redis: Redis;
  queues: Queues;
  version: string;
  /** the time the supervision routes decide with; the configured clock unless a test injects one */
  clock?: Clock;
}
