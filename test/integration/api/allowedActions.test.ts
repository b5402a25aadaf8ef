/**
 * `allowedActions`, the one answer to "what may I do here", agrees with what the server then accepts: for every
 * reader of a policy in each stage, a transition is listed exactly when attempting it is neither a 403 (role) nor
 * a 409 (state); a listed action that is `allowed: false` says why in Chinese, and attempting it is refused for
 * that missing precondition (422).
 */
import { expect } from 'chai';
import { TRANSITION_ACTIONS } from '../../../server/domain/policy';
import { DEMO_USERNAMES, usePolicyTestbed, type PolicyBody } from './policyHelpers';

interface AllowedAction { action: string; allowed: boolean; reason?: string; kind?: string }
type WithActions = PolicyBody & { allowedActions: AllowedAction[] };

/** Transitions an empty command would carry out rather than refuse for a missing value. */
const SUCCEED_WITHOUT_VALUES = ['start_review', 'resume_after_recheck', 'submit_to_lead'];

describe('allowedActions: what the API offers is what it accepts (real store, Redis and worker)', function () {
  this.timeout(120_000);
  const bed = usePolicyTestbed('allowed-actions', { WORKER_CONCURRENCY: '4' });

  it('a new draft offers the upload and says start_review waits for one; the attempt is the same 422', async () => {
    const created = await bed.u.drafter.api.post<WithActions>('/api/v1/policies', { title: '待上传的措施', kind: 'other_measure', issuingLevel: 'department' });
    expect(created.status).to.equal(201);
    expect(created.body.allowedActions).to.deep.include({ action: 'upload_version', allowed: true });
    expect(created.body.allowedActions).to.deep.include({ action: 'start_review', allowed: false, reason: '请先上传草案文件' });
    const attempt = await bed.u.drafter.api.post(`/api/v1/policies/${created.body.id}/transitions`, { action: 'start_review', rev: created.body.rev });
    expect(attempt.status).to.equal(422);
    const lead = await bed.u.lead.api.get<WithActions>(`/api/v1/policies/${created.body.id}`);
    expect(lead.body.allowedActions.map((a) => a.action)).to.include('withdraw').and.not.include('sign_off');
  });

  it('an incomplete self-review: the lead is told what request_joint_review still lacks, and the attempt is a 422', async () => {
    const id = await bed.fixtures.selfReview();
    const lead = await bed.u.lead.api.get<WithActions>(`/api/v1/policies/${id}`);
    const joint = lead.body.allowedActions.find((a) => a.action === 'request_joint_review');
    expect(joint?.allowed).to.equal(false);
    expect(joint?.reason).to.match(/^请先完成自我审查/);
    const attempt = await bed.u.lead.api.post(`/api/v1/policies/${id}/transitions`, {
      action: 'request_joint_review', rev: lead.body.rev, members: [bed.u.member1.id], quorum: 1, deadline: '2099-01-01',
    });
    expect(attempt.status).to.equal(422);
    expect(lead.body.allowedActions).to.deep.include({ action: 'request_report', allowed: false, reason: '该政策措施未进行会审', kind: 'joint_review_opinion' });
  });

  for (const stage of ['draft', 'completeSelfReview', 'jointReview', 'published'] as const) {
    it(`in ${stage}: a transition is listed for a reader exactly when the attempt is neither 403 nor 409`, async () => {
      const id = await bed.fixtures[stage]();
      for (const name of DEMO_USERNAMES) {
        const read = await bed.u[name].api.get<WithActions>(`/api/v1/policies/${id}`);
        if (read.status === 404) continue;
        expect(read.status).to.equal(200);
        const listed = new Set(read.body.allowedActions.map((a) => a.action));
        for (const action of TRANSITION_ACTIONS.filter((a) => !SUCCEED_WITHOUT_VALUES.includes(a))) {
          const attempt = await bed.u[name].api.post(`/api/v1/policies/${id}/transitions`, { action, rev: read.body.rev });
          const accepted = attempt.status !== 403 && attempt.status !== 409;
          expect(listed.has(action), `${name} ${action} in ${stage}: answered ${attempt.status} ${JSON.stringify(attempt.body)}`).to.equal(accepted);
          expect(attempt.status, `${name} ${action} changed the policy`).to.not.equal(200);
        }
      }
    });
  }

  it('GET /auth/me lists what the user may start', async () => {
    const actions = async (name: 'drafter' | 'regulator' | 'handler') =>
      (await bed.u[name].api.get<{ allowedActions: AllowedAction[] }>('/api/v1/auth/me')).body.allowedActions.map((a) => a.kind ? `${a.action}:${a.kind}` : a.action);
    expect(await actions('drafter')).to.include('create_policy').and.not.include('view_statistics').and.not.include('list_complaints');
    expect(await actions('regulator')).to.include.members(['view_statistics', 'request_report:statistics', 'create_spot_check', 'list_complaints', 'list_users']);
    expect(await actions('handler')).to.include('list_complaints').and.not.include('create_policy');
  });
});
