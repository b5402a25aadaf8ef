/**
 * A confirmed violation or a spot-check problem must open the policy's recheck even if the process dies between
 * the two writes: the decision itself records the owed recheck (outbox), and a starting worker carries it out.
 */
import { expect } from 'chai';
import mongoose from 'mongoose';
import { ComplaintRepository } from '../../../server/db/complaintRepository';
import { openPendingRechecks } from '../../../server/services/rechecks';
import { SpotCheckRepository } from '../../../server/db/spotCheckRepository';
import { PolicyRepository } from '../../../server/db/policyRepository';
import { decideComplaintTransition } from '../../../server/domain/complaintWorkflow';
import { decideSpotCheckResult } from '../../../server/domain/spotCheck';
import { toActor } from '../../../server/domain/roles';
import { CN_CALENDAR } from '../../../server/domain/workingDays';
import { client } from '../../support/http';
import { startTestApp, type TestApp } from '../../support/testApp';
import { startWorker } from '../../support/workerProcess';
import { demoUsers, type DemoUsers } from '../api/policyHelpers';
import { act, complaintIdOf, expectStatus, fileComplaint, publishedPolicy, seedPolicy } from './supervisionHelpers';

describe('pending policy rechecks of confirmed complaints and spot-check problems (real store, Redis, worker process)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let u: DemoUsers;
  let departmentId: string;

  before(async function () {
    app = await startTestApp({ label: 'pendingrecheck' });
    u = await demoUsers(app);
    departmentId = String((await app.deps.models.Department.findOne({ code: 'shangwu' }).lean())!._id);
  });
  after(async () => app?.close());

  async function complaintInVerification(policyId: string): Promise<string> {
    const { refNo } = await fileComplaint(client(app.baseUrl), { measureText: '某市关于本地企业优先的通知', policyId });
    const id = await complaintIdOf(u.regulator, refNo);
    for (const body of [{ action: 'assign', assigneeId: u.handler.id }, { action: 'accept' }, { action: 'start_verification' }]) {
      expectStatus(await act(app.deps.models, body.action === 'assign' ? u.regulator : u.handler, id, body), 200);
    }
    return id;
  }

  it('opens the recheck at once over HTTP and leaves nothing pending', async function () {
    const policyId = await seedPolicy(app.deps.models, publishedPolicy('某市关于支持本地商贸企业发展的若干措施', departmentId, u.drafter.id));
    const id = await complaintInVerification(policyId);
    expectStatus(await act(app.deps.models, u.handler, id, { action: 'conclude_violation', summary: '第二条限定优先采购本地产品。', policyId }), 200);
    expect((await new PolicyRepository(app.deps.models).findById(policyId))?.state).to.equal('recheck');
    expect((await new ComplaintRepository(app.deps.models).findById(id))?.pendingRecheck).to.equal(null);
  });

  it('opens it when a worker starts, if the process died after confirming and before opening it', async function () {
    const policyId = await seedPolicy(app.deps.models, publishedPolicy('某县关于扶持本县建材企业的通知', departmentId, u.drafter.id));
    const id = await complaintInVerification(policyId);
    // What the API does, minus carrying out the effects: the state a crash between the two writes leaves.
    const repo = new ComplaintRepository(app.deps.models);
    const complaint = (await repo.findById(id))!;
    const handler = toActor((await app.deps.models.User.findOne({ username: 'handler' }).lean())!);
    const decision = decideComplaintTransition(complaint, handler, { action: 'conclude_violation', rev: complaint.rev, summary: '要求使用本县建材，违反条例第九条。', policyId }, new Date(), CN_CALENDAR);
    expect(await repo.apply(complaint, decision)).to.not.equal(null);
    expect((await new PolicyRepository(app.deps.models).findById(policyId))?.state).to.equal('published');
    expect((await repo.findById(id))?.pendingRecheck).to.include({ policyId, refId: id, requestedBy: handler.id });

    const worker = await startWorker(app);
    try {
      const deadline = Date.now() + 15_000;
      while ((await new PolicyRepository(app.deps.models).findById(policyId))?.state !== 'recheck' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const policy = (await new PolicyRepository(app.deps.models).findById(policyId))!;
      expect(policy.state, worker.output()).to.equal('recheck');
      expect(policy.recheck).to.include({ source: 'complaint', refId: id, openedBy: handler.id });
      expect((await repo.findById(id))?.pendingRecheck).to.equal(null);
    } finally {
      await worker.stop();
    }
  });

  async function waitForState(policyId: string, state: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    while ((await new PolicyRepository(app.deps.models).findById(policyId))?.state !== state && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  }

  /** A spot check of exactly `policyId` (the only published policy of its own kind), reviewed by member1. */
  async function spotCheckOf(policyId: string, kind: string): Promise<string> {
    const res = await u.regulator.api.post<{ id: string; entries: Array<{ policyId: string }> }>('/api/v1/spot-checks', {
      scope: { departmentIds: [departmentId], kinds: [kind] }, sampleSize: 1, seed: policyId, reviewerIds: [u.member1.id],
    });
    expectStatus(res, 201);
    expect(res.body.entries.map((e) => e.policyId)).to.deep.equal([policyId]);
    return res.body.id;
  }

  it('opens the recheck a spot-check problem owes when a worker starts, if the process died after recording the result', async function () {
    const policyId = await seedPolicy(app.deps.models, publishedPolicy('某市关于指定本地检测机构的通知', departmentId, u.drafter.id, '2026-03-02', 'rule'));
    const spotCheckId = await spotCheckOf(policyId, 'rule');
    // What the API does, minus opening the recheck: the result and the owed recheck in one update.
    const repo = new SpotCheckRepository(app.deps.models);
    const spotCheck = (await repo.findById(spotCheckId))!;
    const reviewer = toActor((await app.deps.models.User.findOne({ username: 'member1' }).lean())!);
    const decision = decideSpotCheckResult(spotCheck, reviewer, { action: 'record_result', rev: spotCheck.rev, policyId, outcome: 'problem', items: ['entry-3'], notes: '指定检测机构' }, new Date());
    const [effect] = decision.effects;
    const { kind: _kind, ...request } = effect!;
    expect(await repo.apply(spotCheck, decision, [{ ...request, requestedBy: u.regulator.id }])).to.not.equal(null);
    expect((await new PolicyRepository(app.deps.models).findById(policyId))?.state).to.equal('published');

    const worker = await startWorker(app);
    try {
      await waitForState(policyId, 'recheck');
      const policy = (await new PolicyRepository(app.deps.models).findById(policyId))!;
      expect(policy.state, worker.output()).to.equal('recheck');
      expect(policy.recheck).to.include({ source: 'spot_check', refId: spotCheckId, openedBy: u.regulator.id });
      const stored = await app.deps.models.SpotCheck.findById(spotCheckId).lean();
      expect(stored?.pendingRechecks).to.deep.equal({});
    } finally {
      await worker.stop();
    }
  });

  it('opens the recheck of a spot-check problem at once over HTTP, leaving nothing owed', async function () {
    const policyId = await seedPolicy(app.deps.models, publishedPolicy('某县关于限定本县运输企业承运的通知', departmentId, u.drafter.id, '2026-03-02', 'law_draft'));
    const spotCheckId = await spotCheckOf(policyId, 'law_draft');
    const rev = (await new SpotCheckRepository(app.deps.models).findById(spotCheckId))!.rev;
    const res = await u.member1.api.post<{ effects: unknown[] }>(`/api/v1/spot-checks/${spotCheckId}/results`, { rev, policyId, outcome: 'problem', items: ['flow-1'], notes: '限定本县企业' });
    expectStatus(res, 200);
    expect(res.body.effects).to.deep.equal([{ kind: 'open_policy_recheck', policyId, status: 'opened' }]);
    expect((await app.deps.models.SpotCheck.findById(spotCheckId).lean())?.pendingRechecks).to.deep.equal({});
  });

  it('drops an owed recheck the workflow refuses for good, without holding up the others', async function () {
    const gone = new mongoose.Types.ObjectId().toHexString();
    const policyId = await seedPolicy(app.deps.models, publishedPolicy('某区关于本区企业优先入驻的通知', departmentId, u.drafter.id));
    const first = await complaintInVerification(policyId);
    const second = await complaintInVerification(policyId);
    // the first complaint owes a recheck of a policy that no longer exists; the second one of a real policy
    await app.deps.models.Complaint.updateOne({ _id: first }, { $set: { pendingRecheck: { policyId: gone, source: 'complaint', refId: first, reason: '已删除的政策措施', requestedBy: u.handler.id } } });
    await app.deps.models.Complaint.updateOne({ _id: second }, { $set: { pendingRecheck: { policyId, source: 'complaint', refId: second, reason: '限定本区企业', requestedBy: u.handler.id } } });

    const settled = await openPendingRechecks(app.deps.models, new Date());
    expect(settled).to.deep.include({ policyId: gone, status: 'dropped', code: 'policy_not_found' });
    expect(settled).to.deep.include({ policyId, status: 'opened' });
    expect((await new PolicyRepository(app.deps.models).findById(policyId))?.state).to.equal('recheck');
    const repo = new ComplaintRepository(app.deps.models);
    expect((await repo.findById(first))?.pendingRecheck).to.equal(null);
    expect((await repo.findById(second))?.pendingRecheck).to.equal(null);
  });
});
