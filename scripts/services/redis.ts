/**
 * Redis 7 for BullMQ: REDIS_URL when set; else a local redis-server on a free port on 127.0.0.1,
 * installing Debian's `redis-server` package first when it is missing and we run as root.
 */
import fs from 'node:fs';
import { freePort, waitForPort } from './ports';
import { aptGet, run, startProcess, which, type ManagedProcess } from './childProcess';
import { ProvisioningError } from './store';

export interface ProvisionedRedis {
  url: string;
  kind: 'external' | 'local';
  process?: ManagedProcess;
  port?: number;
  stop(): Promise<void>;
}

export interface RedisOptions {
  dataDir: string;
  /** Append-only persistence (on for `npm start`, off for tests). */
  persist: boolean;
  port?: number;
  env?: NodeJS.ProcessEnv;
  logFile?: string;
}

export async function provisionRedis(options: RedisOptions): Promise<ProvisionedRedis> {
  const env = options.env ?? process.env;
  if (env.REDIS_URL) return { url: env.REDIS_URL, kind: 'external', stop: async () => {} };

  const binary = await ensureRedisServer();
  fs.mkdirSync(options.dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const persistence = options.persist ? ['--appendonly', 'yes', '--save', '60 1'] : ['--appendonly', 'no', '--save', ''];
  const proc = startProcess('redis', binary, [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', options.dataDir,
    '--daemonize', 'no', '--maxmemory-policy', 'noeviction', ...persistence,
  ], { logFile: options.logFile });
  try {
    await waitForPort(port, { isAlive: proc.isAlive, timeoutMs: 20_000 });
  } catch (err) {
    await proc.stop();
    throw new ProvisioningError(`Redis 未能启动: ${(err as Error).message}`);
  }
  return { url: `redis://127.0.0.1:${port}`, kind: 'local', process: proc, port, stop: () => proc.stop() };
}

async function ensureRedisServer(): Promise<string> {
  const found = which('redis-server') ?? (fs.existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : undefined);
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !which('apt-get')) {
    throw new ProvisioningError('没有可用的 Redis: 未设置 REDIS_URL, 且未安装 redis-server。请安装 Redis 7 (Debian/Ubuntu: sudo apt-get install redis-server) 或设置 REDIS_URL。');
  }
  console.log('[redis] redis-server is missing: installing the Debian package redis-server');
  let code = await aptGet(['install', '-y', '-qq', '--no-install-recommends', 'redis-server']);
  if (code !== 0) {
    await aptGet(['update', '-qq']);
    code = await aptGet(['install', '-y', '-qq', '--no-install-recommends', 'redis-server']);
  }
  // The package starts a system-wide instance on 6379; we run our own on a free port, so stop that one.
  if (which('service')) await run('service', ['redis-server', 'stop'], { stdio: 'ignore' });
  const installed = which('redis-server') ?? '/usr/bin/redis-server';
  if (code !== 0 || !fs.existsSync(installed)) throw new ProvisioningError(`安装 redis-server 失败 (apt-get 退出码 ${code})。请手动安装 Redis 7 或设置 REDIS_URL。`);
  return installed;
}
