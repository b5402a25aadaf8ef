/**
 * The policy list's read model on the real store: summaries are published by every change the repository makes;
 * two API instances on one store (two processes in production) each answer from their own memory and see every
 * change acknowledged before the request, whichever instance made it; the list filters, sorts and pages exactly
 * like the same rules applied to the full policies with `canRead`; a summary left behind by a writer that died
 * between its two steps is repaired by the rebuild the worker runs.
 */
import { expect } from 'chai';
import { advanceSequencePastChanges, recordPolicySummary, rebuildPolicySummaries, repairRecentSummaries } from '../../../server/db/policySummaries';
import { PolicyRepository } from '../../../server/db/policyRepository';
import { POLICY_STATES, type Policy } from '../../../server/domain/policy';
import { canRead } from '../../../server/domain/visibility';
import { listPolicies } from '../../../server/services/policies';
import { client, login } from '../../support/http';
import { startTestApp, type TestApp } from '../../support/testApp';
import { ACTOR_NAMES, actors, storyIn } from '../../unit/domain/policyFixtures';
import { demoUsers, expectProblem, type DemoUsers, type PolicyBody } from './policyHelpers';

interface ListBody {
  items: Array<{ id: string; title: string; state: string; draftingDepartmentName: string; openFindings: number; deadline: string | null; updatedAt: string; latestVersion: unknown }>;
  total: number;
}

