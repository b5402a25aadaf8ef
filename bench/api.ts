/**
 * API load benchmark on loopback: `npm run bench -- api [duration=10] [connections=50] [sizes=100,1000,10000]`.
 *
 * Starts its own embedded store and Redis in a temporary folder and the real API process (`server/main.ts`), seeds
 * the demo accounts and policies up to each size (each with a short hash-chained history; inserted in bulk),
 * and drives it with autocannon, which stops by itself after `duration` seconds per workload:
 * - `list alone`: one client, the regulator's policy list (page 1, 20 rows);
 * - `list`, `detail`, `overview` (statistics), `mixed` (list, detail, list, detail, create: one write in five)
 *   at `connections` clients.
 * Prints req/s, p50 and p99 (ms), and the count of non-2xx answers, per size and workload, with the load average
 * before each size (other work on the machine changes the figures), and at the end all sizes as one Markdown table.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { connectStore } from '../server/db/connection';
import { bindModels, syncIndexes } from '../server/db/models/index';
import type { PolicyDoc } from '../server/db/models/policy';
import { publishInsertedPolicies } from '../server/db/policySummaries';
import { seedDemoData } from '../server/db/seed';
import { sealEvent } from '../server/domain/eventChain';
import type { Policy, PolicyEvent, PolicyState } from '../server/domain/policy';
import { newPolicy } from '../server/domain/policyWorkflow';
import { toActor } from '../server/domain/roles';
import { provisionRedis } from '../scripts/services/redis';
import { provisionStore } from '../scripts/services/store';
import { startBenchApi, waitUntilHealthy } from './support/browserSystem';


interface Figures { reqPerSec: number; p50Ms: number; p99Ms: number; non2xx: number; errors: number }

const STATES: PolicyState[] = ['self_review', 'concluded', 'published', 'draft'];

export default async function apiBench(options: Record<string, number | string> = {}) {
  const duration = Number(options.duration ?? 10);
  const connections = Number(options.connections ?? 50);
  const sizes = String(options.sizes ?? '100,1000,10000').split(',').map(Number);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fairreview-bench-api-'));
  const noExternal = { ...process.env, MONGODB_URI: '', REDIS_URL: '' };
  const [store, redis] = await Promise.all([
    provisionStore({ dataDir: path.join(tmp, 'store'), database: 'bench', env: noExternal, logFile: path.join(tmp, 'store.log') }),
    provisionRedis({ dataDir: path.join(tmp, 'redis'), persist: false, env: noExternal, logFile: path.join(tmp, 'redis.log') }),
  ]);
  const connection = await connectStore(store.uri);
  const models = bindModels(connection);
  let api: ChildProcess | undefined;
  try {
    await syncIndexes(models);
    await seedDemoData(models, 'demo1234');
    const started = await startBenchApi(store.uri, redis.url);
    api = started.api;
    const base = started.base;
    const token = async (username: string) => ((await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo1234' }) })).json()) as { token: string }).token;
    const regulator = { authorization: `Bearer ${await token('regulator')}` };
    const drafter = { authorization: `Bearer ${await token('drafter')}`, 'content-type': 'application/json' };

    const ids: string[] = [];
    const table: Array<{ policies: number; load1: number; workloads: Record<string, Figures> }> = [];
    for (const size of sizes) {
      await seedPolicies(models, size, ids);
      await waitUntilHealthy(base);
      // The bulk seeding makes the API reload every summary on its next request: a one-off, not what a request costs.
      await fetch(`${base}/api/v1/policies?page=1&pageSize=20`, { headers: regulator });
      const load1 = Number(os.loadavg()[0]!.toFixed(2));
      const detail = (request: { path?: string }) => ({ ...request, path: `/api/v1/policies/${ids[Math.floor(Math.random() * ids.length)]}` });
      const list = { method: 'GET' as const, path: '/api/v1/policies?page=1&pageSize=20', headers: regulator };
      const workloads: Record<string, Figures> = {
        'list alone': await load(base, duration, 1, [list]),
        list: await load(base, duration, connections, [list]),
        detail: await load(base, duration, connections, [{ method: 'GET', headers: regulator, setupRequest: detail }]),
        overview: await load(base, duration, connections, [{ method: 'GET', path: '/api/v1/stats/overview', headers: regulator }]),
        mixed: await load(base, duration, connections, [
          list,
          { method: 'GET', headers: regulator, setupRequest: detail },
          list,
          { method: 'GET', headers: regulator, setupRequest: detail },
          { method: 'POST', path: '/api/v1/policies', headers: drafter, body: JSON.stringify({ title: '压测新增的政策措施', kind: 'normative_document', issuingLevel: 'department' }) },
        ]),
      };
      table.push({ policies: size, load1, workloads });
      console.error(formatRow(size, load1, workloads));
    }
    console.error(formatTable(table, connections));
    return { durationSeconds: duration, connections, cpus: os.cpus().length, table };
  } finally {
    api?.kill('SIGTERM');
    await connection.close();
    await Promise.allSettled([store.stop(), redis.stop()]);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export async function load(base: string, duration: number, connections: number, requests: autocannon.Request[]): Promise<Figures> {
  const result = await autocannon({ url: base, duration, connections, requests, timeout: 60 });
  return {
    reqPerSec: Math.round(result.requests.average * 10) / 10,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/**
 * Policies up to `size`, drafted in turn by the `drafters` (by default the drafter's department), in several states,
 * each with a short valid history, inserted in bulk straight into the store, each batch's list summaries published
 * in one go (policySummaries.ts). Adds to `readable` the ids of the policies the regulator may read (not drafts), for
 * the detail workload. A step the busy store refuses (the API may still be working off the previous workload) is
 * tried again.
 */
