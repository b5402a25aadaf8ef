/**
 * Spot checks over HTTP on seeded published policies: the draw is reproducible from the recorded seed (same seed
 * → same draw and assignment; replayable from the recorded population), it stays inside the scope, reviewers are
 * never from the drafting department of the policy they are given, and a `problem` result opens the policy's
 * recheck (a reviewer who may not open one has it opened by the regulator who organised the check).
 */
import { expect } from 'chai';
import { PolicyRepository } from '../../../server/db/policyRepository';
import { assignReviewers, drawSample } from '../../../server/domain/spotCheck';
import { startTestApp, type TestApp } from '../../support/testApp';
import { demoUsers, type DemoUser, type DemoUsers } from '../api/policyHelpers';
import { expectStatus, publishedPolicy, seedPolicy } from './supervisionHelpers';

interface Entry { policyId: string; departmentId: string; reviewerIds: string[]; result: null | { outcome: string; items: string[] } }
interface SpotCheckBody {
  id: string;
  seed: string;
  state: string;
  rev: number;
  populationSize: number;
  sampleSize: number;
  entries: Entry[];
  createdBy: string;
  draw: { populationIds: string[]; pool: Array<{ id: string; departmentId: string }>; reviewersPerPolicy: number };
  events: Array<{ action: string; hash: string }>;
}

