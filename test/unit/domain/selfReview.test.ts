import { expect } from 'chai';
import { ConflictError, ForbiddenError, ValidationError } from '../../../server/domain/errors';
import { CHECKLIST_ITEM_IDS } from '../../../server/domain/policy';
import { decideSelfReviewUpdate, missingFromSelfReview, validateSelfReview, type SelfReviewInput } from '../../../server/domain/selfReview';
import { ACTOR_NAMES, actors, answersAllNo, completeSelfReview, storyIn } from './policyFixtures';

function problemPaths(input: SelfReviewInput, knownFindingIds?: ReadonlySet<string>): string[] {
  try {
    validateSelfReview(input, { knownFindingIds });
  } catch (err) {
    expect(err).to.be.instanceOf(ValidationError);
    return ((err as ValidationError).details.problems as { path: string }[]).map((p) => p.path);
  }
  return [];
}

const withAnswer = (answer: Record<string, unknown>) => completeSelfReview({ answers: [...answersAllNo().filter((a) => a.itemId !== answer.itemId), answer] });

describe('validateSelfReview', () => {
  it('accepts a complete record and a partial one', () => {
    expect(problemPaths(completeSelfReview())).to.deep.equal([]);
    expect(problemPaths({ answers: [{ itemId: 'entry-1', answer: 'no' }] })).to.deep.equal([]);
    expect(problemPaths({})).to.deep.equal([]);
  });

  it('normalises: missing finding ids become [], absent parts become null', () => {
    expect(validateSelfReview({ answers: [{ itemId: 'flow-1', answer: 'no' }] })).to.deep.equal({
      answers: [{ itemId: 'flow-1', answer: 'no', findingIds: [] }],
      consultation: null,
      draftConclusion: null,
    });
  });

  it('rejects unknown items, repeated items and answers other than no/yes', () => {
    expect(problemPaths({ answers: [{ itemId: 'entry-9', answer: 'no' }] })).to.deep.equal(['answers[0].itemId']);
    expect(problemPaths({ answers: [{ itemId: 'other-1', answer: 'no' }] })).to.deep.equal(['answers[0].itemId']);
    expect(problemPaths({ answers: [{ itemId: 'entry-1', answer: 'no' }, { itemId: 'entry-1', answer: 'yes', note: 'x' }] })).to.deep.equal(['answers[1].itemId']);
    expect(problemPaths({ answers: [{ itemId: 'entry-1', answer: 'maybe' }] })).to.deep.equal(['answers[0].answer']);
  });

  it('needs a note on every "yes"', () => {
    expect(problemPaths({ answers: [{ itemId: 'flow-3', answer: 'yes' }] })).to.deep.equal(['answers[0].note']);
    expect(problemPaths({ answers: [{ itemId: 'flow-3', answer: 'yes', note: '  ' }] })).to.deep.equal(['answers[0].note']);
  });

  it('checks linked finding ids: strings, no repeats, and this policy’s own when known', () => {
    const known = new Set(['f-1', 'f-2']);
    expect(problemPaths({ answers: [{ itemId: 'flow-3', answer: 'yes', note: 'n', findingIds: ['f-1', 'f-2'] }] }, known)).to.deep.equal([]);
    expect(problemPaths({ answers: [{ itemId: 'flow-3', answer: 'yes', note: 'n', findingIds: ['f-1', 'f-9'] }] }, known)).to.deep.equal(['answers[0].findingIds']);
    expect(problemPaths({ answers: [{ itemId: 'flow-3', answer: 'yes', note: 'n', findingIds: ['f-1', 'f-1'] }] })).to.deep.equal(['answers[0].findingIds']);
    expect(problemPaths({ answers: [{ itemId: 'flow-3', answer: 'yes', note: 'n', findingIds: [''] }] })).to.deep.equal(['answers[0].findingIds']);
  });

  it('allows a legal basis only on a cost-* item answered "yes", of a kind that counts (条例10)', () => {
    const basis = { kind: 'law', citation: '《中华人民共和国企业所得税法》第二十八条' };
    expect(problemPaths(withAnswer({ itemId: 'cost-1', answer: 'yes', note: 'n', legalBasis: basis }))).to.deep.equal([]);
    expect(problemPaths(withAnswer({ itemId: 'entry-2', answer: 'yes', note: 'n', legalBasis: basis }))).to.have.length(1);
    expect(problemPaths(withAnswer({ itemId: 'cost-1', answer: 'no', legalBasis: basis }))).to.have.length(1);
    const local = problemPaths({ answers: [{ itemId: 'cost-3', answer: 'yes', note: 'n', legalBasis: { kind: 'local_document', citation: '市政府文件' } }] });
    expect(local).to.deep.equal(['answers[0].legalBasis.kind']);
    const blank = problemPaths({ answers: [{ itemId: 'cost-3', answer: 'yes', note: 'n', legalBasis: { kind: 'state_council_approval', citation: '' } }] });
    expect(blank).to.deep.equal(['answers[0].legalBasis.citation']);
  });

  it('checks the consultation: known audiences once each, readable dates in order', () => {
    const consultation = completeSelfReview().consultation as NonNullable<SelfReviewInput['consultation']>;
    expect(problemPaths({ consultation: { ...consultation, audiences: ['experts'] as never } })).to.deep.equal(['consultation.audiences']);
    expect(problemPaths({ consultation: { ...consultation, audiences: ['public', 'public'] } })).to.deep.equal(['consultation.audiences']);
    expect(problemPaths({ consultation: { ...consultation, startDate: '2025-04-31' } })).to.deep.equal(['consultation.startDate']);
    expect(problemPaths({ consultation: { ...consultation, startDate: '2025-05-01', endDate: '2025-04-30' } })).to.deep.equal(['consultation.endDate']);
    expect(problemPaths({ consultation: { ...consultation, feedback: 3 as never } })).to.deep.equal(['consultation.feedback']);
  });

  it('checks the draft conclusion', () => {
    expect(problemPaths({ draftConclusion: { outcome: 'ok' as never, reasoning: 'x' } })).to.deep.equal(['draftConclusion.outcome']);
    expect(problemPaths({ draftConclusion: { outcome: 'non_compliant', reasoning: '' } })).to.deep.equal(['draftConclusion.reasoning']);
  });

  it('reports every problem at once', () => {
    expect(problemPaths({ answers: [{ itemId: 'x', answer: 'y' }], draftConclusion: { outcome: 'ok' as never, reasoning: '' } })).to.have.length(4);
  });
});

