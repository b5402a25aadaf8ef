/**
 * Builders for the policy workflow tests: actors, a clock, and policies driven into each state through the real
 * decisions (so every fixture is a state the workflow can actually reach, with a valid event chain).
 */
import { applyPatch, type PolicyPatch } from '../../../server/domain/patch';
import { CHECKLIST_ITEM_IDS, type IssuingLevel, type Policy, type PolicyState } from '../../../server/domain/policy';
import { decideTransition, decideUploadVersion, newPolicy, type TransitionCommand } from '../../../server/domain/policyWorkflow';
import { decideSelfReviewUpdate, type AnswerInput, type SelfReviewInput } from '../../../server/domain/selfReview';
import { decideSignOff } from '../../../server/domain/jointReview';
import type { Actor, Role } from '../../../server/domain/roles';

export const DEPT = 'dept-shangwu';
export const OTHER_DEPT = 'dept-zhujian';

function actor(id: string, role: Role, departmentId: string): Actor {
  return { id, username: id, role, departmentId };
}

export const actors = {
  drafter: actor('u-drafter', 'drafter', DEPT),
  lead: actor('u-lead', 'drafting_lead', DEPT),
  otherDrafter: actor('u-drafter2', 'drafter', OTHER_DEPT),
  otherLead: actor('u-lead2', 'drafting_lead', OTHER_DEPT),
  regulator: actor('u-regulator', 'regulator', 'dept-scjg'),
  member1: actor('u-member1', 'committee_member', 'dept-lianxi'),
  member2: actor('u-member2', 'committee_member', 'dept-lianxi'),
  member3: actor('u-member3', 'committee_member', 'dept-lianxi'),
  outsiderMember: actor('u-member9', 'committee_member', 'dept-lianxi'),
  evaluator: actor('u-evaluator', 'evaluator', 'dept-pinggu'),
  otherEvaluator: actor('u-evaluator2', 'evaluator', 'dept-pinggu'),
  handler: actor('u-handler', 'complaint_handler', 'dept-jubao'),
  admin: actor('u-admin', 'admin', 'dept-xitong'),
} satisfies Record<string, Actor>;

export type ActorName = keyof typeof actors;
export const ACTOR_NAMES = Object.keys(actors) as ActorName[];

export const MEMBERS = [actors.member1.id, actors.member2.id, actors.member3.id];

/** A clock that moves one minute per tick, from 2025-05-06 10:00 Shanghai. */
export class Clock {
  private ms = Date.parse('2025-05-06T02:00:00.000Z');
  tick(): Date {
    this.ms += 60_000;
    return new Date(this.ms);
  }
  peek(): Date {
    return new Date(this.ms);
  }
}

export const FUTURE = '2025-12-31';

export function answersAllNo(): AnswerInput[] {
  return CHECKLIST_ITEM_IDS.map((itemId) => ({ itemId, answer: 'no' }));
}

export function completeSelfReview(overrides: Partial<SelfReviewInput> = {}): SelfReviewInput {
  return {
    answers: answersAllNo(),
    consultation: {
      audiences: ['stakeholders', 'public'],
      channel: '座谈会、政府网站公开征求意见',
      startDate: '2025-04-01',
      endDate: '2025-04-30',
      feedback: '收到意见 12 条',
      adoption: '采纳 9 条，未采纳 3 条并说明理由',
    },
    draftConclusion: { outcome: 'compliant', reasoning: '经逐项对照，未发现排除、限制竞争的内容' },
    ...overrides,
  };
}

export const VALID_EXCEPTION = {
  restrictiveEffect: '对本地应急物资储备企业给予优先采购，影响外地经营者参与',
  situation: 'public_interest',
  situationExplanation: '属于救灾救助等社会公共利益',
  leastRestrictive: '已比较公开招标等方案，均无法满足 24 小时内调运的要求',
  periodReasonableness: '实施至汛期结束，期限与应急需要相当',
  other: '无',
  endDate: '2026-10-31',
} as const;

/** Drives one policy through the real decisions, applying each patch as the store would. */
export class Story {
  policy: Policy;
  readonly clock = new Clock();

  constructor(issuingLevel: IssuingLevel = 'department') {
    this.policy = { id: 'p-1', ...newPolicy(actors.drafter, { title: '关于促进商贸流通发展的若干措施', kind: 'normative_document', issuingLevel, industries: ['商贸'] }, this.clock.tick()) };
  }

  apply(patch: PolicyPatch): this {
    this.policy = applyPatch(this.policy, patch);
    return this;
  }

  act(who: Actor, command: DistributiveOmit<TransitionCommand, 'rev'>): this {
    return this.apply(decideTransition(this.policy, who, { ...command, rev: this.policy.rev } as TransitionCommand, this.clock.tick()));
  }

  upload(who: Actor = actors.drafter): this {
    const n = this.policy.versions.length + 1;
    return this.apply(decideUploadVersion(this.policy, who, { filename: `draft-v${n}.docx`, mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', size: 20_000 + n, sha256: String(n).repeat(64).slice(0, 64) }, this.clock.tick()));
  }

  /** What the analysis worker does, outside the revision-guarded updates. */
  analysed(): this {
    this.policy = {
      ...this.policy,
      versions: this.policy.versions.map((v, i, all) =>
        i === all.length - 1 ? { ...v, analysis: { status: 'analysed', progress: 100, findingCounts: { total: 0, open: 0, confirmed: 0, dismissed: 0 } } } : v,
      ),
    };
    return this;
  }

  selfReview(input: SelfReviewInput = completeSelfReview(), who: Actor = actors.drafter): this {
    return this.apply(decideSelfReviewUpdate(this.policy, who, { ...input, rev: this.policy.rev }, this.clock.tick()));
  }

  signOff(who: Actor, vote: 'approve' | 'approve_with_changes' | 'reject' = 'approve', comment = '同意'): this {
    return this.apply(decideSignOff(this.policy, who, { vote, comment }, this.clock.tick()));
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export const joinReviewCommand = { action: 'request_joint_review', members: MEMBERS, quorum: 2, deadline: FUTURE } as const;
export const evaluationCommand = { action: 'request_evaluation', evaluatorId: actors.evaluator.id, scope: '竞争影响评估', deadline: FUTURE } as const;
export const publishCommand = { action: 'publish', docNumber: '商务发〔2025〕12号', publishedOn: '2025-05-20' } as const;

/** A policy in `state`, built by the workflow. Government-level when the state needs a joint review. */
export function storyIn(state: PolicyState, issuingLevel?: IssuingLevel): Story {
  const level = issuingLevel ?? (state === 'joint_review' ? 'government' : 'department');
  const story = new Story(level).upload().analysed();
  if (state === 'draft') return story;
  if (state === 'withdrawn') return story.act(actors.drafter, { action: 'withdraw', reason: '暂缓起草' });
  story.act(actors.drafter, { action: 'start_review' }).selfReview();
  if (state === 'self_review') return story;
  if (state === 'joint_review') return story.act(actors.regulator, joinReviewCommand);
  if (state === 'third_party_evaluation') return story.act(actors.lead, evaluationCommand);
  story.act(actors.lead, { action: 'conclude', outcome: 'compliant', reasoning: '符合公平竞争审查标准' });
  if (state === 'concluded') return story;
  story.act(actors.drafter, publishCommand);
  if (state === 'published') return story;
  story.act(actors.handler, { action: 'open_recheck', reason: '收到举报', source: 'complaint', refId: 'c-1' });
  if (state === 'recheck') return story;
  return story.act(actors.lead, { action: 'abolish', reason: '复查后决定废止' });
}
