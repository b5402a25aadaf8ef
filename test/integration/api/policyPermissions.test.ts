/**
 * The permission matrix: every policy route × every role (and no login) → the expected status.
 *
 * 401 without a login; 404 when the caller may not read the policy at all (the same answer as an unknown id,
 * so nothing leaks about other departments' drafts); 403 when they can read it but may not do this; 2xx
 * otherwise. Each request is one that succeeds for a permitted caller, so the status reflects permission only.
 * A permitted caller gets a fresh policy (their request changes it); refused callers share one, which must be
 * unchanged afterwards.
 */
import { expect } from 'chai';
import { client } from '../../support/http';
import { DEMO_USERNAMES, DRAFT_V2, PolicyFixtures, completeSelfReview, upload, usePolicyTestbed, type DemoUsername, type DemoUsers, type PolicyBody } from './policyHelpers';

type Caller = DemoUsername | 'anonymous';
const CALLERS: Caller[] = ['anonymous', ...DEMO_USERNAMES];
type Expected = Record<Caller, number>;

/** `status` for everyone, then exceptions; no login is always 401. */
function table(status: number, exceptions: Partial<Expected>): Expected {
  return { ...(Object.fromEntries(CALLERS.map((c) => [c, status])) as Expected), anonymous: 401, ...exceptions };
}

interface Target { id: string; rev: number; findingId: string }
interface Row {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'UPLOAD';
  path: (t: Target) => string;
  body?: (t: Target, u: DemoUsers) => unknown;
  /** builds the policy the request acts on; none for routes without one */
  fixture?: (f: PolicyFixtures) => Promise<string>;
  expected: Expected;
}

/** One published measure serves every read-only row: reads change nothing. */
let readable: Promise<string> | undefined;
const publishedOnce = (f: PolicyFixtures) => (readable ??= f.publishedAfterJointReview());

const MEMBERS_404 = { member1: 404, member2: 404, member3: 404 };
const OUTSIDERS_404 = { drafter2: 404, ...MEMBERS_404, evaluator: 404, handler: 404 };

