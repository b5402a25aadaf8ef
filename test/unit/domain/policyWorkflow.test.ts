/**
 * The transition matrix: every action from every state, with every kind of actor, and with a stale revision.
 */
import { expect } from 'chai';
import { ConflictError, ForbiddenError, ValidationError } from '../../../server/domain/errors';
import { sealEvent, verifyChain } from '../../../server/domain/eventChain';
import { conditionalUpdate } from '../../../server/db/guardedUpdate';
import { policyChange } from '../../../server/db/policyRepository';
import { applyPatch } from '../../../server/domain/patch';
import { POLICY_STATES, TRANSITION_ACTIONS, type PolicyState, type TransitionAction } from '../../../server/domain/policy';
import { decideTransition, type TransitionCommand } from '../../../server/domain/policyWorkflow';
import { ALLOWED_FROM, availableTransitions as availableActions } from '../../../server/domain/permissions/policy';
import { ACTOR_NAMES, actors, evaluationCommand, joinReviewCommand, publishCommand, storyIn, type ActorName, type Story } from './policyFixtures';

type CommandBody = Record<string, unknown> & { action: TransitionAction };

interface LegalMove {
  action: TransitionAction;
  state: PolicyState;
  who: ActorName[];
  command: CommandBody;
  to: PolicyState;
  prepare?: (story: Story) => void;
}

const withdraw = (state: PolicyState): LegalMove => ({
  action: 'withdraw',
  state,
  who: ['drafter', 'lead'],
  command: { action: 'withdraw', reason: '起草计划调整' },
  to: 'withdrawn',
});

/** Every legal (action, state) pair, who may make it, a command that satisfies its preconditions, and the target. */
const LEGAL_MOVES: LegalMove[] = [
  { action: 'start_review', state: 'draft', who: ['drafter', 'lead'], command: { action: 'start_review' }, to: 'self_review' },
  { action: 'submit_to_lead', state: 'self_review', who: ['drafter', 'lead'], command: { action: 'submit_to_lead' }, to: 'self_review' },
  {
    action: 'return_to_drafter',
    state: 'self_review',
    who: ['lead'],
    command: { action: 'return_to_drafter', reason: '请补充征求意见的采纳情况' },
    to: 'self_review',
    prepare: (story) => story.act(actors.drafter, { action: 'submit_to_lead' }),
  },
  { action: 'request_joint_review', state: 'self_review', who: ['lead', 'regulator'], command: { ...joinReviewCommand }, to: 'joint_review' },
  { action: 'request_evaluation', state: 'self_review', who: ['lead', 'regulator'], command: { ...evaluationCommand }, to: 'third_party_evaluation' },
  { action: 'request_evaluation', state: 'joint_review', who: ['lead', 'regulator'], command: { ...evaluationCommand }, to: 'third_party_evaluation' },
  {
    action: 'submit_evaluation',
    state: 'third_party_evaluation',
    who: ['evaluator'],
    command: { action: 'submit_evaluation', summary: '未发现排除、限制竞争的效果', reportFileId: 'f-report' },
    to: 'self_review',
  },
  {
    action: 'conclude',
    state: 'self_review',
    who: ['lead'],
    command: { action: 'conclude', outcome: 'compliant', reasoning: '符合审查标准' },
    to: 'concluded',
  },
  {
    action: 'conclude',
    state: 'joint_review',
    who: ['regulator'],
    command: { action: 'conclude', outcome: 'compliant', reasoning: '会审通过，可以出台' },
    to: 'concluded',
    prepare: (story) => story.signOff(actors.member1).signOff(actors.member2, 'approve_with_changes', '删除第五条'),
  },
  { action: 'publish', state: 'concluded', who: ['drafter', 'lead'], command: { ...publishCommand }, to: 'published' },
  {
    action: 'open_recheck',
    state: 'published',
    who: ['regulator', 'handler'],
    command: { action: 'open_recheck', reason: '举报称第三条限定本地企业', source: 'complaint', refId: 'c-7' },
    to: 'recheck',
  },
  {
    action: 'resume_after_recheck',
    state: 'recheck',
    who: ['drafter', 'lead'],
    command: { action: 'resume_after_recheck', comment: '已按复查意见修改' },
    to: 'self_review',
    prepare: (story) => story.upload().analysed(),
  },
  { action: 'close_recheck', state: 'recheck', who: ['regulator', 'handler'], command: { action: 'close_recheck', reason: '举报不成立' }, to: 'published' },
  { action: 'abolish', state: 'recheck', who: ['lead'], command: { action: 'abolish', reason: '复查后决定废止' }, to: 'abolished' },
  withdraw('draft'),
  withdraw('self_review'),
  withdraw('joint_review'),
  withdraw('third_party_evaluation'),
  withdraw('concluded'),
];

function ready(move: LegalMove): Story {
  const story = storyIn(move.state);
  move.prepare?.(story);
  return story;
}