describe('spot checks over HTTP (real store)', function () {
  this.timeout(30_000);
  let app: TestApp;
  let u: DemoUsers;
  let shangwu: string;
  let zhujian: string;
  const policyDepartment = new Map<string, string>();
  let pool: string[];
  const byId = (id: string): DemoUser => Object.values(u).find((user) => user.id === id)!;

  before(async function () {
    app = await startTestApp({ label: 'spot-checks' });
    u = await demoUsers(app);
    const dept = async (code: string) => String((await app.deps.models.Department.findOne({ code }).lean())!._id);
    [shangwu, zhujian] = [await dept('shangwu'), await dept('zhujian')];
    // 12 published in the first half of 2026, 6 per drafting department and two kinds; plus policies outside it
    for (let i = 0; i < 12; i++) {
      const [department, author] = i % 2 === 0 ? [shangwu, u.drafter.id] : [zhujian, u.drafter2.id];
      const publishedOn = `2026-0${1 + (i % 6)}-1${i % 10}`;
      const id = await seedPolicy(app.deps.models, publishedPolicy(`抽查样本措施${i + 1}`, department, author, publishedOn, i % 3 === 0 ? 'rule' : 'normative_document'));
      policyDepartment.set(id, department);
    }
    await seedPolicy(app.deps.models, publishedPolicy('期间外的措施', shangwu, u.drafter.id, '2025-11-03'));
    await seedPolicy(app.deps.models, { ...publishedPolicy('尚在审查的措施', zhujian, u.drafter2.id), state: 'self_review', publishedOn: undefined, outcome: undefined, concludedAt: undefined });
    // drafting staff of both departments review each other's policies, with a committee member
    pool = [u.drafter.id, u.lead.id, u.drafter2.id, u.member1.id];
  });
  after(async () => app?.close());

  const request = (overrides: Record<string, unknown> = {}) => ({
    scope: { period: { from: '2026-01-01', to: '2026-06-30' } },
    sampleSize: 5,
    seed: '2026年第一次抽查',
    reviewerIds: pool,
    ...overrides,
  });
  const create = (who: DemoUser, body: Record<string, unknown>) => who.api.post<SpotCheckBody>('/api/v1/spot-checks', body);

  it('draws the same policies and assigns the same reviewers for the same seed, and records what replays it', async function () {
    const first = await create(u.regulator, request());
    const second = await create(u.regulator, request());
    expectStatus(first, 201);
    expectStatus(second, 201);
    expect(first.body).to.include({ populationSize: 12, sampleSize: 5, state: 'in_progress', rev: 0, seed: '2026年第一次抽查', createdBy: u.regulator.id });
    expect(second.body.entries.map((e) => [e.policyId, e.reviewerIds])).to.deep.equal(first.body.entries.map((e) => [e.policyId, e.reviewerIds]));
    expect(new Set(first.body.entries.map((e) => e.policyId)).size).to.equal(5);
    for (const e of first.body.entries) expect(policyDepartment.get(e.policyId), 'drawn from the period').to.equal(e.departmentId);

    // the recorded population and pool replay the draw and the assignment with the pure functions
    expect(first.body.draw.populationIds).to.have.members([...policyDepartment.keys()]);
    const population = first.body.draw.populationIds.map((id) => ({ id, departmentId: policyDepartment.get(id)! }));
    const replayed = drawSample({ policies: population, sampleSize: 5, seed: first.body.seed });
    expect(replayed.sample.map((p) => p.id)).to.deep.equal(first.body.entries.map((e) => e.policyId));
    const assigned = assignReviewers({ sample: replayed.sample, pool: first.body.draw.pool, seed: first.body.seed, reviewersPerPolicy: 1 });
    expect(assigned.map((a) => a.reviewerIds)).to.deep.equal(first.body.entries.map((e) => e.reviewerIds));

    // other seeds give other draws
    const others = await Promise.all(['第二次', '第三次', '第四次'].map((seed) => create(u.regulator, request({ seed }))));
    expect(others.some((o) => JSON.stringify(o.body.entries.map((e) => e.policyId)) !== JSON.stringify(first.body.entries.map((e) => e.policyId)))).to.equal(true);
    // without a seed, one is chosen and recorded
    const unseeded = await create(u.regulator, request({ seed: undefined }));
    expect(unseeded.body.seed).to.match(/^[0-9a-f]{16}$/);
  });

  it('never gives a reviewer a policy of their own department, over the whole population and many seeds', async function () {
    const departmentOf = new Map([[u.drafter.id, shangwu], [u.lead.id, shangwu], [u.drafter2.id, zhujian], [u.member1.id, 'committee']]);
    for (let n = 0; n < 10; n++) {
      const res = await create(u.regulator, request({ sampleSize: 12, reviewersPerPolicy: 2, seed: `全量-${n}` }));
      expectStatus(res, 201);
      expect(res.body.entries).to.have.length(12);
      for (const entry of res.body.entries) {
        expect(entry.reviewerIds).to.have.length(2);
        expect(new Set(entry.reviewerIds).size).to.equal(2);
        for (const reviewer of entry.reviewerIds) expect(departmentOf.get(reviewer), `${reviewer} on ${entry.policyId}`).to.not.equal(entry.departmentId);
      }
    }
    // with only same-department reviewers available the check is refused, naming the problem
    const impossible = await create(u.regulator, request({ scope: { departmentIds: [shangwu] }, reviewerIds: [u.drafter.id, u.lead.id] }));
    expectStatus(impossible, 422, 'missing_preconditions');
  });

  it('keeps to the scope: departments, kinds and publication period', async function () {
    const zOnly = await create(u.regulator, request({ scope: { departmentIds: [zhujian] }, rate: 1, sampleSize: undefined }));
    expectStatus(zOnly, 201);
    expect(zOnly.body.populationSize).to.equal(6);
    expect(zOnly.body.entries.every((e) => e.departmentId === zhujian)).to.equal(true);

    const rules = await create(u.regulator, request({ scope: { kinds: ['rule'], period: { from: '2026-01-01', to: '2026-12-31' } }, sampleSize: 10 }));
    expect(rules.body.populationSize).to.equal(4);
    const withOld = await create(u.regulator, request({ scope: {}, sampleSize: 20 }));
    expect(withOld.body.populationSize).to.equal(13);

    expectStatus(await create(u.regulator, request({ scope: { period: { from: '2030-01-01' } } })), 422, 'missing_preconditions');
    expectStatus(await create(u.regulator, request({ sampleSize: 3, rate: 0.5 })), 400, 'invalid_command');
    expectStatus(await create(u.regulator, request({ reviewerIds: ['ffffffffffffffffffffffff'] })), 400, 'invalid_request');
  });

  it('lets only regulators and admins organise a check, and shows reviewers only their own', async function () {
    expectStatus(await create(u.drafter, request()), 403, 'forbidden');
    expectStatus(await create(u.handler, request()), 403, 'forbidden');
    const res = await create(u.admin, request({ seed: '管理员组织' }));
    expectStatus(res, 201);

    const assignedReviewers = new Set(res.body.entries.flatMap((e) => e.reviewerIds));
    const outsider = [u.drafter, u.lead, u.drafter2, u.member1].find((r) => !assignedReviewers.has(r.id));
    const insider = byId([...assignedReviewers][0]!);
    expectStatus(await insider.api.get(`/api/v1/spot-checks/${res.body.id}`), 200);
    const insiderList = await insider.api.get<{ items: Array<{ id: string }> }>('/api/v1/spot-checks?pageSize=100');
    expect(insiderList.body.items.map((s) => s.id)).to.include(res.body.id);
    if (outsider) {
      expectStatus(await outsider.api.get(`/api/v1/spot-checks/${res.body.id}`), 404, 'spot_check_not_found');
      const outsiderList = await outsider.api.get<{ items: Array<{ id: string }> }>('/api/v1/spot-checks?pageSize=100');
      expect(outsiderList.body.items.map((s) => s.id)).to.not.include(res.body.id);
    }
    const all = await u.regulator.api.get<{ items: Array<{ id: string }>; total: number }>('/api/v1/spot-checks?pageSize=100');
    expect(all.body.items.map((s) => s.id)).to.include(res.body.id);
  });

  it('records one result per drawn policy by its reviewer; a problem opens the policy recheck', async function () {
    const created = await create(u.regulator, request({ sampleSize: 3, seed: '结果登记' }));
    expectStatus(created, 201);
    let check = created.body;
    const [first, second, third] = check.entries as [Entry, Entry, Entry];
    const post = (who: DemoUser, body: Record<string, unknown>) => who.api.post<{ spotCheck: SpotCheckBody; effects: Array<Record<string, unknown>> }>(`/api/v1/spot-checks/${check.id}/results`, body);

    // only the assigned reviewer records; not even the organiser
    const other = pool.map(byId).find((r) => !first.reviewerIds.includes(r.id))!;
    const seesCheck = check.entries.some((e) => e.reviewerIds.includes(other.id));
    expectStatus(await post(other, { rev: check.rev, policyId: first.policyId, outcome: 'no_problem' }), seesCheck ? 403 : 404);
    expectStatus(await post(u.regulator, { rev: check.rev, policyId: first.policyId, outcome: 'no_problem' }), 403, 'forbidden');

    const reviewer1 = byId(first.reviewerIds[0]!);
    const ok = await post(reviewer1, { rev: check.rev, policyId: first.policyId, outcome: 'no_problem', notes: '未发现问题' });
    expectStatus(ok, 200);
    expect(ok.body.effects).to.deep.equal([]);
    check = ok.body.spotCheck;
    expectStatus(await post(reviewer1, { rev: check.rev, policyId: first.policyId, outcome: 'no_problem' }), 409, 'result_already_recorded');

    const reviewer2 = byId(second.reviewerIds[0]!);
    expectStatus(await post(reviewer2, { rev: check.rev - 1, policyId: second.policyId, outcome: 'problem', items: ['flow-3'], notes: '限定本地' }), 409, 'stale_rev');
    expectStatus(await post(reviewer2, { rev: check.rev, policyId: second.policyId, outcome: 'problem' }), 422, 'missing_preconditions');
    expectStatus(await post(reviewer2, { rev: check.rev, policyId: second.policyId, outcome: 'problem', items: ['flow-99'], notes: 'x' }), 400, 'invalid_command');
    const problem = await post(reviewer2, { rev: check.rev, policyId: second.policyId, outcome: 'problem', items: ['flow-3', 'entry-4b'], notes: '招标条件限定本地注册企业' });
    expectStatus(problem, 200);
    expect(problem.body.effects).to.deep.equal([{ kind: 'open_policy_recheck', policyId: second.policyId, status: 'opened' }]);
    check = problem.body.spotCheck;
    const policy = (await new PolicyRepository(app.deps.models).findById(second.policyId))!;
    expect(policy.state).to.equal('recheck');
    // the reviewer is drafting staff of another department, who may not open rechecks: the organiser does
    expect(policy.recheck).to.include({ source: 'spot_check', refId: check.id, openedBy: u.regulator.id });
    expect(policy.recheck!.reason).to.include('flow-3');

    const reviewer3 = byId(third.reviewerIds[0]!);
    const last = await post(reviewer3, { rev: check.rev, policyId: third.policyId, outcome: 'no_problem' });
    expectStatus(last, 200);
    expect(last.body.spotCheck.state).to.equal('completed');
    expect(last.body.spotCheck.events.map((e) => e.action)).to.deep.equal(['create', 'record_result', 'record_result', 'record_result']);
    // people are named by their display names, in the history and for every id the record holds
    const nameOf = async (id: string) => (await app.deps.models.User.findById(id).lean())!.displayName;
    const named = last.body.spotCheck as unknown as { events: Array<{ actor: { displayName: string } }>; people: Record<string, string> };
    expect(named.events.map((e) => e.actor.displayName)).to.deep.equal(await Promise.all([u.regulator.id, reviewer1.id, reviewer2.id, reviewer3.id].map(nameOf)));
    expect(named.people[u.regulator.id]).to.equal(await nameOf(u.regulator.id));
    for (const e of last.body.spotCheck.entries) for (const r of e.reviewerIds) expect(named.people[r]).to.equal(await nameOf(r));
    expectStatus(await post(reviewer3, { rev: last.body.spotCheck.rev, policyId: third.policyId, outcome: 'no_problem' }), 409, 'wrong_state');
  });
});
