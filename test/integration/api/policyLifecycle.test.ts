/**
 * The whole life of a policy through HTTP, against the real store and Redis, with a real worker process doing
 * the analysis: a department measure (upload → analysed → self-review → concluded → published → recheck → new
 * version → concluded) and a government measure (joint review by three members with a quorum of two, a
 * third-party evaluation in between, and the regulator concluding with an exception).
 */
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { CHECKLIST_ITEM_IDS } from '../../../server/domain/policy';
import { makeDocx } from '../../fixtures/makeDocuments';
import { startTestApp, type TestApp } from '../../support/testApp';
import { startWorker, type WorkerProcess } from '../../support/workerProcess';
import {
  DRAFT_V1,
  DRAFT_V2,
  completeSelfReview,
  daysFromNow,
  demoUsers,
  expectProblem,
  today,
  upload,
  waitForVersion,
  type DemoUsers,
  type PolicyBody,
} from './policyHelpers';

interface FindingBody { id: string; itemId: string; path: string; text: string; start: number; end: number; evidence: unknown[]; decision: { status: string; reason: string; by: string | null } }

describe('policy lifecycle API (real store, Redis and worker process)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let worker: WorkerProcess;
  let u: DemoUsers;

  before(async function () {
    app = await startTestApp({ label: 'lifecycle' });
    u = await demoUsers(app);
    worker = await startWorker(app);
  });
  after(async function () {
    await worker?.stop();
    await app?.close();
  });

  async function transition(who: keyof DemoUsers, id: string, body: Record<string, unknown>) {
    const current = await u[who].api.get<PolicyBody>(`/api/v1/policies/${id}`);
    return u[who].api.post<PolicyBody>(`/api/v1/policies/${id}/transitions`, { rev: current.body.rev, ...body });
  }

  it('takes a department measure from upload through publication, recheck and a revised version to a new conclusion', async function () {
    const created = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: '某市关于支持本地商贸企业发展的若干措施', kind: 'normative_document', issuingLevel: 'department', industries: ['商贸流通'] });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body).to.include({ state: 'draft', rev: 0, draftingDepartmentName: '市商务局' });
    const id = created.body.id;

    // v1 as DOCX: queued, then analysed by the worker process
    const docx = await makeDocx(DRAFT_V1.split('\n').map((paragraph) => ({ paragraph })));
    const up1 = await upload(app.baseUrl, u.drafter.token, id, docx, '商贸措施（征求意见稿）.docx');
    expect(up1.status, JSON.stringify(up1.body)).to.equal(202);
    expect(up1.body).to.include({ version: 1, status: 'queued', sha256: createHash('sha256').update(docx).digest('hex') });
    const v1 = await waitForVersion(u.drafter.api, id, 1);
    expect(v1.status, JSON.stringify(v1)).to.equal('analysed');
    expect(v1.progress).to.equal(100);
    expect(v1.checklistVersion).to.be.a('string').with.length.above(0);
    expect(v1.counts.total).to.be.at.least(2);
    expect(v1.resolvedSincePrevious).to.equal(null);

    // the original file comes back byte for byte, under its Chinese name
    const file = await fetch(`${app.baseUrl}/api/v1/policies/${id}/versions/1/file`, { headers: { authorization: `Bearer ${u.drafter.token}` } });
    expect(file.status).to.equal(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(docx)).to.equal(true);
    expect(file.headers.get('content-disposition')).to.include(encodeURIComponent('商贸措施（征求意见稿）.docx'));

    // the reviewer confirms one finding and dismisses another with a reason
    const findings = await u.drafter.api.get<{ versionN: number; items: FindingBody[] }>(`/api/v1/policies/${id}/findings`);
    expect(findings.status).to.equal(200);
    expect(findings.body.versionN).to.equal(1);
    const flagged = findings.body.items;
    expect(flagged.map((f) => f.itemId)).to.include('cost-3');
    // 第二条 (local products preferred in government procurement): discrimination against outside goods or bidders
    const procurement = flagged.find((f) => f.text.includes('优先采购本地企业'))!;
    expect(procurement.itemId).to.be.oneOf(['flow-1', 'flow-3']);
    const rebate = flagged.find((f) => f.itemId === 'cost-3')!;
    expect(DRAFT_V1.slice(procurement.start, procurement.end)).to.equal(procurement.text);
    const confirmed = await u.drafter.api.patch<FindingBody>(`/api/v1/policies/${id}/findings/${procurement.id}`, { status: 'confirmed', reason: '确属本地优先采购' });
    expect(confirmed.status).to.equal(200);
    expect(confirmed.body.decision).to.include({ status: 'confirmed', by: u.drafter.id });
    expectProblem(await u.drafter.api.patch(`/api/v1/policies/${id}/findings/${rebate.id}`, { status: 'dismissed' }), 422, 'missing_preconditions');
    const dismissed = await u.lead.api.patch<FindingBody>(`/api/v1/policies/${id}/findings/${rebate.id}`, { status: 'dismissed', reason: '返还依据国务院批准文件，另行说明' });
    expect(dismissed.body.decision).to.include({ status: 'dismissed', reason: '返还依据国务院批准文件，另行说明' });
    const tally = await waitForVersion(u.drafter.api, id, 1);
    expect(tally.counts).to.include({ confirmed: 1, dismissed: 1, open: tally.counts.total - 2 });
    expect((await u.drafter.api.get(`/api/v1/policies/${id}/versions/1/findings?status=dismissed`)).body.items).to.have.length(1);

    // self-review: the drafter starts it and records the answers; only the lead concludes
    const started = await transition('drafter', id, { action: 'start_review' });
    expect(started.status, JSON.stringify(started.body)).to.equal(200);
    expect(started.body.state).to.equal('self_review');
    const answers = CHECKLIST_ITEM_IDS.map((itemId) => (itemId === procurement.itemId
      ? { itemId, answer: 'yes', note: '第二条要求优先采购本地产品，已决定删除', findingIds: [procurement.id] }
      : { itemId, answer: 'no' }));
    const saved = await u.drafter.api.put<PolicyBody>(`/api/v1/policies/${id}/self-review`, completeSelfReview(started.body.rev, {
      answers,
      draftConclusion: { outcome: 'compliant_after_revision', reasoning: '删除第二条后符合审查标准' },
    }));
    expect(saved.status, JSON.stringify(saved.body)).to.equal(200);
    expect(saved.body.availableActions).to.include('withdraw').and.not.include('conclude');
    expectProblem(await transition('drafter', id, { action: 'conclude', outcome: 'compliant_after_revision', reasoning: '删除第二条后符合审查标准' }), 403, 'forbidden');
    const lead = await u.lead.api.get<PolicyBody>(`/api/v1/policies/${id}`);
    expect(lead.body.availableActions).to.include('conclude');
    // 经修改后符合 needs a revised text; every other finding must be decided or explained in the conclusion
    const unrevised = await transition('lead', id, { action: 'conclude', outcome: 'compliant_after_revision', reasoning: '按审查意见删除第二条后，不具有排除、限制竞争的效果' });
    expectProblem(unrevised, 422, 'missing_preconditions');
    expect(unrevised.body.missing).to.deep.equal(['revisedVersion']);
    const open = (await u.lead.api.get<{ items: FindingBody[] }>(`/api/v1/policies/${id}/findings?status=pending`)).body.items;
    const concluded = await transition('lead', id, {
      action: 'conclude', outcome: 'compliant', reasoning: '第二条将在出台前删除，其余条款不具有排除、限制竞争的效果',
      undecidedFindings: open.map((f) => ({ findingId: f.id, reason: '出台前一并修改' })),
    });
    expect(concluded.status, JSON.stringify(concluded.body)).to.equal(200);
    expect(concluded.body.state).to.equal('concluded');

    // publication, then a complaint handler opens a recheck
    const published = await transition('drafter', id, { action: 'publish', docNumber: '某商发〔2025〕1号', publishedOn: today() });
    expect(published.status, JSON.stringify(published.body)).to.equal(200);
    expect(published.body).to.include({ state: 'published', docNumber: '某商发〔2025〕1号' });
    expectProblem(await transition('drafter', id, { action: 'open_recheck', reason: '自查' }), 403, 'forbidden');
    const recheck = await transition('handler', id, { action: 'open_recheck', reason: '举报反映第三条对本地企业返还土地出让金', source: 'complaint' });
    expect(recheck.status, JSON.stringify(recheck.body)).to.equal(200);
    expect(recheck.body.state).to.equal('recheck');
    expectProblem(await transition('drafter', id, { action: 'resume_after_recheck' }), 422, 'missing_preconditions');

    // the revised version as plain text: both concerns are gone
    const up2 = await upload(app.baseUrl, u.drafter.token, id, Buffer.from(DRAFT_V2, 'utf8'), '商贸措施（修订稿）.txt', 'text/plain');
    expect(up2.status, JSON.stringify(up2.body)).to.equal(202);
    expect(up2.body.version).to.equal(2);
    const v2 = await waitForVersion(u.drafter.api, id, 2);
    expect(v2.status, JSON.stringify(v2)).to.equal('analysed');
    expect(v2.resolvedSincePrevious?.previousVersion).to.equal(1);
    expect(v2.resolvedSincePrevious?.items).to.include.members([procurement.itemId, 'cost-3']);
    expect(v2.resolvedSincePrevious?.findings.map((f) => f.itemId)).to.include.members([procurement.itemId, 'cost-3']);

    const resumed = await transition('drafter', id, { action: 'resume_after_recheck' });
    expect(resumed.status, JSON.stringify(resumed.body)).to.equal(200);
    expect(resumed.body).to.include({ state: 'self_review', conclusion: null, latestVersion: 2 });
    // the answers given for version 1 no longer count for version 2
    expectProblem(await transition('lead', id, { action: 'conclude', outcome: 'compliant', reasoning: '修订后符合' }), 422, 'missing_preconditions');
    const savedAgain = await u.drafter.api.put<PolicyBody>(`/api/v1/policies/${id}/self-review`, completeSelfReview(resumed.body.rev));
    expect(savedAgain.status, JSON.stringify(savedAgain.body)).to.equal(200);
    const reconcluded = await transition('lead', id, { action: 'conclude', outcome: 'compliant', reasoning: '修订稿已删除相关条款，符合公平竞争审查标准' });
    expect(reconcluded.status, JSON.stringify(reconcluded.body)).to.equal(200);
    expect(reconcluded.body.state).to.equal('concluded');
    expect((reconcluded.body.conclusion as { versionN: number }).versionN).to.equal(2);

    // the history tells the whole story and its hash chain verifies
    const history = await u.drafter.api.get<{ events: Array<{ action: string; from: string | null; to: string }> }>(`/api/v1/policies/${id}/history`);
    expect(history.body.events.map((e) => e.action)).to.deep.equal([
      'create', 'upload_version', 'decide_finding', 'decide_finding', 'start_review', 'update_self_review', 'conclude', 'publish', 'open_recheck',
      'upload_version', 'resume_after_recheck', 'update_self_review', 'conclude',
    ]);
    const verify = await u.regulator.api.get(`/api/v1/policies/${id}/history/verify`);
    expect(verify.body).to.include({ ok: true, length: 13 });

    // someone with write access to the store rewrites one past event: the chain no longer verifies, at that event
    const tampered = await app.deps.models.Policy.collection.updateOne(
      { _id: new mongoose.Types.ObjectId(id) },
      { $set: { 'events.4.comment': '（事后改写的结论说明）' } },
    );
    expect(tampered.modifiedCount).to.equal(1);
    const broken = await u.regulator.api.get(`/api/v1/policies/${id}/history/verify`);
    expect(broken.status).to.equal(200);
    expect(broken.body).to.include({ ok: false, brokenAt: 4, reason: 'hash_mismatch' });
  });

  it('takes a government measure through a joint review with a quorum of two, a third-party evaluation, and an exception', async function () {
    const created = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: '某市人民政府关于保障城市应急物资储备的若干措施', kind: 'normative_document', issuingLevel: 'government' });
    const id = created.body.id;
    expect((await upload(app.baseUrl, u.drafter.token, id, Buffer.from(DRAFT_V2, 'utf8'), '应急物资储备措施.txt', 'text/plain')).status).to.equal(202);
    expect((await waitForVersion(u.drafter.api, id, 1)).status).to.equal('analysed');
    const started = await transition('lead', id, { action: 'start_review' });
    expect(started.body.state).to.equal('self_review');
    expect((await u.drafter.api.put(`/api/v1/policies/${id}/self-review`, completeSelfReview(started.body.rev, {
      draftConclusion: { outcome: 'exception', reasoning: '指定储备企业属于应急保障的例外情形' },
    }))).status).to.equal(200);

    // a government measure cannot be concluded by the department alone (条例14)
    const alone = await transition('lead', id, { action: 'conclude', outcome: 'compliant', reasoning: '符合' });
    expectProblem(alone, 422, 'missing_preconditions');
    expect(alone.body.missing).to.include('jointReview');

    // the lead picks the three committee members from the directory
    const directory = await u.lead.api.get<{ items: Array<{ id: string; username: string }> }>('/api/v1/users?role=committee_member');
    expect(directory.status).to.equal(200);
    const members = directory.body.items.map((m) => m.id);
    expect(directory.body.items.map((m) => m.username)).to.deep.equal(['member1', 'member2', 'member3']);
    expectProblem(await transition('lead', id, { action: 'request_joint_review', members: [...members.slice(0, 2), u.evaluator.id], quorum: 2, deadline: daysFromNow(20) }), 400, 'invalid_command');
    const joint = await transition('lead', id, { action: 'request_joint_review', members, quorum: 2, deadline: daysFromNow(20) });
    expect(joint.status, JSON.stringify(joint.body)).to.equal(200);
    expect(joint.body.state).to.equal('joint_review');

    // members see it now; member1 signs; one sign-off is short of the quorum
    const seen = await u.member1.api.get<PolicyBody>(`/api/v1/policies/${id}`);
    expect(seen.body.availableRecordActions).to.deep.equal(['sign_off']);
    const first = await u.member1.api.post<PolicyBody>(`/api/v1/policies/${id}/joint-review/sign-offs`, { vote: 'approve', comment: '同意' });
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    expect(first.body.jointReviewStatus).to.include({ signed: 1, reached: false });
    expectProblem(await u.member1.api.post(`/api/v1/policies/${id}/joint-review/sign-offs`, { vote: 'approve' }), 409, 'already_signed');
    const early = await transition('regulator', id, { action: 'conclude', outcome: 'compliant', reasoning: '符合' });
    expectProblem(early, 422, 'missing_preconditions');
    expect(early.body.missing).to.include('jointReview.quorum');

    // the regulator commissions a third-party evaluation; the evaluator submits; back to the joint review
    const evaluators = await u.regulator.api.get<{ items: Array<{ id: string }> }>('/api/v1/users?role=evaluator');
    const evaluation = await transition('regulator', id, { action: 'request_evaluation', evaluatorId: evaluators.body.items[0]!.id, scope: '指定储备企业对市场竞争的影响', deadline: daysFromNow(10) });
    expect(evaluation.status, JSON.stringify(evaluation.body)).to.equal(200);
    expect(evaluation.body.state).to.equal('third_party_evaluation');
    const assigned = await u.evaluator.api.get<PolicyBody>(`/api/v1/policies/${id}`);
    expect(assigned.status).to.equal(200);
    expect(assigned.body.availableActions).to.deep.equal(['submit_evaluation']);
    const submitted = await transition('evaluator', id, { action: 'submit_evaluation', summary: '储备企业通过公开招标确定，对竞争影响有限，建议设定实施期限' });
    expect(submitted.status, JSON.stringify(submitted.body)).to.equal(200);
    expect(submitted.body.state).to.equal('joint_review');

    const second = await u.member2.api.post<PolicyBody>(`/api/v1/policies/${id}/joint-review/sign-offs`, { vote: 'approve_with_changes', comment: '建议明确储备企业的遴选程序' });
    expect(second.status).to.equal(201);
    expect(second.body.jointReviewStatus).to.include({ signed: 2, reached: true, approvals: 1, approvalsWithChanges: 1 });

    // an exception needs the five explanations and an end date (条例12, 办法29)
    const bare = await transition('regulator', id, { action: 'conclude', outcome: 'exception', reasoning: '属于例外情形' });
    expectProblem(bare, 422, 'missing_preconditions');
    expect(bare.body.missing).to.include.members(['exception.restrictiveEffect', 'exception.situation', 'exception.leastRestrictive', 'exception.periodReasonableness', 'exception.other', 'exception.endDateOrTerminationCondition']);
    const endDate = `${new Date().getUTCFullYear() + 2}-12-31`;
    const exception = {
      restrictiveEffect: '指定储备企业在储备期内对同类经营者形成一定限制',
      situation: 'public_interest',
      situationExplanation: '应急物资储备属于救灾救助等社会公共利益',
      leastRestrictive: '通过公开招标遴选储备企业，已是对竞争影响最小的方式',
      periodReasonableness: '储备合同期限两年，与储备物资轮换周期一致',
      other: '无',
      endDate,
    };
    const concluded = await transition('regulator', id, { action: 'conclude', outcome: 'exception', reasoning: '符合例外规定，可以出台', exception });
    expect(concluded.status, JSON.stringify(concluded.body)).to.equal(200);
    expect(concluded.body.state).to.equal('concluded');
    const conclusion = concluded.body.conclusion as { outcome: string; jointReview: boolean; exception: { situation: string; endDate: string } };
    expect(conclusion).to.include({ outcome: 'exception', jointReview: true });
    expect(conclusion.exception.situation).to.equal('public_interest');
    expect(conclusion.exception.endDate.slice(0, 4)).to.equal(endDate.slice(0, 4));

    const verify = await u.admin.api.get(`/api/v1/policies/${id}/history/verify`);
    expect(verify.body).to.include({ ok: true });
  });
});
