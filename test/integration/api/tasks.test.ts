/**
 * 待办 and hand-over notifications over HTTP: GET /tasks lists what the signed-in user can do now (from the same
 * permission rules as allowedActions) with its deadline; handing a policy over notifies the people it goes to.
 */
import { expect } from 'chai';
import { startTestApp, type TestApp } from '../../support/testApp';
import { startWorker, type WorkerProcess } from '../../support/workerProcess';
import { PolicyFixtures, daysFromNow, demoUsers, type DemoUsers, type PolicyBody } from './policyHelpers';

interface Task { kind: string; id: string; title: string; actions: string[]; due: string | null; dueLabel: string }
interface Notification { kind: string; title: string; policyId: string | null; dueDate: string | null }

describe('待办 and hand-over notifications', function () {
  this.timeout(120_000);
  let app: TestApp;
  let worker: WorkerProcess;
  let u: DemoUsers;
  let fixtures: PolicyFixtures;

  before(async function () {
    app = await startTestApp({ label: 'tasks' });
    worker = await startWorker(app);
    u = await demoUsers(app);
    fixtures = new PolicyFixtures(app, u);
  });
  after(async function () {
    await worker?.stop();
    await app?.close();
  });

  const tasks = async (who: keyof DemoUsers) => (await u[who].api.get<{ items: Task[]; total: number }>('/api/v1/tasks')).body.items;
  const notifications = async (who: keyof DemoUsers) => (await u[who].api.get<{ items: Notification[] }>('/api/v1/notifications?unread=true')).body.items;

  it('gives a drafter the upload of a new draft, and nobody else a task on it', async function () {
    const created = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: '待上传文本的措施', kind: 'normative_document', issuingLevel: 'department' });
    expect((await tasks('drafter')).find((t) => t.id === created.body.id)).to.deep.include({ kind: 'policy', actions: ['upload_version'], due: null });
    expect((await tasks('member1')).some((t) => t.id === created.body.id)).to.equal(false);
    expect((await tasks('drafter2')).some((t) => t.id === created.body.id), 'another department').to.equal(false);
  });

  it('hands a joint review to its members: each is notified and has the sign-off with its deadline until signed', async function () {
    const id = await fixtures.completeSelfReview('government');
    const deadline = daysFromNow(20);
    await fixtures.transition('lead', id, { action: 'request_joint_review', members: [u.member1.id, u.member2.id], quorum: 2, deadline });
    for (const member of ['member1', 'member2'] as const) {
      const task = (await tasks(member)).find((t) => t.id === id);
      expect(task, member).to.deep.include({ actions: ['sign_off'], dueLabel: '会审截止' });
      expect(task!.due).to.equal((await u.lead.api.get<{ jointReview: { deadline: string } }>(`/api/v1/policies/${id}`)).body.jointReview.deadline);
      const notice = (await notifications(member)).find((n) => n.policyId === id);
      expect(notice, member).to.deep.include({ kind: 'handover', title: '请签署会审意见：某市关于支持本地商贸企业发展的若干措施' });
    }
    expect((await notifications('member3')).some((n) => n.policyId === id), 'not a member of this review').to.equal(false);
    expect((await u.member1.api.post(`/api/v1/policies/${id}/joint-review/sign-offs`, { vote: 'approve' })).status).to.equal(201);
    expect((await tasks('member1')).some((t) => t.id === id), 'signed').to.equal(false);
    expect((await tasks('member2')).some((t) => t.id === id), 'not yet signed').to.equal(true);
  });

  it('hands an evaluation to the evaluator, and tells the drafting department when the conclusion is recorded', async function () {
    const id = await fixtures.completeSelfReview();
    await fixtures.transition('lead', id, { action: 'request_evaluation', evaluatorId: u.evaluator.id, scope: '竞争影响', deadline: daysFromNow(30) });
    expect((await tasks('evaluator')).find((t) => t.id === id)).to.deep.include({ actions: ['submit_evaluation'], dueLabel: '评估截止' });
    expect((await notifications('evaluator')).find((n) => n.policyId === id)?.title).to.equal('请提交第三方评估意见：某市关于支持本地商贸企业发展的若干措施');
    await fixtures.transition('evaluator', id, { action: 'submit_evaluation', summary: '影响有限' });
    await fixtures.transition('lead', id, { action: 'conclude', outcome: 'compliant', reasoning: '符合审查标准' });
    for (const who of ['drafter', 'lead'] as const) {
      expect((await notifications(who)).find((n) => n.policyId === id)?.title, who).to.equal('已作出审查结论：某市关于支持本地商贸企业发展的若干措施');
    }
    expect((await tasks('drafter')).find((t) => t.id === id)?.actions).to.deep.equal(['publish']);
  });

  it('提交审核 / 退回修改: the drafter submits to the department’s lead, who is notified and can send it back with comments', async function () {
    const id = await fixtures.completeSelfReview();
    const submitted = await fixtures.transition('drafter', id, { action: 'submit_to_lead' });
    expect(submitted.state).to.equal('self_review');
    expect((await notifications('lead')).find((n) => n.policyId === id)?.title).to.equal('请审核自我审查：某市关于支持本地商贸企业发展的若干措施');
    expect((await u.drafter.api.get<{ allowedActions: Array<{ action: string; allowed: boolean; reason?: string }> }>(`/api/v1/policies/${id}`)).body.allowedActions)
      .to.deep.include({ action: 'submit_to_lead', allowed: false, reason: '已提交负责人审核' });
    const refused = await u.drafter.api.post(`/api/v1/policies/${id}/transitions`, { action: 'return_to_drafter', rev: submitted.rev, reason: '自己退回' });
    expect(refused.status, 'only a lead returns').to.equal(403);
    await fixtures.transition('lead', id, { action: 'return_to_drafter', reason: '请补充征求意见的采纳情况' });
    expect((await notifications('drafter')).find((n) => n.policyId === id && n.title.startsWith('自我审查已退回修改'))?.title)
      .to.equal('自我审查已退回修改：某市关于支持本地商贸企业发展的若干措施（意见：请补充征求意见的采纳情况）');
    const events = (await u.lead.api.get<{ events: Array<{ action: string }> }>(`/api/v1/policies/${id}/history`)).body.events.map((e) => e.action);
    expect(events.slice(-2)).to.deep.equal(['submit_to_lead', 'return_to_drafter']);
  });
});
