import { expect } from 'chai';
import { ConflictError, ForbiddenError, PreconditionError, ValidationError } from '../../../server/domain/errors';
import { POLICY_STATES } from '../../../server/domain/policy';
import { decideFinding, resolvedSincePrevious, type ComparableFinding } from '../../../server/domain/findingReview';
import { FINDING_REVIEW_STATES } from '../../../server/domain/permissions/policy';
import { ACTOR_NAMES, actors, storyIn } from './policyFixtures';

const NOW = new Date('2025-05-10T02:00:00.000Z');

describe('decideFinding', () => {
  it('records a confirmation or a reasoned dismissal by the drafting department or a regulator', () => {
    const policy = storyIn('self_review').policy;
    expect(decideFinding(policy, actors.drafter, 1, { status: 'confirmed' }, NOW)).to.deep.equal({
      status: 'confirmed', reason: '', by: actors.drafter.id, byUsername: actors.drafter.username, at: NOW.toISOString(),
    });
    expect(decideFinding(policy, actors.regulator, 1, { status: 'dismissed', reason: '  有法律依据  ' }, NOW)).to.include({ status: 'dismissed', reason: '有法律依据' });
  });

  it('allows exactly drafting staff and regulators', () => {
    const policy = storyIn('self_review').policy;
    const allowed = ACTOR_NAMES.filter((name) => {
      try {
        decideFinding(policy, actors[name], 1, { status: 'confirmed' }, NOW);
        return true;
      } catch (err) {
        expect(err).to.be.instanceOf(ForbiddenError);
        return false;
      }
    });
    expect(allowed).to.deep.equal(['drafter', 'lead', 'regulator']);
  });

  it('is open while the policy is under review and frozen afterwards (409)', () => {
    for (const state of POLICY_STATES) {
      const policy = storyIn(state).policy;
      const decide = () => decideFinding(policy, actors.regulator, 1, { status: 'confirmed' }, NOW);
      if (FINDING_REVIEW_STATES.includes(state)) expect(decide, state).not.to.throw();
      else expect(decide, state).to.throw(ConflictError);
    }
  });

  it('refuses findings of a version not analysed yet', () => {
    const story = storyIn('self_review').upload();
    expect(() => decideFinding(story.policy, actors.drafter, 2, { status: 'confirmed' }, NOW)).to.throw(ConflictError, /尚未完成分析/);
  });

  it('checks in order: state, role, value, missing reason', () => {
    const policy = storyIn('self_review').policy;
    expect(() => decideFinding(storyIn('concluded').policy, actors.evaluator, 1, { status: 'bogus' }, NOW)).to.throw(ConflictError);
    expect(() => decideFinding(policy, actors.evaluator, 1, { status: 'bogus' }, NOW)).to.throw(ForbiddenError);
    expect(() => decideFinding(policy, actors.drafter, 1, { status: 'bogus' }, NOW)).to.throw(ValidationError);
    expect(() => decideFinding(policy, actors.drafter, 1, { status: 'dismissed', reason: '  ' }, NOW)).to.throw(PreconditionError)
      .with.nested.property('details.missing').that.deep.equals(['reason']);
  });
});

describe('resolvedSincePrevious', () => {
  const f = (id: string, itemId: string, path: string, text: string): ComparableFinding => ({ id, itemId, path, text });

  it('counts a concern resolved when no finding of the same item remains on that clause', () => {
    const previous = [
      f('a', 'flow-3', '第二条', '政府采购应当优先采购本地产品。'),
      f('b', 'cost-3', '第三条', '对本地企业返还土地出让金。'),
      f('c', 'entry-1', '第五条', '外地企业须在本地设立分支机构。'),
    ];
    const current = [
      f('x', 'flow-3', '第四条', '政府采购应当 优先采购本地产品。'), // moved and re-spaced: same text
      f('y', 'entry-1', '第五条', '外地企业须在本地注册。'), // edited, same clause: still flagged
    ];
    const resolved = resolvedSincePrevious(1, previous, current);
    expect(resolved.previousVersion).to.equal(1);
    expect(resolved.findings.map((x) => x.id)).to.deep.equal(['b']);
    expect(resolved.items).to.deep.equal(['cost-3']);
  });

  it('resolves nothing when the flags are unchanged, and everything when none are left', () => {
    const previous = [f('a', 'flow-3', '第二条', '优先采购本地产品。'), f('b', 'flow-3', '第六条', '限定本地供应商。')];
    expect(resolvedSincePrevious(2, previous, previous).findings).to.deep.equal([]);
    const all = resolvedSincePrevious(2, previous, []);
    expect(all.findings).to.have.length(2);
    expect(all.items).to.deep.equal(['flow-3']);
  });

  it('does not treat an item flagged elsewhere as the same finding, but keeps the item listed as not resolved', () => {
    const previous = [f('a', 'flow-3', '第二条', '优先采购本地产品。')];
    const current = [f('x', 'flow-3', '第九条', '限定本地供应商。')];
    const resolved = resolvedSincePrevious(1, previous, current);
    expect(resolved.findings.map((x) => x.id)).to.deep.equal(['a']);
    expect(resolved.items).to.deep.equal([]);
  });
});
