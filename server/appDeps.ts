/** What the API app is built from (createApp in app.ts): the use cases' dependencies plus what only HTTP needs. */
import type { Redis } from 'ioredis';
import type { ServiceDeps } from './services/deps';

export interface AppDeps extends ServiceDeps {
  /** A client for health checks and small keys (rate limits); BullMQ queues hold their own. */
  redis: Redis;
  version: string;
}
