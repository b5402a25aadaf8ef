import { expect } from 'chai';
import { POLICY_STATES, type Policy } from '../../../server/domain/policy';
import { listSelection, summarizePolicy, type PolicyListFilters } from '../../../server/domain/policySummary';
import { canRead, readScope } from '../../../server/domain/visibility';
import { ACTOR_NAMES, DEPT, OTHER_DEPT, actors, evaluationCommand, storyIn, type ActorName } from './policyFixtures';

/** Policies in every state, in two departments, with various assignments. */
function corpus(): Policy[] {
  const policies: Policy[] = [];
  for (const state of POLICY_STATES) {
    for (const department of [DEPT, OTHER_DEPT]) {
      const policy = { ...storyIn(state).policy, draftingDepartmentId: department };
      policies.push({ ...policy, id: `${state}-${department}` });
    }
  }
  const underEvaluation = storyIn('joint_review').act(actors.regulator, { ...evaluationCommand }).policy;
  policies.push({ ...underEvaluation, id: 'evaluated-in-joint-review' });
  const narrowJointReview = storyIn('joint_review');
  narrowJointReview.policy = { ...narrowJointReview.policy, jointReview: { ...narrowJointReview.policy.jointReview!, members: [actors.member3.id] } };
  policies.push({ ...narrowJointReview.policy, id: 'member3-only' });
  return policies;
}

/** The ids the policy list selects for this actor, decided on the summaries it is served from (as the API does). */
function listed(policies: readonly Policy[], name: ActorName, filters: PolicyListFilters = {}): string[] {
  const selection = listSelection(actors[name], filters);
  const context = { departmentName: '本部门', updatedAt: undefined, createdAt: undefined };
  return policies.filter((p) => selection.matches(summarizePolicy(p, context, []))).map((p) => p.id);
}

describe('visibility', () => {
  const readers = (policy: Policy) => ACTOR_NAMES.filter((name) => canRead(policy, actors[name]));

  it('drafters and leads see their own department’s policies, drafts included', () => {
    const own = storyIn('draft').policy;
    expect(canRead(own, actors.drafter)).to.equal(true);
    expect(canRead(own, actors.lead)).to.equal(true);
    expect(canRead(own, actors.otherDrafter)).to.equal(false);
    expect(canRead(own, actors.otherLead)).to.equal(false);
  });

  it('regulators see every policy past draft; nobody outside the department sees a draft but the admin', () => {
    expect(readers(storyIn('draft').policy)).to.have.members(['drafter', 'lead', 'admin']);
    for (const state of POLICY_STATES.filter((s) => s !== 'draft')) expect(canRead(storyIn(state).policy, actors.regulator), state).to.equal(true);
  });

  it('committee members see the policies whose joint review names them', () => {
    const policy = storyIn('joint_review').policy;
    expect(readers(policy)).to.have.members(['drafter', 'lead', 'regulator', 'member1', 'member2', 'member3', 'admin']);
    expect(canRead(storyIn('self_review').policy, actors.member1)).to.equal(false);
  });

  it('evaluators see the policies with an evaluation assigned to them, also after submitting', () => {
    const story = storyIn('self_review').act(actors.lead, { ...evaluationCommand });
    expect(canRead(story.policy, actors.evaluator)).to.equal(true);
    expect(canRead(story.policy, actors.otherEvaluator)).to.equal(false);
    story.act(actors.evaluator, { action: 'submit_evaluation', summary: '完成' });
    expect(canRead(story.policy, actors.evaluator)).to.equal(true);
  });

  it('complaint handlers see policies once published, including during and after a recheck', () => {
    expect(canRead(storyIn('concluded').policy, actors.handler)).to.equal(false);
    for (const state of ['published', 'recheck', 'abolished'] as const) expect(canRead(storyIn(state).policy, actors.handler), state).to.equal(true);
    const resumed = storyIn('recheck').upload().analysed().act(actors.drafter, { action: 'resume_after_recheck' });
    expect(canRead(resumed.policy, actors.handler)).to.equal(true);
  });

  it('the admin sees everything', () => {
    for (const state of POLICY_STATES) expect(canRead(storyIn(state).policy, actors.admin)).to.equal(true);
  });

  it('the policy list (its selection of summaries) shows exactly what canRead allows on the full policies, for every actor', () => {
    const policies = corpus();
    for (const name of ACTOR_NAMES) {
      const byList = listed(policies, name);
      const byPredicate = policies.filter((p) => canRead(p, actors[name])).map((p) => p.id);
      expect(byList, name).to.deep.equal(byPredicate);
    }
  });

  it('actors with the same read scope read the same policies, so a list computed for one serves the other', () => {
    const policies = corpus();
    const sees = (name: ActorName) => policies.filter((p) => canRead(p, actors[name])).map((p) => p.id);
    expect(readScope(actors.drafter)).to.equal(readScope(actors.lead));
    for (const a of ACTOR_NAMES) {
      for (const b of ACTOR_NAMES) {
        if (readScope(actors[a]) === readScope(actors[b])) expect(sees(a), `${a} and ${b}`).to.deep.equal(sees(b));
      }
    }
  });

  it('the corpus gives each non-admin role policies it sees and policies it does not', () => {
    const policies = corpus();
    const oneOfEachRole: ActorName[] = ['drafter', 'otherLead', 'regulator', 'member3', 'evaluator', 'handler'];
    for (const name of oneOfEachRole) {
      const seen = policies.filter((p) => canRead(p, actors[name])).length;
      expect(seen, name).to.be.greaterThan(0).and.lessThan(policies.length);
    }
  });
});

describe('policy list filters', () => {
  it('never widen what the actor may see', () => {
    const policies = corpus();
    expect(listed(policies, 'otherDrafter', { department: DEPT })).to.deep.equal([]);
    expect(listed(policies, 'regulator', { state: 'draft' })).to.deep.equal([]);
    expect(listed(policies, 'handler', { text: '商贸流通' })).to.deep.equal(listed(policies, 'handler'));
  });

  it('match text literally, regex characters included, and a blank text matches everything', () => {
    const policies = corpus();
    const literal = { ...policies[0]!, id: 'literal', title: '商务发〔2025〕12号 (.*)' };
    expect(listed([...policies, literal], 'admin', { text: '〔2025〕12号 (.*)' })).to.deep.equal(['literal']);
    expect(listed(policies, 'admin', { text: '.*' })).to.deep.equal([]);
    expect(listed(policies, 'admin', { text: '   ' })).to.have.length(policies.length);
  });

  it('find by title and by document number', () => {
    const policies = corpus();
    expect(listed(policies, 'admin', { text: '商贸流通' })).to.have.length(policies.length);
    const byNumber = listed(policies, 'admin', { text: '〔2025〕12号' }).map((id) => policies.find((p) => p.id === id)!.state);
    expect(byNumber).to.have.members(['published', 'published', 'recheck', 'recheck', 'abolished', 'abolished']);
  });
});