describe('missingFromSelfReview', () => {
  it('is empty for a complete record on the latest version', () => {
    expect(missingFromSelfReview(storyIn('self_review').policy)).to.deep.equal([]);
  });

  it('names everything when there is no record', () => {
    expect(missingFromSelfReview({ selfReview: null, versions: [] })).to.deep.equal([
      ...CHECKLIST_ITEM_IDS.map((id) => `checklist.${id}`),
      'consultation',
      'draftConclusion',
    ]);
  });
});

describe('decideSelfReviewUpdate', () => {
  it('saves the record against the latest version, with a chained event', () => {
    const story = storyIn('self_review');
    const now = story.clock.tick();
    const input = completeSelfReview({ answers: [{ itemId: 'flow-3', answer: 'yes', note: '评分因素含本地业绩', findingIds: ['f-3'] }] });
    const patch = decideSelfReviewUpdate(story.policy, actors.drafter, { ...input, rev: story.policy.rev }, now);
    expect(patch.from).to.equal('self_review');
    expect(patch.to).to.equal('self_review');
    expect(patch.set.selfReview).to.deep.equal({ ...validateSelfReview(input), versionN: 1, updatedBy: actors.drafter.id, updatedAt: now.toISOString() });
    expect(patch.event).to.include({ action: 'update_self_review' });
    expect(patch.event.data).to.deep.equal({ versionN: 1, answered: 1, concerns: ['flow-3'] });
  });

  it('is for the drafting department’s drafter and lead only', () => {
    const story = storyIn('self_review');
    for (const name of ACTOR_NAMES) {
      const decide = () => decideSelfReviewUpdate(story.policy, actors[name], { ...completeSelfReview(), rev: story.policy.rev }, story.clock.tick());
      if (name === 'drafter' || name === 'lead') expect(decide, name).not.to.throw();
      else expect(decide, name).to.throw(ForbiddenError);
    }
  });

  it('is only possible during self-review, with the current revision', () => {
    for (const state of ['draft', 'joint_review', 'third_party_evaluation', 'concluded', 'published', 'recheck'] as const) {
      const story = storyIn(state);
      expect(() => decideSelfReviewUpdate(story.policy, actors.drafter, { ...completeSelfReview(), rev: story.policy.rev }, story.clock.tick()), state).to.throw(ConflictError, /不能执行/);
    }
    const story = storyIn('self_review');
    expect(() => decideSelfReviewUpdate(story.policy, actors.drafter, { ...completeSelfReview(), rev: story.policy.rev - 1 }, story.clock.tick())).to.throw(ConflictError);
  });

  it('refuses an invalid record with 400 and changes nothing', () => {
    const story = storyIn('self_review');
    const before = structuredClone(story.policy);
    expect(() => decideSelfReviewUpdate(story.policy, actors.drafter, { answers: [{ itemId: 'cost-1', answer: 'yes' }], rev: story.policy.rev }, story.clock.tick())).to.throw(ValidationError);
    expect(story.policy).to.deep.equal(before);
  });
});
