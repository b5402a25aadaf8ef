/**
 * What the web UI reads instead of keeping its own copies: GET /meta (public: version, demo flag, the checklist),
 * GET /departments (signed-in users) and the complaint-handler directory regulators assign cases from.
 */
import { expect } from 'chai';
import { loadChecklists } from '../../../checklists/index';
import { client } from '../../support/http';
import { startTestApp, type TestApp } from '../../support/testApp';
import { demoUsers, type DemoUsers } from './policyHelpers';

interface MetaItem {
  id: string;
  category: string;
  title: string;
  basis: { regulation: string; measures: string[] };
  catchAll: boolean;
  severity: string;
  subItems: Array<{ id: string; text: string }>;
}
interface Meta { version: string; demo: boolean; checklist: { version: string; items: MetaItem[] } }
interface Department { id: string; code: string; name: string; kind: string }
interface UserList { items: Array<{ id: string; username: string; role: string }> }

/** 条例 第八条–第十一条, in the order of the regulation; written out here, not taken from the code under test. */
const CANONICAL_IDS = [
  'entry-1', 'entry-2', 'entry-3', 'entry-4', 'entry-5',
  'flow-1', 'flow-2', 'flow-3', 'flow-4', 'flow-5', 'flow-6',
  'cost-1', 'cost-2', 'cost-3', 'cost-4',
  'behavior-1', 'behavior-2', 'behavior-3', 'behavior-4',
];