export async function seedPolicies(models: ReturnType<typeof bindModels>, size: number, readable: string[], drafters: readonly string[] = ['drafter']): Promise<void> {
  const actors = await Promise.all(drafters.map(async (username) => toActor((await retrying('reading the drafters', () => models.User.findOne({ username }).lean()))!)));
  let have = await retrying('counting policies', () => models.Policy.estimatedDocumentCount());
  while (have < size) {
    const batch = Array.from({ length: Math.min(500, size - have) }, (_, i) => {
      const n = have + i;
      const at = new Date(Date.UTC(2025, 0, 1) + n * 60_000);
      const actor = actors[n % actors.length]!;
      const policy = newPolicy(actor, { title: `压测政策措施第${n}号：关于促进商贸流通业发展的若干措施`, kind: 'normative_document', issuingLevel: 'department', industries: ['商贸流通'] }, at);
      const events: PolicyEvent[] = [...policy.events];
      for (let step = 0; step < 4; step++) {
        events.push(sealEvent({ actor: { id: actor.id, username: actor.username }, action: 'update_self_review', from: 'self_review', to: 'self_review', at: new Date(at.getTime() + step * 1000).toISOString(), comment: '逐项对照审查标准填写审查意见。'.repeat(10), data: {} }, events));
      }
      const state = STATES[n % STATES.length]!;
      return { ...policy, state, events, ...(state === 'published' ? { publication: { docNumber: `商发〔2025〕${n}号`, publishedOn: '2025-06-01' } } : {}) } as Omit<Policy, 'id'>;
    });
    const inserted = await retrying('inserting policies', () => models.Policy.insertMany(batch));
    const docs = inserted.map((doc) => doc.toObject() as PolicyDoc & { _id: unknown });
    await retrying('publishing their list summaries', () => publishInsertedPolicies(models, docs));
    readable.push(...docs.filter((doc) => doc.state !== 'draft').map((doc) => String(doc._id)));
    have += inserted.length;
  }
}

async function retrying<T>(what: string, step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      if (attempt === 10) throw err;
      console.error(`[bench api] ${what}: ${(err as Error).message}; trying again`);
      await new Promise((resolve) => setTimeout(resolve, 2000 * attempt));
    }
  }
}

function formatRow(size: number, load1: number, workloads: Record<string, Figures>): string {
  const cells = Object.entries(workloads).map(([name, f]) => `${name}: ${f.reqPerSec} req/s p50 ${f.p50Ms} ms p99 ${f.p99Ms} ms${f.non2xx ? ` non2xx ${f.non2xx}` : ''}`);
  return `[bench api] ${size} policies (load ${load1}): ${cells.join(' | ')}`;
}

/** The figures of every size as one Markdown table: req/s, p50 and p99 (ms) per workload. */
function formatTable(table: Array<{ policies: number; load1: number; workloads: Record<string, Figures> }>, connections: number): string {
  const cell = (f: Figures) => `${f.reqPerSec} req/s, p50 ${f.p50Ms}, p99 ${f.p99Ms}${f.non2xx + f.errors ? ` (${f.non2xx} non-2xx, ${f.errors} errors)` : ''}`;
  const names = Object.keys(table[0]?.workloads ?? {});
  const lines = [
    `| policies | load (1 min) | ${names.map((n) => (n === 'list alone' ? 'list alone (1 client)' : `${n} (${connections} clients)`)).join(' | ')} |`,
    `|---|---|${names.map(() => '---').join('|')}|`,
    ...table.map((row) => `| ${row.policies} | ${row.load1} | ${names.map((n) => cell(row.workloads[n]!)).join(' | ')} |`),
  ];
  return lines.join('\n');
}