const ROWS: Row[] = [
  {
    name: 'POST /policies (register a draft)',
    method: 'POST',
    path: () => '/api/v1/policies',
    body: () => ({ title: '测试措施', kind: 'other_measure', issuingLevel: 'department' }),
    expected: table(403, { drafter: 201, lead: 201, drafter2: 201 }),
  },
  { name: 'GET /policies', method: 'GET', path: () => '/api/v1/policies', expected: table(200, {}) },
  {
    name: 'GET /users?role=committee_member',
    method: 'GET',
    path: () => '/api/v1/users?role=committee_member',
    expected: table(403, { lead: 200, regulator: 200, admin: 200 }),
  },
  {
    name: 'GET /policies/:id of a draft (only its department and admins)',
    method: 'GET',
    path: (t) => `/api/v1/policies/${t.id}`,
    fixture: (f) => f.draft(),
    expected: table(404, { drafter: 200, lead: 200, admin: 200 }),
  },
  ...([
    ['GET /policies/:id', (t: Target) => `/api/v1/policies/${t.id}`],
    ['GET /policies/:id/versions/:n', (t: Target) => `/api/v1/policies/${t.id}/versions/1`],
    ['GET /policies/:id/versions/:n/file', (t: Target) => `/api/v1/policies/${t.id}/versions/1/file`],
    ['GET /policies/:id/versions/:n/findings', (t: Target) => `/api/v1/policies/${t.id}/versions/1/findings`],
    ['GET /policies/:id/versions/:n/text', (t: Target) => `/api/v1/policies/${t.id}/versions/1/text`],
    ['GET /policies/:id/findings', (t: Target) => `/api/v1/policies/${t.id}/findings`],
    ['GET /policies/:id/history', (t: Target) => `/api/v1/policies/${t.id}/history`],
    ['GET /policies/:id/history/verify', (t: Target) => `/api/v1/policies/${t.id}/history/verify`],
  ] as const).map(([name, path]): Row => ({
    name: `${name} of a published, jointly reviewed and evaluated measure (everyone involved)`,
    method: 'GET',
    path,
    fixture: publishedOnce,
    expected: table(200, { drafter2: 404 }),
  })),
  {
    name: 'GET /policies/:id/versions/:n/comparison of a measure with one version (nothing to compare)',
    method: 'GET',
    path: (t) => `/api/v1/policies/${t.id}/versions/1/comparison`,
    fixture: publishedOnce,
    expected: table(409, { drafter2: 404 }),
  },
  {
    name: 'POST /policies/:id/transitions start_review (draft)',
    method: 'POST',
    path: (t) => `/api/v1/policies/${t.id}/transitions`,
    body: (t) => ({ action: 'start_review', rev: t.rev }),
    fixture: (f) => f.draft(),
    expected: table(404, { drafter: 200, lead: 200, admin: 403 }),
  },
  {
    name: 'POST /policies/:id/transitions conclude (self-review of a department measure)',
    method: 'POST',
    path: (t) => `/api/v1/policies/${t.id}/transitions`,
    body: (t) => ({ action: 'conclude', rev: t.rev, outcome: 'compliant', reasoning: '符合' }),
    fixture: (f) => f.completeSelfReview(),
    expected: table(403, { lead: 200, ...OUTSIDERS_404 }),
  },
  {
    name: 'POST /policies/:id/transitions open_recheck (published)',
    method: 'POST',
    path: (t) => `/api/v1/policies/${t.id}/transitions`,
    body: (t) => ({ action: 'open_recheck', rev: t.rev, reason: '举报', source: 'complaint' }),
    fixture: (f) => f.published(),
    expected: table(403, { regulator: 200, handler: 200, drafter2: 404, ...MEMBERS_404, evaluator: 404 }),
  },
  {
    name: 'POST /policies/:id/transitions submit_evaluation (third-party evaluation)',
    method: 'POST',
    path: (t) => `/api/v1/policies/${t.id}/transitions`,
    body: (t) => ({ action: 'submit_evaluation', rev: t.rev, summary: '评估意见' }),
    fixture: (f) => f.evaluation(),
    expected: table(403, { evaluator: 200, drafter2: 404, ...MEMBERS_404, handler: 404 }),
  },
  {
    name: 'PUT /policies/:id/self-review',
    method: 'PUT',
    path: (t) => `/api/v1/policies/${t.id}/self-review`,
    body: (t) => completeSelfReview(t.rev),
    fixture: (f) => f.selfReview(),
    expected: table(403, { drafter: 200, lead: 200, ...OUTSIDERS_404 }),
  },
  {
    name: 'POST /policies/:id/joint-review/sign-offs',
    method: 'POST',
    path: (t) => `/api/v1/policies/${t.id}/joint-review/sign-offs`,
    body: () => ({ vote: 'approve' }),
    fixture: (f) => f.jointReview(),
    expected: table(403, { member1: 201, member2: 201, member3: 201, drafter2: 404, evaluator: 404, handler: 404 }),
  },
  {
    name: 'POST /policies/:id/versions (upload)',
    method: 'UPLOAD',
    path: (t) => t.id,
    fixture: (f) => f.selfReview(),
    expected: table(403, { drafter: 202, lead: 202, ...OUTSIDERS_404 }),
  },
  {
    name: 'POST /policies/:id/versions/:n/analysis (re-analyse a failed version)',
    method: 'POST',
    path: (t) => `/api/v1/policies/${t.id}/versions/2/analysis`,
    fixture: (f) => f.failedVersion(),
    expected: table(403, { drafter: 202, lead: 202, ...OUTSIDERS_404 }),
  },
  {
    name: 'PATCH /policies/:id/findings/:fid',
    method: 'PATCH',
    path: (t) => `/api/v1/policies/${t.id}/findings/${t.findingId}`,
    body: () => ({ status: 'dismissed', reason: '不构成限制' }),
    fixture: (f) => f.selfReview(),
    expected: table(403, { drafter: 200, lead: 200, regulator: 200, ...OUTSIDERS_404 }),
  },
];

