/**
 * The Policy model mirrors the domain aggregate: policies built by the real decisions, in every state, survive a
 * round trip through the real store unchanged with a verifying hash chain; patches apply as one guarded update.
 * (What each actor finds in the policy list is test/integration/api/policyList.test.ts.)
 */
import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { bindModels, syncIndexes, type Models } from '../../../server/db/models/index';
import { PolicyRepository } from '../../../server/db/policyRepository';
import { verifyChain } from '../../../server/domain/eventChain';
import { POLICY_STATES, type Policy } from '../../../server/domain/policy';
import { decideTransition } from '../../../server/domain/policyWorkflow';
import { decideSignOff } from '../../../server/domain/jointReview';
import { connectIsolatedStore } from '../../support/services';
import { VALID_EXCEPTION, actors, evaluationCommand, publishCommand, Story, storyIn } from '../../unit/domain/policyFixtures';

function governmentExceptionStory(): Story {
  const story = new Story('government').upload().analysed();
  story.act(actors.drafter, { action: 'start_review' }).selfReview();
  story.act(actors.regulator, { action: 'request_joint_review', members: [actors.member1.id, actors.member2.id, actors.member3.id], quorum: 2, deadline: '2025-06-30' });
  story.signOff(actors.member1, 'approve_with_changes', '补充实施期限');
  story.act(actors.regulator, { ...evaluationCommand });
  story.act(actors.evaluator, { action: 'submit_evaluation', summary: '例外条件成立', reportFileId: 'f-eval' });
  story.signOff(actors.member3, 'approve');
  story.act(actors.regulator, { action: 'conclude', outcome: 'exception', reasoning: '适用例外规定', exception: { ...VALID_EXCEPTION, situation: 'law_or_state_council', situationBasis: { kind: 'state_council_approval', citation: '国函〔2024〕1号' } } });
  story.act(actors.drafter, { ...publishCommand, docNumber: '市政发〔2025〕3号' });
  story.act(actors.handler, { action: 'open_recheck', reason: '收到举报', source: 'complaint', refId: 'c-9' });
  return story;
}

describe('policy repository on the real store', function () {
  let connection: Connection;
  let models: Models;
  let repo: PolicyRepository;

  before(async function () {
    connection = await connectIsolatedStore('policyrepo');
    models = bindModels(connection);
    await syncIndexes(models);
    repo = new PolicyRepository(models);
  });
  after(async function () {
    await connection.dropDatabase();
    await connection.close();
  });

  const store = async (policy: Policy): Promise<Policy> => {
    const { id: _id, ...draft } = policy;
    return repo.create(draft);
  };

  it('stores a policy in every state, and one with every record filled, and reads it back unchanged', async function () {
    const stories = [...POLICY_STATES.map((state) => storyIn(state)), governmentExceptionStory()];
    for (const story of stories) {
      const stored = await store(story.policy);
      const read = await repo.findById(stored.id);
      expect(read, story.policy.state).to.deep.equal({ ...story.policy, id: stored.id });
      expect(verifyChain(read!.events), story.policy.state).to.deep.equal({ ok: true, length: story.policy.events.length });
    }
  });

  it('applies a decision as one guarded update, and refuses it once the revision moved on', async function () {
    const stored = await store(storyIn('joint_review').policy);
    const signOff = decideSignOff(stored, actors.member1, { vote: 'approve' }, new Date('2025-05-10T00:00:00Z'));
    const withdrawalOnOldRev = decideTransition(stored, actors.drafter, { action: 'withdraw', rev: stored.rev, reason: '撤回' }, new Date('2025-05-10T00:00:00Z'));
    const updated = await repo.applyPatch(stored, signOff);
    expect(updated?.rev).to.equal(stored.rev + 1);
    expect(updated?.jointReview?.signOffs).to.have.length(1);
    expect(await repo.applyPatch(stored, withdrawalOnOldRev), 'stale revision').to.equal(null);
    const read = await repo.findById(stored.id);
    expect(read).to.deep.equal(updated);
    expect(verifyChain(read!.events).ok).to.equal(true);
  });

  it('answers null for unknown and malformed ids', async function () {
    expect(await repo.findById('0123456789abcdef01234567')).to.equal(null);
    expect(await repo.findById('not-an-id')).to.equal(null);
    expect(await repo.findById('aaaaaaaaaaaa')).to.equal(null);
  });
});
