/**
 * Words a user reads, over HTTP: a refused request's detail names the field in Chinese with the limit (no request
 * field name), a 422 names the action and what is missing in Chinese, and people appear by display name — in
 * the history, in the findings' decisions and in the record's `people` (every account it names).
 */
import { expect } from 'chai';
import { daysFromNow, expectProblem, usePolicyTestbed, type PolicyBody } from './policyHelpers';

/** A run of Latin letters: what a leaked field name (title, body.reason, exception.endDate…) looks like. */
const LATIN_WORD = /[A-Za-z]{3,}/;

describe('wording: Chinese messages naming field and limit, display names of people', function () {
  this.timeout(120_000);
  const bed = usePolicyTestbed('wording');

  it('a refused request names the field in Chinese with its limit, in the detail and in each issue', async function () {
    const long = await bed.u.drafter.api.post('/api/v1/policies', { title: '长'.repeat(201), kind: 'normative_document', issuingLevel: 'department' });
    expectProblem(long, 400, 'invalid_request');
    expect(long.body.detail).to.equal('请求参数不合法：名称：不能超过 200 个字');
    expect((long.body as unknown as { issues: Array<{ path: string; message: string }> }).issues).to.deep.equal([{ path: 'body.title', message: '不能超过 200 个字' }]);

    const wrongType = await bed.u.drafter.api.post('/api/v1/policies', { title: 5, kind: 'normative_document', issuingLevel: 'somewhere' });
    expectProblem(wrongType, 400, 'invalid_request');
    expect(wrongType.body.detail).to.include('名称：应为文本').and.include('制定层级：请从给定选项中选择');
    expect(String(wrongType.body.detail)).not.to.match(LATIN_WORD);
  });

  it('a 422 names the action and what is missing in Chinese', async function () {
    const id = await bed.fixtures.selfReview();
    const [finding] = (await bed.u.drafter.api.get<{ items: Array<{ id: string }> }>(`/api/v1/policies/${id}/findings`)).body.items;
    const refused = await bed.u.drafter.api.patch(`/api/v1/policies/${id}/findings/${finding!.id}`, { status: 'dismissed' });
    expectProblem(refused, 422, 'missing_preconditions');
    expect(refused.body.detail).to.equal('审查疑似问题缺少必要条件：理由');
    expect(refused.body.missing, 'the machine names stay for clients').to.deep.equal(['reason']);

    const current = await bed.u.drafter.api.get<PolicyBody>(`/api/v1/policies/${id}`);
    const conclude = await bed.u.lead.api.post(`/api/v1/policies/${id}/transitions`, { action: 'conclude', rev: current.body.rev, outcome: 'compliant' });
    expect(conclude.status).to.equal(422);
    expect(String(conclude.body.detail)).to.match(/^作出审查结论缺少必要条件：/);
    expect(String(conclude.body.detail)).not.to.match(LATIN_WORD);
  });

  it('names people by display name: the history, the findings’ decisions and the record’s people', async function () {
    const id = await bed.fixtures.completeSelfReview('government');
    const members = [bed.u.member1.id, bed.u.member2.id, bed.u.member3.id];
    await bed.fixtures.transition('lead', id, { action: 'request_joint_review', members, quorum: 2, deadline: daysFromNow(30) });

    const history = (await bed.u.member1.api.get<{ events: Array<{ action: string; actor: { id: string; displayName: string } }> }>(`/api/v1/policies/${id}/history`)).body.events;
    expect(history.find((e) => e.action === 'create')!.actor).to.include({ id: bed.u.drafter.id, displayName: '商务局起草人' });
    expect(history.find((e) => e.action === 'request_joint_review')!.actor.displayName).to.equal('商务局负责人');

    const findings = (await bed.u.member1.api.get<{ items: Array<{ decision: { status: string; byDisplayName?: string } }> }>(`/api/v1/policies/${id}/findings`)).body.items;
    expect(findings.length).to.be.greaterThan(0);
    for (const f of findings) expect(f.decision).to.include({ byDisplayName: '商务局起草人' });

    // a member may not list users, yet reads every name the record refers to
    expectProblem(await bed.u.member1.api.get('/api/v1/users?role=committee_member'), 403);
    const record = (await bed.u.member1.api.get<PolicyBody & { people: Record<string, string> }>(`/api/v1/policies/${id}`)).body;
    expect(record.people).to.include({ [bed.u.member1.id]: '会审成员一', [bed.u.member2.id]: '会审成员二', [bed.u.member3.id]: '会审成员三', [bed.u.lead.id]: '商务局负责人', [bed.u.drafter.id]: '商务局起草人' });
  });
});