describe('policy API permission matrix (every route × every role)', function () {
  this.timeout(120_000);
  const bed = usePolicyTestbed('permissions', { WORKER_CONCURRENCY: '8' });

  async function target(id: string): Promise<Target> {
    const policy = await bed.u.admin.api.get<PolicyBody>(`/api/v1/policies/${id}`);
    const findings = await bed.u.admin.api.get<{ items: Array<{ id: string }> }>(`/api/v1/policies/${id}/findings`);
    return { id, rev: policy.body.rev, findingId: findings.body.items[0]?.id ?? '' };
  }

  async function call(row: Row, caller: Caller, t: Target): Promise<number> {
    const token = caller === 'anonymous' ? undefined : bed.u[caller].token;
    if (row.method === 'UPLOAD') return (await upload(bed.app.baseUrl, token, t.id, Buffer.from(DRAFT_V2, 'utf8'), '修订稿.txt', 'text/plain')).status;
    const api = client(bed.app.baseUrl, token);
    const body = row.body?.(t, bed.u);
    switch (row.method) {
      case 'GET': return (await api.get(row.path(t))).status;
      case 'POST': return (await api.post(row.path(t), body)).status;
      case 'PUT': return (await api.put(row.path(t), body)).status;
      case 'PATCH': return (await api.patch(row.path(t), body)).status;
    }
  }

  /** Refused callers share one policy; each permitted caller of a changing request gets its own. */
  interface Prepared { shared: string; own: Map<Caller, string> }
  const prepared = new Map<Row, Prepared>();
  before(async function () {
    // A few rows at a time: the worker analyses their uploads side by side without drowning the machine.
    const queue = [...ROWS];
    const prepareNext = async (): Promise<void> => {
      const row = queue.shift();
      if (!row) return;
      const permitted = CALLERS.filter((c) => row.expected[c] < 300);
      const mutating = row.method !== 'GET';
      const shared = row.fixture ? await row.fixture(bed.fixtures) : '';
      const own = new Map<Caller, string>();
      if (mutating && row.fixture) for (const caller of permitted) own.set(caller, await row.fixture(bed.fixtures));
      prepared.set(row, { shared, own });
      await prepareNext();
    };
    await Promise.all([prepareNext(), prepareNext(), prepareNext()]);
  });

  for (const row of ROWS) {
    it(row.name, async function () {
      const { shared, own } = prepared.get(row)!;
      const sharedBefore = shared ? await target(shared) : { id: '', rev: 0, findingId: '' };
      const actual = {} as Expected;
      for (const caller of CALLERS) {
        const t = own.has(caller) ? await target(own.get(caller)!) : sharedBefore;
        actual[caller] = await call(row, caller, t);
      }
      expect(actual).to.deep.equal(row.expected);
      if (shared) {
        const after = await target(shared);
        expect(after.rev, 'refused requests changed the shared policy').to.equal(sharedBefore.rev);
      }
    });
  }

  it('covers every route the API declares', async function () {
    const doc = await client(bed.app.baseUrl).get<{ paths: Record<string, Record<string, unknown>> }>('/api/v1/openapi.json');
    const declared = Object.entries(doc.body.paths)
      .filter(([path]) => path.startsWith('/api/v1/policies') || path.startsWith('/api/v1/users'))
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path.replace('/api/v1', '').replace(/\{(\w+)\}/g, ':$1')}`));
    const covered = new Set(ROWS.map((r) => `${r.method === 'UPLOAD' ? 'POST' : r.method} ${r.name.split(' ')[1]!.replace(/\?.*/, '')}`));
    expect(declared.filter((route) => !covered.has(route))).to.deep.equal([]);
  });
});
