import { expect } from 'chai';
import { ConflictError, ForbiddenError, PreconditionError, ValidationError } from '../../../server/domain/errors';
import { verifyChain } from '../../../server/domain/eventChain';
import { decideSignOff, quorumStatus, type SignOffInput } from '../../../server/domain/jointReview';
import { applyPatch } from '../../../server/domain/patch';
import type { JointReview, PolicyState } from '../../../server/domain/policy';
import type { Actor } from '../../../server/domain/roles';
import { ACTOR_NAMES, MEMBERS, actors, storyIn, type Story } from './policyFixtures';

function signOffError(story: Story, who: Actor, input: SignOffInput): unknown {
  try {
    decideSignOff(story.policy, who, input, story.clock.tick());
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('joint review sign-offs', () => {
  it('records an assigned member’s vote and comment with a chained event', () => {
    const story = storyIn('joint_review');
    const now = story.clock.tick();
    const patch = decideSignOff(story.policy, actors.member2, { vote: 'approve_with_changes', comment: '删除第五条“本地”字样' }, now);
    expect(patch.from).to.equal('joint_review');
    expect(patch.to).to.equal('joint_review');
    expect(patch.set.jointReview?.signOffs).to.deep.equal([
      { memberId: actors.member2.id, username: actors.member2.username, vote: 'approve_with_changes', comment: '删除第五条“本地”字样', at: now.toISOString() },
    ]);
    expect(patch.event).to.include({ action: 'sign_off', comment: '删除第五条“本地”字样' });
    expect(patch.event.data).to.deep.equal({ vote: 'approve_with_changes' });
    expect(verifyChain(applyPatch(story.policy, patch).events).ok).to.equal(true);
  });

  it('lets each member sign only once (409)', () => {
    const story = storyIn('joint_review').signOff(actors.member1);
    const err = signOffError(story, actors.member1, { vote: 'reject', comment: '改变主意' });
    expect(err).to.be.instanceOf(ConflictError);
    expect((err as ConflictError).code).to.equal('already_signed');
  });

  it('is only for the assigned committee members (403 for everyone else)', () => {
    const story = storyIn('joint_review');
    for (const name of ACTOR_NAMES.filter((n) => !['member1', 'member2', 'member3'].includes(n))) {
      expect(signOffError(story, actors[name], { vote: 'approve' }), name).to.be.instanceOf(ForbiddenError);
    }
  });

  it('is refused outside a joint review (409)', () => {
    const states: PolicyState[] = ['draft', 'self_review', 'third_party_evaluation', 'concluded', 'published', 'recheck', 'abolished', 'withdrawn'];
    for (const state of states) {
      const err = signOffError(storyIn(state), actors.member1, { vote: 'approve' });
      expect(err, state).to.be.instanceOf(ConflictError);
      expect((err as ConflictError).code).to.equal('wrong_state');
    }
  });

  it('is refused while the joint review is out for evaluation', () => {
    const story = storyIn('joint_review').act(actors.regulator, { action: 'request_evaluation', evaluatorId: actors.evaluator.id, scope: '评估', deadline: '2025-12-31' });
    expect(signOffError(story, actors.member1, { vote: 'approve' })).to.be.instanceOf(ConflictError);
  });

  it('needs a vote, and a comment unless it is a plain approval', () => {
    const story = storyIn('joint_review');
    const noVote = signOffError(story, actors.member1, { comment: '意见' });
    expect(noVote).to.be.instanceOf(PreconditionError);
    expect((noVote as PreconditionError).details.missing).to.deep.equal(['vote']);
    for (const vote of ['reject', 'approve_with_changes'] as const) {
      const err = signOffError(story, actors.member1, { vote, comment: ' ' });
      expect((err as PreconditionError).details.missing, vote).to.deep.equal(['comment']);
    }
    expect(decideSignOff(story.policy, actors.member1, { vote: 'approve' }, story.clock.tick()).set.jointReview?.signOffs[0]?.comment).to.equal('');
  });

  it('rejects an unknown vote (400)', () => {
    const err = signOffError(storyIn('joint_review'), actors.member1, { vote: 'abstain' as never, comment: 'x' });
    expect(err).to.be.instanceOf(ValidationError);
  });

  it('never loses a concurrent sign-off: the stale patch fails its guard, the retry records both', () => {
    const story = storyIn('joint_review');
    const loaded = story.policy;
    const first = decideSignOff(loaded, actors.member1, { vote: 'approve' }, story.clock.tick());
    const second = decideSignOff(loaded, actors.member2, { vote: 'reject', comment: '不同意' }, story.clock.tick());
    const afterFirst = applyPatch(loaded, first);
    expect(() => applyPatch(afterFirst, second), 'the store filter {state, rev} no longer matches').to.throw(/expects joint_review@/);
    const retried = decideSignOff(afterFirst, actors.member2, { vote: 'reject', comment: '不同意' }, story.clock.tick());
    const final = applyPatch(afterFirst, retried);
    expect(final.jointReview?.signOffs.map((s) => s.memberId)).to.deep.equal([actors.member1.id, actors.member2.id]);
    expect(verifyChain(final.events).ok).to.equal(true);
  });
});

describe('quorumStatus', () => {
  const review = (signOffs: JointReview['signOffs'], quorum = 2): JointReview => ({
    members: MEMBERS,
    quorum,
    deadline: '2025-12-31T15:59:59.999Z',
    requestedBy: actors.regulator.id,
    requestedAt: '2025-05-06T02:00:00.000Z',
    signOffs,
  });
  const signOff = (memberId: string, vote: 'approve' | 'approve_with_changes' | 'reject') => ({ memberId, username: memberId, vote, comment: '', at: '2025-05-07T00:00:00.000Z' });

  it('counts sign-offs of any vote towards the quorum, and tallies the votes', () => {
    expect(quorumStatus(review([]))).to.deep.equal({ required: 2, signed: 0, reached: false, approvals: 0, approvalsWithChanges: 0, rejections: 0, pending: MEMBERS });
    const two = quorumStatus(review([signOff('u-member1', 'reject'), signOff('u-member3', 'approve_with_changes')]));
    expect(two).to.deep.equal({ required: 2, signed: 2, reached: true, approvals: 0, approvalsWithChanges: 1, rejections: 1, pending: ['u-member2'] });
  });

  it('ignores sign-offs by non-members and repeated sign-offs', () => {
    const status = quorumStatus(review([signOff('u-member1', 'approve'), signOff('u-member1', 'reject'), signOff('u-stranger', 'approve')]));
    expect(status).to.include({ signed: 1, reached: false, approvals: 1, rejections: 0 });
  });

  it('is reached exactly at the quorum', () => {
    const all = [signOff('u-member1', 'approve'), signOff('u-member2', 'approve'), signOff('u-member3', 'approve')];
    expect(quorumStatus(review(all.slice(0, 2), 3)).reached).to.equal(false);
    expect(quorumStatus(review(all, 3)).reached).to.equal(true);
    expect(quorumStatus(review(all.slice(0, 1), 1)).reached).to.equal(true);
  });
});