function commandFor(story: Story, body: CommandBody, rev = story.policy.rev): TransitionCommand {
  return { ...body, rev } as TransitionCommand;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('policy workflow: transition matrix', () => {
  it('the table of legal moves is exactly the machine’s ALLOWED_FROM', () => {
    const fromTable = LEGAL_MOVES.map((m) => `${m.action}@${m.state}`).sort();
    const fromMachine = TRANSITION_ACTIONS.flatMap((a) => ALLOWED_FROM[a].map((s) => `${a}@${s}`)).sort();
    expect(fromTable).to.deep.equal(fromMachine);
  });

  it('every state is reachable by the fixtures', () => {
    for (const state of POLICY_STATES) expect(storyIn(state).policy.state).to.equal(state);
  });

  for (const move of LEGAL_MOVES) {
    describe(`${move.action} from ${move.state}`, () => {
      for (const name of move.who) {
        it(`${name} moves it to ${move.to} with one guarded patch`, () => {
          const story = ready(move);
          const before = structuredClone(story.policy);
          const now = story.clock.tick();
          const patch = decideTransition(story.policy, actors[name], commandFor(story, move.command), now);

          expect(story.policy, 'the input is not mutated').to.deep.equal(before);
          expect(patch.from).to.equal(move.state);
          expect(patch.to).to.equal(move.to);
          expect(patch.rev).to.equal(before.rev);
          expect(patch.event).to.include({ action: move.action, from: move.state, to: move.to, at: now.toISOString() });
          expect(patch.event.actor).to.deep.equal({ id: actors[name].id, username: actors[name].username });

          const after = applyPatch(story.policy, patch);
          expect(after.events.at(-1)?.prevHash, 'sealed onto the chain it was decided on').to.equal(before.events.at(-1)?.hash);
          expect(after.state).to.equal(move.to);
          expect(after.rev).to.equal(before.rev + 1);
          expect(verifyChain(after.events)).to.deep.equal({ ok: true, length: before.events.length + 1 });
        });
      }

      const others = ACTOR_NAMES.filter((n) => !move.who.includes(n));
      it(`is 403 for ${others.join(', ')}`, () => {
        const story = ready(move);
        for (const name of others) {
          const err = thrown(() => decideTransition(story.policy, actors[name], commandFor(story, move.command), story.clock.tick()));
          expect(err, name).to.be.instanceOf(ForbiddenError);
          expect((err as ForbiddenError).details).to.include({ action: move.action });
        }
      });

      it('is 409 stale_rev with an older or newer revision', () => {
        const story = ready(move);
        for (const rev of [story.policy.rev - 1, story.policy.rev + 1]) {
          const err = thrown(() => decideTransition(story.policy, actors[move.who[0] as ActorName], commandFor(story, move.command, rev), story.clock.tick()));
          expect(err).to.be.instanceOf(ConflictError);
          expect((err as ConflictError).code).to.equal('stale_rev');
          expect((err as ConflictError).details).to.include({ expectedRev: story.policy.rev, rev });
        }
      });
    });
  }

  for (const action of TRANSITION_ACTIONS) {
    const illegal = POLICY_STATES.filter((s) => !ALLOWED_FROM[action].includes(s));
    it(`${action} is 409 wrong_state from ${illegal.join(', ')}`, () => {
      const sample = LEGAL_MOVES.find((m) => m.action === action) as LegalMove;
      for (const state of illegal) {
        const story = storyIn(state);
        for (const name of ACTOR_NAMES) {
          const err = thrown(() => decideTransition(story.policy, actors[name], commandFor(story, sample.command), story.clock.tick()));
          expect(err, `${action} from ${state} by ${name}`).to.be.instanceOf(ConflictError);
          expect((err as ConflictError).code).to.equal('wrong_state');
          expect((err as ConflictError).details).to.deep.include({ action, state, allowedFrom: [...ALLOWED_FROM[action]] });
        }
      }
    });
  }

  it('checks the state before the revision and the revision before the role', () => {
    const story = storyIn('published');
    const wrongStateAndRev = thrown(() => decideTransition(story.policy, actors.admin, { action: 'start_review', rev: 99 }, story.clock.tick()));
    expect((wrongStateAndRev as ConflictError).code).to.equal('wrong_state');
    const staleAndForbidden = thrown(() => decideTransition(story.policy, actors.admin, { action: 'open_recheck', rev: 99, reason: 'x' }, story.clock.tick()));
    expect((staleAndForbidden as ConflictError).code).to.equal('stale_rev');
  });

  it('rejects an unknown action and a missing revision as 400', () => {
    const story = storyIn('draft');
    const unknown = thrown(() => decideTransition(story.policy, actors.drafter, { action: 'approve_everything', rev: 0 } as unknown as TransitionCommand, story.clock.tick()));
    expect(unknown).to.be.instanceOf(ValidationError);
    expect((unknown as ValidationError).code).to.equal('unknown_action');
    const noRev = thrown(() => decideTransition(story.policy, actors.drafter, { action: 'start_review' } as TransitionCommand, story.clock.tick()));
    expect(noRev).to.be.instanceOf(ValidationError);
  });

  it('turns a patch into one findOneAndUpdate guarded by state and revision', () => {
    const story = storyIn('draft');
    const patch = decideTransition(story.policy, actors.drafter, { action: 'start_review', rev: story.policy.rev, comment: '开始审查' }, story.clock.tick());
    const { filter, update } = conditionalUpdate('p-1', policyChange(patch, story.policy.events));
    expect(filter).to.deep.equal({ _id: 'p-1', state: 'draft', rev: story.policy.rev });
    expect(update).to.deep.equal({ $set: { state: 'self_review' }, $inc: { rev: 1 }, $push: { events: sealEvent(patch.event, story.policy.events) } });
    expect(patch.event.comment).to.equal('开始审查');
  });
});

describe('policy workflow: availableActions', () => {
  it('offers each actor exactly the moves the matrix allows them from the current state', () => {
    for (const state of POLICY_STATES) {
      const story = storyIn(state);
      for (const name of ACTOR_NAMES) {
        const expected = LEGAL_MOVES.filter((m) => m.state === state && m.who.includes(name)).map((m) => m.action);
        expect(availableActions(story.policy, actors[name]), `${name} in ${state}`).to.have.members(expected);
      }
    }
  });
});