describe('meta, departments and the handler directory', function () {
  this.timeout(60_000);
  let app: TestApp;
  let u: DemoUsers;
  before(async function () {
    app = await startTestApp({ label: 'meta' });
    u = await demoUsers(app);
  });
  after(async function () {
    await app?.close();
  });

  describe('GET /api/v1/meta', function () {
    it('answers without login: the app version and the 19 checklist items in the order of the regulation', async function () {
      const res = await client(app.baseUrl).get<Meta>('/api/v1/meta');
      expect(res.status).to.equal(200);
      expect(res.body.version).to.equal('test');
      expect(res.body.checklist.version).to.be.a('string').and.match(/^\d+\.\d+\.\d+\+[0-9a-f]{10}$/);
      expect(res.body.checklist.version).to.equal(loadChecklists().version);
      expect(res.body.checklist.items.map((i) => i.id)).to.deep.equal(CANONICAL_IDS);
    });

    it('states the upload size limit, so forms can say it before a file is picked', async function () {
      const res = await client(app.baseUrl).get<Meta & { limits: { uploadBytes: number } }>('/api/v1/meta');
      expect(res.body.limits).to.deep.equal({ uploadBytes: app.deps.config.MAX_UPLOAD_BYTES });
    });

    it('gives each item its category, title, legal basis, catch-all flag, severity and sub-items, and nothing of the detection rules', async function () {
      const { body } = await client(app.baseUrl).get<Meta>('/api/v1/meta');
      const first = body.checklist.items[0]!;
      expect(first).to.have.all.keys('id', 'category', 'title', 'basis', 'catchAll', 'severity', 'subItems');
      expect(['high', 'medium', 'low']).to.include(first.severity);
      expect(first).to.include({ id: 'entry-1', category: 'entry', title: '违法设置市场准入审批程序', catchAll: false });
      expect(first.basis).to.deep.equal({ regulation: '《公平竞争审查条例》第八条第（一）项', measures: ['《公平竞争审查条例实施办法》第九条'] });
      expect(first.subItems[0]).to.deep.equal({ id: 'entry-1a', text: '在全国统一的市场准入负面清单之外制定地方性准入负面清单或者类似清单' });
      for (const item of body.checklist.items) {
        expect(item.category, item.id).to.equal(item.id.split('-')[0]);
        expect(item.title, item.id).to.be.a('string').with.length.above(0);
        expect(item.subItems.length, item.id).to.be.above(0);
        for (const s of item.subItems) expect(s.id.startsWith(item.id), `${item.id}: ${s.id}`).to.equal(true);
      }
      // the last item of each category is its catch-all (兜底)
      expect(body.checklist.items.filter((i) => i.catchAll).map((i) => i.id)).to.deep.equal(['entry-5', 'flow-6', 'cost-4', 'behavior-4']);
      expect(JSON.stringify(body)).not.to.match(/detection|exemplars|phrases/);
    });

    it('answers the same to a signed-in user and to a lapsed session (no 401 on the login page)', async function () {
      const anonymous = await client(app.baseUrl).get<Meta>('/api/v1/meta');
      const signedIn = await u.drafter.api.get<Meta>('/api/v1/meta');
      const lapsed = await client(app.baseUrl, 'not-a-valid-token').get<Meta>('/api/v1/meta');
      expect(signedIn.status).to.equal(200);
      expect(lapsed.status).to.equal(200);
      expect(signedIn.body).to.deep.equal(anonymous.body);
      expect(lapsed.body).to.deep.equal(anonymous.body);
    });

    it('reports demo mode as configured: false unless FAIRREVIEW_DEMO is on', async function () {
      expect((await client(app.baseUrl).get<Meta>('/api/v1/meta')).body.demo).to.equal(false);
      const demo = await startTestApp({ label: 'meta-demo', env: { FAIRREVIEW_DEMO: 'true' } });
      try {
        const res = await client(demo.baseUrl).get<Meta>('/api/v1/meta');
        expect(res.status).to.equal(200);
        expect(res.body.demo).to.equal(true);
        expect(res.body.checklist.items).to.have.length(19);
      } finally {
        await demo.close();
      }
    });

    it('is in the OpenAPI document as a public endpoint, /departments as one that needs login', async function () {
      const doc = await client(app.baseUrl).get<{ paths: Record<string, Record<string, { security: unknown[] }>> }>('/api/v1/openapi.json');
      expect(doc.body.paths['/api/v1/meta']?.get?.security).to.deep.equal([]);
      expect(doc.body.paths['/api/v1/departments']?.get?.security).to.have.length.above(0);
    });
  });

  describe('GET /api/v1/departments', function () {
    it('needs login (401)', async function () {
      const res = await client(app.baseUrl).get('/api/v1/departments');
      expect(res.status).to.equal(401);
      expect(res.body).to.include({ code: 'unauthenticated' });
    });

    it('lists the seeded departments with id, code, name and kind to any signed-in user', async function () {
      const res = await u.drafter.api.get<Department[]>('/api/v1/departments');
      expect(res.status).to.equal(200);
      expect(res.body).to.be.an('array');
      for (const d of res.body) {
        expect(d).to.have.all.keys('id', 'code', 'name', 'kind');
        expect(d.id).to.match(/^[0-9a-f]{24}$/);
      }
      expect(res.body.map((d) => [d.code, d.name, d.kind]).sort()).to.deep.equal([
        ['jubao', '市市场监督管理局举报处理科', 'complaints'],
        ['lianxi', '市公平竞争审查联席会议', 'committee'],
        ['pinggu', '某公平竞争第三方评估研究院', 'evaluator'],
        ['scjg', '市市场监督管理局', 'regulator'],
        ['shangwu', '市商务局', 'drafting'],
        ['xitong', '系统管理', 'admin'],
        ['zhujian', '市住房和城乡建设局', 'drafting'],
      ]);
      // the ids are the ones users and policies refer to
      const me = await u.drafter.api.get<{ user: { departmentId: string } }>('/api/v1/auth/me');
      expect(res.body.find((d) => d.code === 'shangwu')?.id).to.equal(me.body.user.departmentId);
      for (const username of ['handler', 'evaluator', 'member1'] as const) {
        const other = await u[username].api.get<Department[]>('/api/v1/departments');
        expect(other.status, username).to.equal(200);
        expect(other.body, username).to.deep.equal(res.body);
      }
    });
  });

  describe('GET /api/v1/users?role=complaint_handler', function () {
    it('lets regulators list the complaint handlers they assign cases to', async function () {
      const res = await u.regulator.api.get<UserList>('/api/v1/users?role=complaint_handler');
      expect(res.status).to.equal(200);
      expect(res.body.items.map((x) => [x.username, x.role, x.id])).to.deep.equal([['handler', 'complaint_handler', u.handler.id]]);
    });

    it('refuses drafters, drafting leads and the handlers themselves (403); admins may', async function () {
      for (const username of ['drafter', 'lead', 'handler', 'member1', 'evaluator'] as const) {
        const res = await u[username].api.get('/api/v1/users?role=complaint_handler');
        expect(res.status, username).to.equal(403);
        expect(res.body, username).to.include({ code: 'forbidden' });
      }
      expect((await u.admin.api.get('/api/v1/users?role=complaint_handler')).status).to.equal(200);
    });

    it('keeps the other rules: regulators still list members and evaluators, but not every account or other roles', async function () {
      expect((await u.regulator.api.get('/api/v1/users?role=committee_member')).status).to.equal(200);
      expect((await u.regulator.api.get('/api/v1/users?role=evaluator')).status).to.equal(200);
      expect((await u.regulator.api.get('/api/v1/users')).status).to.equal(403);
      expect((await u.regulator.api.get('/api/v1/users?role=drafter')).status).to.equal(403);
      expect((await u.regulator.api.get('/api/v1/users?role=admin')).status).to.equal(403);
      expect((await u.lead.api.get('/api/v1/users?role=committee_member')).status).to.equal(200);
    });
  });
});
