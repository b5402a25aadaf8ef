/**
 * Rate limits for the public and login endpoints, counted in Redis so that every API process shares the tally.
 * While Redis is away they are counted per process instead (with a warning in the log), so logging in and
 * reporting keep working: a Redis outage must never turn into a 500 or an unlimited endpoint.
 */
import type { RequestHandler } from 'express';
import { MemoryStore, rateLimit, type IncrementResponse, type Options, type Store, type ValueDeterminingMiddleware } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Logger } from '../logger';
import { RateLimitedError } from '../domain/errors';

const LOST: readonly string[] = ['reconnecting', 'close', 'end'];

/**
 * The shared Redis tally with a per-process one to fall back on. Redis is used unless its client has lost the
 * connection; a command that fails anyway falls back for that request. After a failure the Redis store is set up again
 * (its scripts are loaded anew), since Redis may have come back empty.
 */
export class RedisOrLocalStore implements Store {
  readonly prefix: string;
  private options?: Options;
  private shared: RedisStore;
  private readonly local = new MemoryStore();
  private degraded = false;

  constructor(private readonly redis: Redis, prefix: string, private readonly logger: Logger) {
    this.prefix = prefix;
    this.shared = this.newShared();
  }

  private newShared(): RedisStore {
    const store = new RedisStore({ prefix: this.prefix, sendCommand: (command: string, ...args: string[]) => this.redis.call(command, ...args) as Promise<RedisReply> });
    if (this.options) store.init(this.options).catch(() => { /* the next use notices and falls back */ });
    return store;
  }

  init(options: Options): void {
    this.options = options;
    this.local.init(options);
    this.shared.init(options).catch(() => { /* Redis may be down at start-up: counted locally until it is back */ });
  }

  private async use<T>(operation: (store: Store) => Promise<T>): Promise<T> {
    // While the client is still connecting (start-up) commands wait in its queue; once it has lost Redis they
    // would only fail after a reconnection attempt, so the local tally answers at once.
    if (!LOST.includes(this.redis.status)) {
      try {
        const result = await operation(this.shared);
        if (this.degraded) {
          this.degraded = false;
          this.logger.info({ limiter: this.prefix }, 'rate limit counted in Redis again');
        }
        return result;
      } catch (err) {
        this.shared = this.newShared();
        this.fallBack(err);
      }
    } else {
      this.fallBack(new Error(`redis connection ${this.redis.status}`));
    }
    return operation(this.local);
  }

  private fallBack(err: unknown): void {
    if (this.degraded) return;
    this.degraded = true;
    this.logger.warn({ limiter: this.prefix, err: (err as Error).message }, 'Redis unavailable: rate limit counted per process until it returns');
  }

  increment(key: string): Promise<IncrementResponse> {
    return this.use((store) => Promise.resolve(store.increment(key)));
  }

  decrement(key: string): Promise<void> {
    return this.use((store) => Promise.resolve(store.decrement(key)));
  }

  resetKey(key: string): Promise<void> {
    return this.use((store) => Promise.resolve(store.resetKey(key)));
  }
}

export interface LimitSpec {
  /** names the tally in Redis (under the deployment's key prefix) and in the log */
  name: string;
  windowMs: number;
  limit: number;
  /** count only requests that failed (4xx/5xx), e.g. wrong passwords */
  failedOnly: boolean;
  key: ValueDeterminingMiddleware<string>;
  code: string;
  message: string;
}

export interface LimitDeps {
  redis: Redis;
  logger: Logger;
  config: { QUEUE_PREFIX: string };
}

/** A limiter answering 429 problem+json with `code` and the Chinese `message` once `limit` is reached. */
export function limitRequests(deps: LimitDeps, spec: LimitSpec): RequestHandler {
  return rateLimit({
    windowMs: spec.windowMs,
    limit: spec.limit,
    skipSuccessfulRequests: spec.failedOnly,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: spec.key,
    store: new RedisOrLocalStore(deps.redis, `${deps.config.QUEUE_PREFIX}:${spec.name}:`, deps.logger),
    handler: (_req, _res, next) => next(new RateLimitedError(spec.code, spec.message)),
  });
}
