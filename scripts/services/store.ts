/**
 * The MongoDB-compatible store, in this order of preference:
 *   1. MONGODB_URI, when set: used as it is (production: a MongoDB 7 replica set).
 *   2. a `mongod` on PATH: started on a free port with its own data dir.
 *   3. the embedded store: FerretDB v1.24.2 with its SQLite backend, run from our own Go main in
 *      scripts/ferretdb (FerretDB's own `go install`ed binary panics at start-up for want of a generated
 *      version file; its embeddable package does not). Built once per source hash into a machine-wide cache.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForPort } from './ports';
import { run, startProcess, which, type ManagedProcess } from './childProcess';

const ferretSourceDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'ferretdb');

export interface ProvisionedStore {
  uri: string;
  kind: 'external' | 'mongod' | 'ferretdb';
  /** Set when we started the server ourselves. */
  process?: ManagedProcess;
  port?: number;
  stop(): Promise<void>;
}

export interface StoreOptions {
  /** Folder for the store's data files. */
  dataDir: string;
  /** Database name in the URI. */
  database?: string;
  /** Fixed port (e.g. to restart on the same address); a free one otherwise. */
  port?: number;
  env?: NodeJS.ProcessEnv;
  logFile?: string;
}

export class ProvisioningError extends Error {}

export async function provisionStore(options: StoreOptions): Promise<ProvisionedStore> {
  const env = options.env ?? process.env;
  const database = options.database ?? 'fairreview';
  if (env.MONGODB_URI) {
    return { uri: env.MONGODB_URI, kind: 'external', stop: async () => {} };
  }
  fs.mkdirSync(options.dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const mongod = which('mongod');
  if (mongod) {
    const proc = startProcess('mongod', mongod, ['--port', String(port), '--bind_ip', '127.0.0.1', '--dbpath', options.dataDir], { logFile: options.logFile });
    await waitForPort(port, { isAlive: proc.isAlive, timeoutMs: 60_000 });
    return { uri: `mongodb://127.0.0.1:${port}/${database}`, kind: 'mongod', process: proc, port, stop: () => proc.stop() };
  }
  const binary = await ensureEmbeddedStoreBinary(env);
  const proc = startProcess('ferretdb', binary, ['--listen', `127.0.0.1:${port}`, '--dir', options.dataDir], { logFile: options.logFile });
  try {
    await waitForPort(port, { isAlive: proc.isAlive, timeoutMs: 30_000 });
  } catch (err) {
    await proc.stop();
    throw new ProvisioningError(`嵌入式存储 (FerretDB) 未能启动: ${(err as Error).message}${options.logFile ? `; 见日志 ${options.logFile}` : ''}`);
  }
  return { uri: `mongodb://127.0.0.1:${port}/${database}`, kind: 'ferretdb', process: proc, port, stop: () => proc.stop() };
}

/** Where built binaries are cached: outside the work tree, so a fresh clone on the same machine reuses them. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.FAIRREVIEW_CACHE_DIR ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'fairreview');
}

/** Builds the embedded store with the machine's Go toolchain, once per hash of its sources. */
export async function ensureEmbeddedStoreBinary(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const hash = crypto.createHash('sha256');
  const sources = fs.readdirSync(ferretSourceDir).filter((f) => f.endsWith('.go') || f === 'go.mod' || f === 'go.sum').sort();
  for (const file of sources) hash.update(file).update(fs.readFileSync(path.join(ferretSourceDir, file)));
  const binDir = path.join(cacheDir(env), `store-${hash.digest('hex').slice(0, 16)}`);
  const binary = path.join(binDir, 'fairreview-store');
  if (fs.existsSync(binary)) return binary;

  const go = which('go') ?? (fs.existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) {
    throw new ProvisioningError(
      '没有可用的存储: 未设置 MONGODB_URI, PATH 中没有 mongod, 也没有 Go 工具链来构建嵌入式存储。' +
        '请安装 Go 1.23 或更新版本 (https://go.dev/doc/install), 或安装 MongoDB 7 的 mongod, 或设置 MONGODB_URI。',
    );
  }
  fs.mkdirSync(binDir, { recursive: true });
  const partial = `${binary}.${process.pid}.partial`;
  console.log(`[store] building the embedded store (FerretDB v1.24.2, SQLite) into ${binDir} — first run only, about a minute`);
  const code = await run(go, ['build', '-trimpath', '-o', partial, '.'], { cwd: ferretSourceDir, env: { ...env, CGO_ENABLED: '0' } });
  if (code !== 0 || !fs.existsSync(partial)) {
    throw new ProvisioningError(`构建嵌入式存储失败 (go build 退出码 ${code})。请检查 Go 模块代理是否可达 (go env GOPROXY), 或设置 MONGODB_URI。`);
  }
  fs.renameSync(partial, binary);
  for (const old of fs.readdirSync(cacheDir(env))) {
    if (old.startsWith('store-') && path.join(cacheDir(env), old) !== binDir) fs.rmSync(path.join(cacheDir(env), old), { recursive: true, force: true });
  }
  return binary;
}
