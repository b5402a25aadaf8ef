/**
 * A confirmed violation must open the policy's recheck even if the process dies between the two writes: the
 * confirmation itself records the pending recheck (outbox), and a starting worker carries it out.
 */
import { expect } from 'chai';
import { ComplaintRepository } from '../../../server/db/complaintRepository';
import { PolicyRepository } from '../../../server/db/policyRepository';
import { decideComplaintTransition } from '../../../server/domain/complaintWorkflow';
import { toActor } from '../../../server/domain/roles';
import { CN_CALENDAR } from '../../../server/domain/workingDays';
import { client } from '../../support/http';
import { startTestApp, type TestApp } from '../../support/testApp';
import { startWorker } from '../../support/workerProcess';
import { demoUsers, type DemoUsers } from '../api/policyHelpers';
import { act, complaintIdOf, expectStatus, fileComplaint, publishedPolicy, seedPolicy } from './supervisionHelpers';

describe('pending policy rechecks of confirmed complaints (real store, Redis, worker process)', function () {
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
});
