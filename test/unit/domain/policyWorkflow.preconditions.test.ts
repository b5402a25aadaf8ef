/**
 * What each action requires: every precondition refused with 422 naming what is missing, every wrong value with
 * 400, and the fields each accepted move writes.
 */
import { expect } from 'chai';
import { ConflictError, PreconditionError, ValidationError } from '../../../server/domain/errors';
import type { Actor } from '../../../server/domain/roles';
import { CHECKLIST_ITEM_IDS } from '../../../server/domain/policy';
import { decideTransition, type TransitionCommand } from '../../../server/domain/policyWorkflow';
import { VALID_EXCEPTION, actors, answersAllNo, completeSelfReview, evaluationCommand, joinReviewCommand, publishCommand, storyIn, Story } from './policyFixtures';

type Body = Record<string, unknown> & { action: TransitionCommand['action'] };

function attempt(story: Story, who: Actor, body: Body): unknown {
  try {
    decideTransition(story.policy, who, { ...body, rev: story.policy.rev } as TransitionCommand, story.clock.tick());
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

function expectMissing(story: Story, who: Actor, body: Body, missing: string[]): void {
  const err = attempt(story, who, body);
  expect(err).to.be.instanceOf(PreconditionError);
  expect((err as PreconditionError).status).to.equal(422);
  expect((err as PreconditionError).details.missing).to.deep.equal(missing);
}

function expectInvalid(story: Story, who: Actor, body: Body, path: string): void {
  const err = attempt(story, who, body);
  expect(err).to.be.instanceOf(ValidationError);
  const problems = (err as ValidationError).details.problems as { path: string }[];
  expect(problems.map((p) => p.path)).to.include(path);
}

const conclude = (extra: Record<string, unknown> = {}): Body => ({ action: 'conclude', outcome: 'compliant', reasoning: '符合审查标准', ...extra });

describe('start_review', () => {
  it('needs a version', () => {
    expectMissing(new Story(), actors.drafter, { action: 'start_review' }, ['analysedVersion']);
  });

  for (const status of ['queued', 'analysing', 'failed'] as const) {
    it(`needs the latest version analysed, not ${status}`, () => {
      const story = new Story().upload();
      story.policy.versions[0]!.analysis.status = status;
      expectMissing(story, actors.drafter, { action: 'start_review' }, ['analysedVersion']);
    });
  }

  it('looks at the latest version, not an older analysed one', () => {
    const story = new Story().upload().analysed().upload();
    expectMissing(story, actors.drafter, { action: 'start_review' }, ['analysedVersion']);
  });

  it('records the version reviewed', () => {
    const story = storyIn('draft');
    const patch = decideTransition(story.policy, actors.drafter, { action: 'start_review', rev: story.policy.rev }, story.clock.tick());
    expect(patch.event.data).to.deep.equal({ versionN: 1 });
    expect(patch.set).to.deep.equal({});
  });
});

describe('request_joint_review', () => {
  const story = () => storyIn('self_review');

  for (const field of ['members', 'quorum', 'deadline']) {
    it(`names a missing ${field}`, () => {
      const body: Body = { ...joinReviewCommand };
      delete body[field];
      expectMissing(story(), actors.lead, body, [field]);
    });
  }

  it('treats an empty member list as missing', () => {
    expectMissing(story(), actors.lead, { ...joinReviewCommand, members: [], quorum: undefined }, ['members', 'quorum']);
  });

  it('rejects a quorum above the number of members, zero, or a fraction', () => {
    for (const quorum of [4, 0, 1.5]) expectInvalid(story(), actors.lead, { ...joinReviewCommand, quorum }, 'quorum');
  });

  it('rejects duplicate or blank members', () => {
    expectInvalid(story(), actors.lead, { ...joinReviewCommand, members: ['u-member1', 'u-member1'], quorum: 1 }, 'members');
    expectInvalid(story(), actors.lead, { ...joinReviewCommand, members: ['u-member1', ' '], quorum: 1 }, 'members');
  });

  it('rejects a past or unreadable deadline', () => {
    expectInvalid(story(), actors.lead, { ...joinReviewCommand, deadline: '2025-01-01' }, 'deadline');
    expectInvalid(story(), actors.lead, { ...joinReviewCommand, deadline: '2025-02-30' }, 'deadline');
    expectInvalid(story(), actors.lead, { ...joinReviewCommand, deadline: 'next week' }, 'deadline');
  });

  it('needs the preliminary review (初审) complete, naming each gap (办法31)', () => {
    const s = storyIn('self_review').selfReview({ answers: answersAllNo().slice(2), consultation: null, draftConclusion: null });
    expectMissing(s, actors.regulator, { ...joinReviewCommand }, ['checklist.entry-1', 'checklist.entry-2', 'consultation', 'draftConclusion']);
  });

  it('sets up the joint review with no sign-offs; a calendar-date deadline ends that day in Shanghai', () => {
    const s = story();
    const now = s.clock.tick();
    const patch = decideTransition(s.policy, actors.regulator, { ...joinReviewCommand, rev: s.policy.rev } as TransitionCommand, now);
    expect(patch.set.jointReview).to.deep.equal({
      members: joinReviewCommand.members,
      quorum: 2,
      deadline: '2025-12-31T15:59:59.999Z',
      requestedBy: actors.regulator.id,
      requestedAt: now.toISOString(),
      signOffs: [],
    });
  });
});

describe('request_evaluation and submit_evaluation', () => {
  for (const field of ['evaluatorId', 'scope', 'deadline']) {
    it(`request names a missing ${field}`, () => {
      const body: Body = { ...evaluationCommand };
      delete body[field];
      expectMissing(storyIn('self_review'), actors.lead, body, [field]);
    });
  }

  it('request rejects a past deadline and a non-text scope', () => {
    expectInvalid(storyIn('self_review'), actors.lead, { ...evaluationCommand, deadline: '2024-12-31T00:00:00Z' }, 'deadline');
    expectInvalid(storyIn('self_review'), actors.lead, { ...evaluationCommand, scope: 42 }, 'scope');
  });

  it('submit needs a summary', () => {
    expectMissing(storyIn('third_party_evaluation'), actors.evaluator, { action: 'submit_evaluation' }, ['summary']);
    expectMissing(storyIn('third_party_evaluation'), actors.evaluator, { action: 'submit_evaluation', summary: '  ' }, ['summary']);
  });

  it('returns to joint review when requested from joint review, keeping the sign-offs', () => {
    const s = storyIn('joint_review').signOff(actors.member1);
    s.act(actors.regulator, { ...evaluationCommand });
    expect(s.policy.evaluations[0]).to.include({ n: 1, returnTo: 'joint_review', status: 'requested', evaluatorId: actors.evaluator.id });
    s.act(actors.evaluator, { action: 'submit_evaluation', summary: '影响有限' });
    expect(s.policy.state).to.equal('joint_review');
    expect(s.policy.evaluations[0]).to.include({ status: 'submitted', summary: '影响有限' });
    expect(s.policy.jointReview?.signOffs).to.have.length(1);
  });

  it('numbers evaluations and lets only the evaluator of the open one submit', () => {
    const s = storyIn('self_review').act(actors.lead, { ...evaluationCommand });
    s.act(actors.evaluator, { action: 'submit_evaluation', summary: '第一次评估' });
    s.act(actors.regulator, { ...evaluationCommand, evaluatorId: actors.otherEvaluator.id });
    expect(s.policy.evaluations.map((e) => [e.n, e.status])).to.deep.equal([[1, 'submitted'], [2, 'requested']]);
    expect(attempt(s, actors.evaluator, { action: 'submit_evaluation', summary: 'x' })).to.have.property('status', 403);
    s.act(actors.otherEvaluator, { action: 'submit_evaluation', summary: '第二次评估' });
    expect(s.policy.evaluations.map((e) => e.status)).to.deep.equal(['submitted', 'submitted']);
  });

  it('withdrawing during an evaluation cancels it', () => {
    const s = storyIn('third_party_evaluation').act(actors.drafter, { action: 'withdraw', reason: '不再出台' });
    expect(s.policy.evaluations[0]?.status).to.equal('cancelled');
  });
});

describe('submit_to_lead and return_to_drafter (提交审核 / 退回修改)', () => {
  it('needs a complete self-review, records who submitted, and refuses a second submission (409)', () => {
    const empty = storyIn('draft').act(actors.drafter, { action: 'start_review' });
    expectMissing(empty, actors.drafter, { action: 'submit_to_lead' }, [...CHECKLIST_ITEM_IDS.map((id) => `checklist.${id}`), 'consultation', 'draftConclusion']);
    const s = storyIn('self_review').act(actors.drafter, { action: 'submit_to_lead' });
    expect(s.policy.handover).to.include({ status: 'submitted', submittedBy: actors.drafter.id });
    expect(s.policy.state).to.equal('self_review');
    const again = (() => { try { s.act(actors.drafter, { action: 'submit_to_lead' }); } catch (e) { return e; } return null; })();
    expect((again as PreconditionError).code).to.equal('already_submitted');
  });

  it('returns only what was submitted, with the lead\'s comments; the drafter may submit again', () => {
    const notYet = (() => { try { storyIn('self_review').act(actors.lead, { action: 'return_to_drafter', reason: '补充' }); } catch (e) { return e; } return null; })();
    expect((notYet as PreconditionError).code).to.equal('not_submitted');
    const s = storyIn('self_review').act(actors.drafter, { action: 'submit_to_lead' });
    expectMissing(s, actors.lead, { action: 'return_to_drafter' }, ['reason']);
    s.act(actors.lead, { action: 'return_to_drafter', reason: '请补充征求意见的采纳情况' });
    expect(s.policy.handover).to.include({ status: 'returned', submittedBy: actors.drafter.id, returnedBy: actors.lead.id, comments: '请补充征求意见的采纳情况' });
    expect(s.policy.events.at(-1)).to.deep.include({ action: 'return_to_drafter', data: { reason: '请补充征求意见的采纳情况' } });
    s.act(actors.drafter, { action: 'submit_to_lead' });
    expect(s.policy.handover?.status).to.equal('submitted');
  });
});

describe('conclude', () => {
  it('names every checklist item not answered', () => {
    const s = storyIn('self_review').selfReview(completeSelfReview({ answers: answersAllNo().filter((a) => !['flow-3', 'behavior-4'].includes(a.itemId as string)) }));
    expectMissing(s, actors.lead, conclude(), ['checklist.flow-3', 'checklist.behavior-4']);
  });

  it('names all 19 items, the consultation and the draft when there is no self-review at all', () => {
    const s = storyIn('draft').act(actors.drafter, { action: 'start_review' });
    expectMissing(s, actors.lead, conclude(), [...CHECKLIST_ITEM_IDS.map((id) => `checklist.${id}`), 'consultation', 'draftConclusion']);
  });

  it('needs the self-review redone for a version uploaded after it (办法27)', () => {
    const s = storyIn('self_review').upload().analysed();
    expectMissing(s, actors.lead, conclude(), ['selfReview.version']);
    s.selfReview();
    s.act(actors.lead, conclude());
    expect(s.policy.conclusion?.versionN).to.equal(2);
  });

  it('names the consultation fields that are missing', () => {
    const s = storyIn('self_review').selfReview(completeSelfReview({ consultation: { audiences: ['stakeholders'], channel: '座谈会' } }));
    expectMissing(s, actors.lead, conclude(), ['consultation.startDate', 'consultation.endDate', 'consultation.feedback', 'consultation.adoption']);
  });

  it('accepts no consultation only for a confidential draft with a note (条例16)', () => {
    const s = storyIn('self_review').selfReview(completeSelfReview({ consultation: { audiences: [] } }));
    expectMissing(s, actors.lead, conclude(), ['consultation.audiencesOrConfidentialityNote']);
    s.selfReview(completeSelfReview({ consultation: { audiences: [], confidentialityNote: '涉及国家秘密，依法未公开征求意见' } }));
    s.act(actors.lead, conclude());
    expect(s.policy.state).to.equal('concluded');
  });

  it('names a missing outcome and reasoning', () => {
    expectMissing(storyIn('self_review'), actors.lead, { action: 'conclude' }, ['outcome', 'reasoning']);
    expectMissing(storyIn('self_review'), actors.lead, { action: 'conclude', outcome: null, reasoning: 'x' }, ['outcome']);
    expectMissing(storyIn('self_review'), actors.lead, conclude({ reasoning: ' ' }), ['reasoning']);
  });

  it('rejects an unknown outcome', () => {
    expectInvalid(storyIn('self_review'), actors.lead, conclude({ outcome: 'fine' }), 'outcome');
  });

  describe('经修改后符合 and the findings (review integrity)', () => {
    const findings = [
      { id: 'f1', itemId: 'flow-3', path: '第二条', status: 'confirmed' as const },
      { id: 'f2', itemId: 'cost-3', path: '第三条', status: 'pending' as const },
      { id: 'f3', itemId: 'entry-1', path: '第四条', status: 'pending' as const },
    ];
    const concludeWith = (s: Story, command: Record<string, unknown>, latestFindings = findings) =>
      decideTransition(s.policy, actors.lead, { ...conclude(), ...command, rev: s.policy.rev } as TransitionCommand, new Date(), { latestFindings });

    it('needs a revised version, analysed after the first, for 经修改后符合', () => {
      expectMissing(storyIn('self_review'), actors.lead, conclude({ outcome: 'compliant_after_revision' }), ['revisedVersion']);
      const revised = storyIn('self_review').upload().analysed().selfReview().act(actors.lead, conclude({ outcome: 'compliant_after_revision' }));
      expect(revised.policy.conclusion).to.include({ outcome: 'compliant_after_revision', versionN: 2 });
    });

    it('refuses while a finding is undecided, naming each one that has no reason (422)', () => {
      const s = storyIn('self_review');
      let err: PreconditionError | undefined;
      try {
        concludeWith(s, { undecidedFindings: [{ findingId: 'f2', reason: '  ' }] });
      } catch (e) {
        err = e as PreconditionError;
      }
      expect(err).to.be.instanceOf(PreconditionError);
      expect(err!.code).to.equal('undecided_findings');
      expect(err!.message).to.include('第三条').and.include('第四条').and.not.include('第二条');
      expect(err!.details.missing).to.deep.equal(['finding:f2', 'finding:f3']);
    });

    it('records the reason given for each undecided finding in the conclusion and its event', () => {
      const s = storyIn('self_review');
      s.apply(concludeWith(s, { undecidedFindings: [{ findingId: 'f2', reason: '依据国务院批准文件' }, { findingId: 'f3', reason: '不涉及准入' }] }));
      const expected = [
        { findingId: 'f2', itemId: 'cost-3', path: '第三条', reason: '依据国务院批准文件' },
        { findingId: 'f3', itemId: 'entry-1', path: '第四条', reason: '不涉及准入' },
      ];
      expect(s.policy.conclusion?.undecidedFindings).to.deep.equal(expected);
      expect((s.policy.events.at(-1)!.data.conclusion as { undecidedFindings: unknown }).undecidedFindings).to.deep.equal(expected);
    });

    it('records nothing extra when every finding is decided', () => {
      const s = storyIn('self_review');
      s.apply(concludeWith(s, {}, [findings[0]!]));
      expect(s.policy.conclusion).not.to.have.property('undecidedFindings');
    });
  });

  describe('government and legislature measures (条例14)', () => {
    for (const level of ['government', 'legislature'] as const) {
      it(`a ${level} measure cannot be concluded without a joint review`, () => {
        expectMissing(storyIn('self_review', level), actors.lead, conclude(), ['jointReview']);
      });
    }

    it('a department measure may be concluded by its lead without one', () => {
      expect(storyIn('self_review', 'department').act(actors.lead, conclude()).policy.state).to.equal('concluded');
    });

    it('in joint review the regulator needs the quorum of sign-offs, whatever the votes', () => {
      const s = storyIn('joint_review').signOff(actors.member1, 'reject', '第三条限定本地企业');
      expectMissing(s, actors.regulator, conclude({ outcome: 'non_compliant' }), ['jointReview.quorum']);
      s.signOff(actors.member2, 'reject', '同意成员一意见');
      s.act(actors.regulator, conclude({ outcome: 'non_compliant', reasoning: '违反条例第九条' }));
      expect(s.policy.conclusion).to.include({ outcome: 'non_compliant', jointReview: true, concludedBy: actors.regulator.id });
    });

    it('the drafting lead cannot conclude a joint review', () => {
      const s = storyIn('joint_review').signOff(actors.member1).signOff(actors.member2);
      expect(attempt(s, actors.lead, conclude())).to.have.property('status', 403);
    });
  });

  describe('cost-* concerns cleared as compliant (条例10)', () => {
    const costConcern = (legalBasis?: object) =>
      completeSelfReview({
        answers: answersAllNo().map((a) => (a.itemId === 'cost-2' ? { itemId: 'cost-2', answer: 'yes', note: '第六条对重点企业给予奖励', findingIds: ['f-1'], ...(legalBasis && { legalBasis }) } : a)),
      });

    it('needs a law, administrative regulation or State Council approval cited', () => {
      expectMissing(storyIn('self_review').selfReview(costConcern()), actors.lead, conclude(), ['checklist.cost-2.legalBasis']);
    });

    it('is accepted with the basis cited', () => {
      const s = storyIn('self_review').selfReview(costConcern({ kind: 'state_council_approval', citation: '国函〔2024〕88号' }));
      expect(s.act(actors.lead, conclude()).policy.state).to.equal('concluded');
    });

    it('is not needed when the clause is revised away, or for an exception', () => {
      const revised = storyIn('self_review').upload().analysed().selfReview(costConcern()).act(actors.lead, conclude({ outcome: 'compliant_after_revision' }));
      expect(revised.policy.state).to.equal('concluded');
      const excepted = storyIn('self_review').selfReview(costConcern()).act(actors.lead, conclude({ outcome: 'exception', exception: VALID_EXCEPTION }));
      expect(excepted.policy.state).to.equal('concluded');
    });

    it('does not apply to other categories', () => {
      const entryConcern = completeSelfReview({
        answers: answersAllNo().map((a) => (a.itemId === 'entry-4' ? { itemId: 'entry-4', answer: 'yes', note: '资质要求与履约能力相关，已核实' } : a)),
      });
      expect(storyIn('self_review').selfReview(entryConcern).act(actors.lead, conclude()).policy.state).to.equal('concluded');
    });
  });

  describe('exception (条例12; 办法29)', () => {
    const explanations = ['restrictiveEffect', 'situation', 'situationExplanation', 'leastRestrictive', 'periodReasonableness', 'other'];

    it('names all five explanations and the period or condition when none is given', () => {
      expectMissing(storyIn('self_review'), actors.lead, conclude({ outcome: 'exception' }), [
        ...explanations.map((f) => `exception.${f}`),
        'exception.endDateOrTerminationCondition',
      ]);
    });

    for (const field of explanations) {
      it(`names a missing or blank ${field}`, () => {
        const exception: Record<string, unknown> = { ...VALID_EXCEPTION, [field]: ' ' };
        expectMissing(storyIn('self_review'), actors.lead, conclude({ outcome: 'exception', exception }), [`exception.${field}`]);
      });
    }

    it('needs an end date or a termination condition; either one is enough', () => {
      const { endDate: _endDate, ...withoutEnd } = VALID_EXCEPTION;
      expectMissing(storyIn('self_review'), actors.lead, conclude({ outcome: 'exception', exception: withoutEnd }), ['exception.endDateOrTerminationCondition']);
      const s = storyIn('self_review').act(actors.lead, conclude({ outcome: 'exception', exception: { ...withoutEnd, terminationCondition: '应急响应解除之日起停止执行' } }));
      expect(s.policy.conclusion?.exception).to.include({ terminationCondition: '应急响应解除之日起停止执行' }).and.not.have.property('endDate');
    });

    it('needs the law, regulation or approval when the situation is one set by them', () => {
      const exception = { ...VALID_EXCEPTION, situation: 'law_or_state_council' };
      expectMissing(storyIn('self_review'), actors.lead, conclude({ outcome: 'exception', exception }), ['exception.situationBasis']);
      const withoutKind = { ...exception, situationBasis: { citation: '《中华人民共和国国防法》' } };
      expectMissing(storyIn('self_review'), actors.lead, conclude({ outcome: 'exception', exception: withoutKind }), ['exception.situationBasis']);
      const s = storyIn('self_review').act(actors.lead, conclude({ outcome: 'exception', exception: { ...exception, situationBasis: { kind: 'law', citation: '《中华人民共和国国防法》' } } }));
      expect(s.policy.conclusion?.exception?.situationBasis).to.deep.equal({ kind: 'law', citation: '《中华人民共和国国防法》' });
    });

    it('rejects an unknown situation, an expired or unreadable end date, and explanations on another outcome', () => {
      expectInvalid(storyIn('self_review'), actors.lead, conclude({ outcome: 'exception', exception: { ...VALID_EXCEPTION, situation: 'local_growth' } }), 'exception.situation');
      expectInvalid(storyIn('self_review'), actors.lead, conclude({ outcome: 'exception', exception: { ...VALID_EXCEPTION, endDate: '2025-05-01' } }), 'exception.endDate');
      expectInvalid(storyIn('self_review'), actors.lead, conclude({ outcome: 'exception', exception: { ...VALID_EXCEPTION, endDate: '明年' } }), 'exception.endDate');
      expectInvalid(storyIn('self_review'), actors.lead, conclude({ outcome: 'compliant', exception: VALID_EXCEPTION }), 'exception');
    });

    it('stores the explanations with the end date normalised, and puts the whole conclusion in the event', () => {
      const s = storyIn('self_review').act(actors.lead, conclude({ outcome: 'exception', reasoning: '适用例外规定', exception: VALID_EXCEPTION }));
      const conclusion = s.policy.conclusion;
      expect(conclusion?.exception).to.deep.equal({ ...VALID_EXCEPTION, endDate: '2026-10-31T15:59:59.999Z' });
      expect(conclusion).to.include({ outcome: 'exception', versionN: 1, jointReview: false, concludedBy: actors.lead.id });
      expect(s.policy.events.at(-1)?.data).to.deep.equal({ conclusion });
    });
  });
});

describe('publish', () => {
  it('is refused with 409 for a non_compliant conclusion (条例18), whatever is supplied', () => {
    const s = storyIn('self_review').act(actors.lead, conclude({ outcome: 'non_compliant', reasoning: '违反条例第八条' }));
    const err = attempt(s, actors.lead, { ...publishCommand });
    expect(err).to.be.instanceOf(ConflictError);
    expect((err as ConflictError).code).to.equal('non_compliant');
  });

  it('names a missing document number or date', () => {
    expectMissing(storyIn('concluded'), actors.drafter, { action: 'publish' }, ['docNumber', 'publishedOn']);
    expectMissing(storyIn('concluded'), actors.drafter, { ...publishCommand, docNumber: '' }, ['docNumber']);
  });

  it('rejects a malformed date or one before the conclusion', () => {
    expectInvalid(storyIn('concluded'), actors.drafter, { ...publishCommand, publishedOn: '2025/05/20' }, 'publishedOn');
    expectInvalid(storyIn('concluded'), actors.drafter, { ...publishCommand, publishedOn: '2025-05-05' }, 'publishedOn');
  });

  it('records the document number and date', () => {
    const s = storyIn('concluded').act(actors.drafter, { ...publishCommand, docNumber: ' 商务发〔2025〕12号 ' });
    expect(s.policy.docNumber).to.equal('商务发〔2025〕12号');
    expect(s.policy.publication).to.include({ docNumber: '商务发〔2025〕12号', publishedOn: '2025-05-20', recordedBy: actors.drafter.id });
  });
});

describe('recheck', () => {
  it('open needs a reason and rejects an unknown source', () => {
    expectMissing(storyIn('published'), actors.regulator, { action: 'open_recheck' }, ['reason']);
    expectInvalid(storyIn('published'), actors.regulator, { action: 'open_recheck', reason: '抽查', source: 'rumour' }, 'source');
  });

  it('open records reason, source and reference', () => {
    const s = storyIn('published').act(actors.regulator, { action: 'open_recheck', reason: '抽查发现问题', source: 'spot_check', refId: 'sc-3' });
    expect(s.policy.recheck).to.include({ reason: '抽查发现问题', source: 'spot_check', refId: 'sc-3', openedBy: actors.regulator.id });
  });

  it('resume needs a version uploaded after the recheck opened, then analysed', () => {
    const s = storyIn('recheck');
    expectMissing(s, actors.drafter, { action: 'resume_after_recheck' }, ['newVersion']);
    s.upload();
    expectMissing(s, actors.drafter, { action: 'resume_after_recheck' }, ['analysedVersion']);
    s.analysed().act(actors.drafter, { action: 'resume_after_recheck' });
    expect(s.policy.state).to.equal('self_review');
  });

  it('resume starts a new round: conclusion and joint review cleared, recheck closed as revised, old answers stale', () => {
    const s = storyIn('recheck').upload().analysed().act(actors.lead, { action: 'resume_after_recheck' });
    expect(s.policy.conclusion).to.equal(null);
    expect(s.policy.jointReview).to.equal(null);
    expect(s.policy.recheck).to.include({ outcome: 'revised', closedBy: actors.lead.id });
    expect(s.policy.publication, 'the earlier publication stays on record').to.include({ docNumber: publishCommand.docNumber });
    expectMissing(s, actors.lead, conclude(), ['selfReview.version']);
  });

  for (const action of ['close_recheck', 'abolish'] as const) {
    it(`${action} needs a reason and records it on the recheck`, () => {
      const who = action === 'abolish' ? actors.lead : actors.handler;
      expectMissing(storyIn('recheck'), who, { action }, ['reason']);
      const s = storyIn('recheck').act(who, { action, reason: '复查结论' });
      expect(s.policy.recheck).to.include({ outcome: action === 'abolish' ? 'abolished' : 'upheld', closingReason: '复查结论', closedBy: who.id });
    });
  }
});

describe('withdraw', () => {
  it('needs a reason', () => {
    expectMissing(storyIn('draft'), actors.drafter, { action: 'withdraw' }, ['reason']);
    expectInvalid(storyIn('draft'), actors.drafter, { action: 'withdraw', reason: 7 }, 'reason');
  });
});
