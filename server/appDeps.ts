/** What the API app is built from (createApp in app.ts): the use cases' dependencies plus what only HTTP needs. */
import type { Redis } from 'ioredis';
import type { UploadDeps } from './services/policyVersions';

export interface AppDeps extends UploadDeps {
  /** A client for health checks and small keys (rate limits); BullMQ queues hold their own. */
  redis: Redis;
  version: string;
}
