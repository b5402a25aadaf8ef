import { z } from 'zod';

const booleanFlag = z.enum(['1', '0', 'true', 'false', 'yes', 'no']).transform((v) => v === '1' || v === 'true' || v === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * Express "trust proxy": behind a load balancer set it (e.g. `1` for one hop, or the proxy's address) so rate
   * limits count clients by their own address instead of the proxy's. Off by default.
   */
  TRUST_PROXY: z.string().default('false'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\/.+/, 'must be a mongodb:// or mongodb+srv:// URI'),
  REDIS_URL: z.string().regex(/^rediss?:\/\/.+/, 'must be a redis:// or rediss:// URL'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Demo mode seeds demo departments and accounts on an empty store. */
  FAIRREVIEW_DEMO: booleanFlag.default(false),
  FAIRREVIEW_DEMO_PASSWORD: z.string().min(6).default('demo1234'),
  /** Secret that signs session tokens; required outside demo mode and tests. */
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
  /** Largest ZIP a screening batch may be started from (streamed to the store, never held in memory). */
  MAX_BATCH_UPLOAD_BYTES: z.coerce.number().int().positive().default(2 * 1024 * 1024 * 1024),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** BullMQ key prefix (tests give each suite its own). */
  QUEUE_PREFIX: z.string().regex(/^[a-zA-Z0-9_-]+$/).default('fairreview'),
  /**
   * How long a worker's lock on an active job lasts, and how often workers look for jobs whose lock expired
   * (their worker died) to run them again. Tests lower both so a killed worker's job is picked up in seconds.
   */
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(200).default(30_000),
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(200).default(30_000),
  /**
   * How often a worker sweeps the outbox (work saved in the store whose job never reached Redis, files no record
   * references), and how old an unreferenced uploaded file must be before it is removed.
   */
  OUTBOX_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  ORPHAN_FILE_GRACE_MS: z.coerce.number().int().min(0).default(60 * 60_000),
  /** Tries per analysis job for transient faults, with exponential backoff starting at ANALYSIS_BACKOFF_MS. */
  ANALYSIS_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  ANALYSIS_BACKOFF_MS: z.coerce.number().int().min(10).default(2000),
});

export type Config = Omit<z.infer<typeof envSchema>, 'AUTH_SECRET'> & { AUTH_SECRET: string };

export class ConfigError extends Error {
  constructor(readonly variables: string[], message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once at start-up; the error names every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({ variable: String(issue.path[0]), message: issue.message }));
    throw new ConfigError(
      problems.map((p) => p.variable),
      `Invalid configuration: ${problems.map((p) => `${p.variable}: ${p.message}`).join('; ')}`,
    );
  }
  const config = parsed.data;
  if (!config.AUTH_SECRET) {
    if (config.NODE_ENV === 'production' && !config.FAIRREVIEW_DEMO) {
      throw new ConfigError(['AUTH_SECRET'], 'Invalid configuration: AUTH_SECRET: required in production (at least 32 characters)');
    }
    // Development, tests and demo mode: a per-process secret (sessions end when the server restarts).
    return { ...config, AUTH_SECRET: crypto.randomUUID() + crypto.randomUUID() };
  }
  return { ...config, AUTH_SECRET: config.AUTH_SECRET };
}

/** loadConfig() for a process entry point: a bad value prints the message naming the variable and exits 2. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}
