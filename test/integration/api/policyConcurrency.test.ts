/**
 * Concurrency on one policy, through HTTP against the real store: 50 requests at once. Sign-offs of different
 * members must all be kept (they carry no `rev` and are decided again after a lost race); transitions carry the
 * `rev` they were based on, so of several racing for the same revision exactly one wins and the rest are 409.
 * Afterwards the tally is exact and the history's hash chain verifies.
 */
import bcrypt from 'bcryptjs';
import { expect } from 'chai';
import { startTestApp, type TestApp } from '../../support/testApp';
import { client, login } from '../../support/http';
import { startWorker, type WorkerProcess } from '../../support/workerProcess';
import { PolicyFixtures, demoUsers, type Client, type DemoUsers, type PolicyBody } from './policyHelpers';

interface SignOff { memberId: string; vote: string }
interface Detail extends PolicyBody { jointReview: { members: string[]; signOffs: SignOff[] } }

const VOTES = ['approve', 'approve_with_changes', 'reject'] as const;

describe('policy API under 50 concurrent requests', function () {
  this.timeout(60_000);
  let app: TestApp;
  let worker: WorkerProcess;
  let u: DemoUsers;
  let policyId: string;
  /** 20 committee members: the three demo ones and 17 more */
  const members: Array<{ id: string; api: Client }> = [];

  before(async function () {
    app = await startTestApp({ label: 'concurrency' });
    u = await demoUsers(app);
    worker = await startWorker(app);
    const department = await app.deps.models.Department.findOne({ code: 'lianxi' }).lean();
    const passwordHash = bcrypt.hashSync('demo1234', 4);
    for (let i = 4; i <= 20; i++) {
      await app.deps.models.User.create({ username: `member${i}`, displayName: `会审成员${i}`, role: 'committee_member', departmentId: department!._id, passwordHash });
    }
    members.push(...[u.member1, u.member2, u.member3].map(({ id, api }) => ({ id, api })));
    for (let i = 4; i <= 20; i++) {
      const api = client(app.baseUrl, await login(app.baseUrl, `member${i}`));
      members.push({ id: (await api.get<{ user: { id: string } }>('/api/v1/auth/me')).body.user.id, api });
    }

    const fixtures = new PolicyFixtures(app, u);
    policyId = await fixtures.completeSelfReview('government');
    await fixtures.transition('lead', policyId, { action: 'request_joint_review', members: members.map((m) => m.id), quorum: 10, deadline: new Date(Date.now() + 30 * 86_400_000).toISOString() });
  });
  after(async function () {
    await worker?.stop();
    await app?.close();
  });

  const detail = async () => (await u.admin.api.get<Detail>(`/api/v1/policies/${policyId}`)).body;

  it('keeps every member\'s sign-off exactly once among 40 sign-offs and 10 stale conclusions sent at once', async function () {
    const before = await detail();
    const voteOf = (i: number) => VOTES[i % VOTES.length]!;
    const requests = [
      ...members.flatMap((m, i) => [0, 1].map(() => ({ kind: 'sign_off' as const, member: m.id, send: () => m.api.post(`/api/v1/policies/${policyId}/joint-review/sign-offs`, { vote: voteOf(i), comment: `第${i + 1}位成员的意见` }) }))),
      ...Array.from({ length: 10 }, () => ({ kind: 'conclude' as const, member: '', send: () => u.regulator.api.post(`/api/v1/policies/${policyId}/transitions`, { action: 'conclude', rev: before.rev, outcome: 'compliant', reasoning: '会审通过' }) })),
    ];
    expect(requests).to.have.length(50);
    const responses = await Promise.all(requests.map((r) => r.send()));

    for (const m of members) {
      const own = responses.filter((_, i) => requests[i]!.member === m.id);
      expect(own.map((r) => r.status).sort(), `member ${m.id}`).to.deep.equal([201, 409]);
      expect(own.find((r) => r.status === 409)?.body.code).to.equal('already_signed');
    }
    const conclusions = responses.filter((_, i) => requests[i]!.kind === 'conclude');
    // decided on the old revision: the quorum was missing (422); decided later: the revision was stale (409)
    for (const r of conclusions) expect([409, 422], JSON.stringify(r.body)).to.include(r.status);

    const after = await detail();
    expect(after.state).to.equal('joint_review');
    expect(after.rev).to.equal(before.rev + 20);
    const signOffs = after.jointReview.signOffs;
    expect(signOffs).to.have.length(20);
    expect(new Set(signOffs.map((s) => s.memberId))).to.deep.equal(new Set(members.map((m) => m.id)));
    members.forEach((m, i) => expect(signOffs.find((s) => s.memberId === m.id)?.vote).to.equal(voteOf(i)));
    expect(after.jointReviewStatus).to.deep.include({ signed: 20, reached: true, approvals: 7, approvalsWithChanges: 7, rejections: 6, pending: [] });

    const history = await u.admin.api.get<{ events: Array<{ action: string }> }>(`/api/v1/policies/${policyId}/history`);
    expect(history.body.events.filter((e) => e.action === 'sign_off')).to.have.length(20);
    expect((await u.admin.api.get(`/api/v1/policies/${policyId}/history/verify`)).body).to.include({ ok: true, length: history.body.events.length });
  });

  it('lets exactly one of 50 transitions racing for the same revision win; the other 49 are 409 and change nothing', async function () {
    const before = await detail();
    const requests = Array.from({ length: 50 }, (_, i) => (i % 2 === 0
      ? { action: 'conclude', to: 'concluded', send: () => u.regulator.api.post<PolicyBody>(`/api/v1/policies/${policyId}/transitions`, { action: 'conclude', rev: before.rev, outcome: 'compliant', reasoning: `结论 ${i}` }) }
      : { action: 'withdraw', to: 'withdrawn', send: () => u.drafter.api.post<PolicyBody>(`/api/v1/policies/${policyId}/transitions`, { action: 'withdraw', rev: before.rev, reason: `撤回 ${i}` }) }));
    const responses = await Promise.all(requests.map((r) => r.send()));

    const winners = responses.map((r, i) => ({ r, request: requests[i]! })).filter(({ r }) => r.status === 200);
    expect(winners, JSON.stringify(responses.map((r) => r.status))).to.have.length(1);
    const losers = responses.filter((r) => r.status !== 200);
    for (const r of losers) {
      expect(r.status, JSON.stringify(r.body)).to.equal(409);
      expect(['stale_rev', 'wrong_state']).to.include(r.body.code);
    }
    const winner = winners[0]!.request;

    const after = await detail();
    expect(after.state).to.equal(winner.to);
    expect(after.rev).to.equal(before.rev + 1);
    expect(after.jointReview.signOffs).to.have.length(20);
    const history = await u.admin.api.get<{ events: Array<{ action: string; comment: string; data: Record<string, unknown> }> }>(`/api/v1/policies/${policyId}/history`);
    const added = history.body.events.slice(-1);
    expect(added.map((e) => e.action)).to.deep.equal([winner.action]);
    expect(history.body.events.filter((e) => e.action === 'conclude' || e.action === 'withdraw')).to.have.length(1);
    expect((await u.admin.api.get(`/api/v1/policies/${policyId}/history/verify`)).body).to.include({ ok: true });
  });
});
