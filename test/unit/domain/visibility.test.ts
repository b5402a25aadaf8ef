import { expect } from 'chai';
import { ValidationError } from '../../../server/domain/errors';
import { POLICY_STATES, type Policy } from '../../../server/domain/policy';
import { policyListFilter, visibilityFilter, type MongoFilter } from '../../../server/db/policyFilters';
import { canRead, readScope } from '../../../server/domain/visibility';
import { ACTOR_NAMES, DEPT, OTHER_DEPT, actors, evaluationCommand, storyIn, type ActorName } from './policyFixtures';

/**
 * Just enough of MongoDB's query semantics to check the filters against `canRead`: dotted paths that reach
 * through arrays, equality that matches an array element, $ne (null also matches a missing field), $and, $or,
 * $regex.
 */
function valuesAt(doc: unknown, path: string[]): unknown[] {
  if (path.length === 0) return [doc];
  if (Array.isArray(doc)) return doc.flatMap((item) => valuesAt(item, path));
  if (doc === null || typeof doc !== 'object') return [undefined];
  return valuesAt((doc as Record<string, unknown>)[path[0] as string], path.slice(1));
}

function equalsAny(values: unknown[], expected: unknown): boolean {
  const flat = values.flatMap((v) => (Array.isArray(v) ? [v, ...v] : [v]));
  return flat.some((v) => (expected === null ? v === null || v === undefined : v === expected));
}

function matches(doc: unknown, filter: MongoFilter): boolean {
  return Object.entries(filter).every(([key, condition]) => {
    if (key === '$and') return (condition as MongoFilter[]).every((f) => matches(doc, f));
    if (key === '$or') return (condition as MongoFilter[]).some((f) => matches(doc, f));
    const values = valuesAt(doc, key.split('.'));
    if (condition !== null && typeof condition === 'object') {
      const ops = condition as Record<string, unknown>;
      if ('$ne' in ops) return !equalsAny(values, ops.$ne);
      if ('$regex' in ops) return values.some((v) => typeof v === 'string' && new RegExp(ops.$regex as string).test(v));
      throw new Error(`operator not modelled: ${Object.keys(ops).join()}`);
    }
    return equalsAny(values, condition);
  });
}

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

  it('the list filter selects exactly what canRead allows, for every actor', () => {
    const policies = corpus();
    for (const name of ACTOR_NAMES) {
      const filter = visibilityFilter(actors[name]);
      const byFilter = policies.filter((p) => matches(p, filter)).map((p) => p.id);
      const byPredicate = policies.filter((p) => canRead(p, actors[name])).map((p) => p.id);
      expect(byFilter, name).to.deep.equal(byPredicate);
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

describe('policyListFilter', () => {
  it('is the visibility filter alone when nothing else is asked', () => {
    expect(policyListFilter(actors.admin)).to.deep.equal({});
    expect(policyListFilter(actors.regulator)).to.deep.equal({ state: { $ne: 'draft' } });
  });

  it('ANDs state, department and text with visibility', () => {
    expect(policyListFilter(actors.drafter, { state: 'self_review', departmentId: OTHER_DEPT, text: '商贸' })).to.deep.equal({
      $and: [
        { draftingDepartmentId: DEPT },
        { state: 'self_review' },
        { draftingDepartmentId: OTHER_DEPT },
        { $or: [{ title: { $regex: '商贸' } }, { docNumber: { $regex: '商贸' } }] },
      ],
    });
  });

  it('never widens what the actor may see', () => {
    const policies = corpus();
    const filter = policyListFilter(actors.otherDrafter, { departmentId: DEPT });
    expect(policies.filter((p) => matches(p, filter))).to.deep.equal([]);
  });

  it('matches text literally, regex characters included', () => {
    const filter = policyListFilter(actors.admin, { text: '〔2025〕12号 (.*)' });
    const text = ((filter.$or as MongoFilter[])[0]?.title as { $regex: string }).$regex;
    expect(new RegExp(text).test('商务发〔2025〕12号 (.*)')).to.equal(true);
    expect(new RegExp(text).test('商务发〔2025〕12号 (abc)')).to.equal(false);
    expect(policyListFilter(actors.admin, { text: '   ' })).to.deep.equal({});
  });

  it('finds by title and by document number', () => {
    const policies = corpus();
    const byTitle = policies.filter((p) => matches(p, policyListFilter(actors.admin, { text: '商贸流通' })));
    expect(byTitle).to.have.length(policies.length);
    const byNumber = policies.filter((p) => matches(p, policyListFilter(actors.admin, { text: '〔2025〕12号' })));
    expect(byNumber.map((p) => p.state)).to.have.members(['published', 'published', 'recheck', 'recheck', 'abolished', 'abolished']);
  });

  it('rejects an unknown state as 400', () => {
    expect(() => policyListFilter(actors.admin, { state: 'lost' as never })).to.throw(ValidationError);
  });
});