describe('policy list read model (two API instances, real store)', function () {
  this.timeout(120_000);
  let a: TestApp;
  let b: TestApp;
  let u: DemoUsers;

  before(async function () {
    a = await startTestApp({ label: 'policylist' });
    b = await startTestApp({ label: 'policylist-b', storeUri: a.storeUri });
    u = await demoUsers(a);
  });
  after(async function () {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('shows a change made through one instance in the other instance\'s very next list', async function () {
    const drafterOnB = client(b.baseUrl, await login(b.baseUrl, 'drafter'));
    for (let i = 0; i < 5; i++) {
      const created = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: `两个实例之间的措施${i}`, kind: 'normative_document', issuingLevel: 'department' });
      expect(created.status).to.equal(201);
      const listed = await drafterOnB.get<ListBody>('/api/v1/policies?q=两个实例之间');
      expect(listed.body.items.map((p) => p.id), `registration ${i}`).to.include(created.body.id);
      expect(listed.body.total).to.equal(i + 1);
      expect(listed.body.items[0]!.id, 'newest change first').to.equal(created.body.id);
      expect(listed.body.items[0]!.draftingDepartmentName).to.be.a('string').and.not.equal('');

      const withdrawn = await drafterOnB.post<PolicyBody>(`/api/v1/policies/${created.body.id}/transitions`, { action: 'withdraw', rev: created.body.rev, reason: '撤回' });
      expect(withdrawn.status, JSON.stringify(withdrawn.body)).to.equal(200);
      const onA = await u.drafter.api.get<ListBody>(`/api/v1/policies?q=${encodeURIComponent(`两个实例之间的措施${i}`)}`);
      expect(onA.body.items.map((p) => p.state), 'the transition made on B, listed on A').to.deep.equal(['withdrawn']);
    }
  });

  it('filters, sorts and pages like the same rules on the full policies, for every role', async function () {
    const repo = new PolicyRepository(a.deps.models);
    const stored: Policy[] = [];
    for (const state of POLICY_STATES) {
      const { id: _id, ...draft } = storyIn(state).policy;
      stored.push(await repo.create({ ...draft, title: `列表规则样本（${state}）` }));
    }
    for (const name of ACTOR_NAMES) {
      const actor = actors[name];
      const seen = await listPolicies(a.deps, actor, { text: '列表规则样本', sort: 'updatedAt', order: 'desc', page: 1, pageSize: 100 });
      const expected = stored.filter((p) => canRead(p, actor)).map((p) => p.id).sort();
      expect(seen.items.map((p) => p.id).sort(), name).to.deep.equal(expected);
      expect(seen.total, name).to.equal(expected.length);
    }

    const admin = u.admin.api;
    const inState = await admin.get<ListBody>('/api/v1/policies?q=列表规则样本&state=joint_review');
    expect(inState.body.items.map((p) => p.state)).to.deep.equal(['joint_review']);
    const withDeadline = await admin.get<ListBody>('/api/v1/policies?q=列表规则样本&sort=deadline');
    const deadlines = withDeadline.body.items.map((p) => p.deadline);
    const dated = deadlines.filter((d): d is string => d !== null);
    expect(dated.length, 'joint review and evaluation carry deadlines').to.be.at.least(1);
    expect(deadlines.slice(0, dated.length), 'dated first').to.deep.equal(dated);
    expect(dated, 'ascending').to.deep.equal([...dated].sort((x, y) => Date.parse(x) - Date.parse(y)));
    const before = await admin.get<ListBody>(`/api/v1/policies?q=列表规则样本&deadlineBefore=${encodeURIComponent(dated[0]!)}`);
    expect(before.body.items.every((p) => p.deadline !== null && Date.parse(p.deadline) <= Date.parse(dated[0]!))).to.equal(true);
    expect(before.body.total).to.be.at.least(1);

    const byTitle = await admin.get<ListBody>('/api/v1/policies?q=列表规则样本&sort=title&order=desc&pageSize=3&page=2');
    const allByTitle = await admin.get<ListBody>('/api/v1/policies?q=列表规则样本&sort=title&order=desc&pageSize=100');
    expect(byTitle.body.items.map((p) => p.id)).to.deep.equal(allByTitle.body.items.slice(3, 6).map((p) => p.id));
    expect(byTitle.body.total).to.equal(POLICY_STATES.length);
    const titles = allByTitle.body.items.map((p) => p.title);
    expect(titles).to.deep.equal([...titles].sort((x, y) => new Intl.Collator('zh-CN').compare(y, x)));

    const open = await admin.get<ListBody>('/api/v1/policies?q=列表规则样本&hasOpenFindings=true');
    const none = await admin.get<ListBody>('/api/v1/policies?q=列表规则样本&hasOpenFindings=false');
    expect(open.body.total + none.body.total).to.equal(POLICY_STATES.length);
    expect(open.body.items.every((p) => p.openFindings > 0) && none.body.items.every((p) => p.openFindings === 0)).to.equal(true);

    expectProblem(await admin.get('/api/v1/policies?sort=rev'), 400, 'invalid_request');
    expectProblem(await admin.get('/api/v1/policies?hasOpenFindings=yes'), 400, 'invalid_request');
    expectProblem(await admin.get('/api/v1/policies?deadlineBefore=soon'), 400, 'invalid_request');
  });

  it('between full rebuilds, the sweep repairs the summaries of policies changed since the previous sweep', async function () {
    const previousSweep = new Date();
    const recent = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: '近期中断的措施', kind: 'normative_document', issuingLevel: 'department' });
    const older = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: '早前中断的措施', kind: 'normative_document', issuingLevel: 'department' });
    // both change in the store and their writers die before publishing; one change is stamped before the last sweep
    await a.deps.models.Policy.updateOne({ _id: recent.body.id }, { $set: { title: '近期中断的措施（已改名）' } });
    await a.deps.models.Policy.updateOne({ _id: older.body.id }, { $set: { title: '早前中断的措施（已改名）', updatedAt: new Date(previousSweep.getTime() - 3_600_000) } }, { timestamps: false });
    const titles = async () => (await u.drafter.api.get<ListBody>('/api/v1/policies?q=中断的措施&sort=title')).body.items.map((p) => p.title);

    expect(await repairRecentSummaries(a.deps.models, previousSweep)).to.equal(1);
    expect(await titles()).to.have.members(['近期中断的措施（已改名）', '早前中断的措施']);
    expect(await repairRecentSummaries(a.deps.models, previousSweep), 'nothing left among the recent').to.equal(0);
    // what changed before the previous sweep is the full rebuild's (worker start-up)
    expect((await rebuildPolicySummaries(a.deps.models)).published).to.equal(1);
    expect(await titles()).to.have.members(['近期中断的措施（已改名）', '早前中断的措施（已改名）']);
  });

  it('after a restore whose counter was read before its last changes, publishing goes on past those changes', async function () {
    const created = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: '恢复之后继续登记的措施', kind: 'normative_document', issuingLevel: 'department' });
    const counter = await a.deps.models.Counter.findById('policySummaries').lean();
    // the backup's counter is two changes behind the changes it holds
    await a.deps.models.Counter.updateOne({ _id: 'policySummaries' }, { $set: { seq: counter!.seq - 2 } });
    await advanceSequencePastChanges(a.deps.models);
    expect((await a.deps.models.Counter.findById('policySummaries').lean())!.seq).to.equal(counter!.seq);

    const withdrawn = await u.drafter.api.post<PolicyBody>(`/api/v1/policies/${created.body.id}/transitions`, { action: 'withdraw', rev: created.body.rev, reason: '撤回' });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).to.equal(200);
    const listed = await client(b.baseUrl, await login(b.baseUrl, 'drafter')).get<ListBody>('/api/v1/policies?q=恢复之后继续登记');
    expect(listed.body.items.map((p) => p.state)).to.deep.equal(['withdrawn']);
  });

  it('repairs a summary its writer never published, with the rebuild the worker runs', async function () {
    const created = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: '写入后进程中断的措施', kind: 'normative_document', issuingLevel: 'department' });
    // the policy changes in the store, and the process dies before it publishes the summary
    await a.deps.models.Policy.updateOne({ _id: created.body.id }, { $set: { title: '写入后进程中断的措施（已改名）' } });
    const stale = await u.drafter.api.get<ListBody>('/api/v1/policies?q=写入后进程中断');
    expect(stale.body.items.map((p) => p.title)).to.deep.equal(['写入后进程中断的措施']);

    expect((await rebuildPolicySummaries(a.deps.models)).published).to.equal(1);
    for (const app of [a, b]) {
      const api = client(app.baseUrl, await login(app.baseUrl, 'drafter'));
      const repaired = await api.get<ListBody>('/api/v1/policies?q=写入后进程中断');
      expect(repaired.body.items.map((p) => p.title)).to.deep.equal(['写入后进程中断的措施（已改名）']);
    }
    expect((await rebuildPolicySummaries(a.deps.models)).published, 'nothing left to repair').to.equal(0);

    // a policy removed from the store leaves the list once its summary is recorded again
    await a.deps.models.Policy.deleteOne({ _id: created.body.id });
    await recordPolicySummary(a.deps.models, created.body.id);
    expect((await client(b.baseUrl, await login(b.baseUrl, 'drafter')).get<ListBody>('/api/v1/policies?q=写入后进程中断')).body.total).to.equal(0);
  });
});
