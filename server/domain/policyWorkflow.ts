/**
 * The policy review workflow (公平竞争审查流程) as a state machine. Pure: a route loads the policy, calls
 * `decideTransition(policy, actor, command, now)`, and applies the returned patch as one conditional update.
 *
 *   draft ─start_review─▶ self_review ─request_joint_review─▶ joint_review
 *                           │      ▲                            │      ▲
 *        request_evaluation │      │ submit_evaluation          │      │ submit_evaluation
 *                           ▼      │ (back where it came from)  ▼      │
 *                        third_party_evaluation ◀─request_evaluation─┘
 *
 *   self_review ─conclude (drafting lead; department-level measures only)─▶ concluded
 *   joint_review ─conclude (regulator, after the quorum of sign-offs)─────▶ concluded
 *   concluded ─publish (refused for non_compliant)─▶ published ─open_recheck─▶ recheck
 *   recheck ─resume_after_recheck (new version uploaded)─▶ self_review
 *   recheck ─close_recheck (nothing to change)─▶ published
 *   recheck ─abolish─▶ abolished
 *   draft | self_review | joint_review | third_party_evaluation | concluded ─withdraw─▶ withdrawn
 *
 * | action               | who                                                    | requires                                      |
 * |----------------------|--------------------------------------------------------|-----------------------------------------------|
 * | start_review         | drafting department's drafter or lead                  | latest version analysed                       |
 * | request_joint_review | drafting department's lead, or a regulator             | members, quorum, deadline; complete 初审      |
 * | request_evaluation   | drafting department's lead, or a regulator (办法35)    | evaluator, scope, deadline                    |
 * | submit_evaluation    | the assigned evaluator                                 | summary                                       |
 * | conclude             | self_review: drafting lead; joint_review: a regulator  | `missingForConclusion`; findings decided or   |
 * |                      |                                                        | explained (conclusion.ts)                     |
 * | publish              | drafting department's drafter or lead                  | document number, date; not non_compliant      |
 * | open_recheck         | regulator or complaint handler                         | reason                                        |
 * | resume_after_recheck | drafting department's drafter or lead                  | analysed version uploaded after recheck opened |
 * | close_recheck        | regulator or complaint handler                         | reason                                        |
 * | abolish              | drafting department's lead                             | reason                                        |
 * | withdraw             | drafting department's drafter or lead                  | reason                                        |
 *
 * Decisions:
 * - `revised` is not a state: a recheck that leads to revision goes back to self_review with the new version,
 *   so the revised text is reviewed by the same rules as the first one.
 * - `close_recheck` is added so a recheck that finds nothing wrong (an unfounded complaint) ends.
 * - Outside a joint review the drafting department's lead concludes: 谁起草谁审查 (条例13), and the review form
 *   carries the head's opinion (审查机构主要负责人意见). In a joint review only a regulator concludes (办法32).
 * - Publishing a non_compliant measure is a 409, not a 422: the bar (条例18) follows from the recorded
 *   conclusion, and nothing the caller could add would lift it; the ways on are withdrawal or a new draft.
 * - Admins read everything but make no review decisions: every act here is one a named official answers for.
 * - Checks run in a fixed order: state and revision (409), role and department (403), values (400),
 *   missing preconditions (422).
 */
import { ConflictError, PreconditionError, ValidationError } from './errors';
import {
  conclusionProblems,
  missingForConclusion,
  toExceptionJustification,
  undecidedFindingReasons,
  undecidedFindingsWithoutReason,
  type ConclusionInput,
  type FindingStatus,
} from './conclusion';
import {
  assertRev,
  assertState,
  checkFutureInstant,
  checkText,
  forbid,
  parseLocalDate,
  throwIfInvalid,
  throwIfMissing,
  type Problem,
} from './guards';
import { makePatch, type Change, type PolicyPatch } from './patch';
import { shanghaiDateOf } from './workingDays';
import { POLICY_PERMISSIONS, createPolicyRefusal } from './permissions/policy';
import {
  ISSUING_LEVELS,
  POLICY_KINDS,
  RECHECK_SOURCES,
  TRANSITION_ACTIONS,
  latestVersion,
  type Evaluation,
  type IssuingLevel,
  type Policy,
  type PolicyKind,
  type PolicyVersion,
  type Recheck,
  type RecheckOutcome,
  type RecheckSource,
  type ReviewState,
  type TransitionAction,
} from './policy';
import { missingFromSelfReview } from './selfReview';
import { sealEvent } from './eventChain';
import type { Actor } from './roles';

// ---------- commands ----------

/** Fields the domain checks are optional here: an absent one is answered 422 naming it, not a type error. */
interface CommandBase {
  rev: number;
  comment?: string;
}

export interface StartReviewCommand extends CommandBase {
  action: 'start_review';
}
export interface RequestJointReviewCommand extends CommandBase {
  action: 'request_joint_review';
  members?: string[];
  quorum?: number;
  deadline?: string;
}
export interface RequestEvaluationCommand extends CommandBase {
  action: 'request_evaluation';
  evaluatorId?: string;
  scope?: string;
  deadline?: string;
}
export interface SubmitEvaluationCommand extends CommandBase {
  action: 'submit_evaluation';
  summary?: string;
  reportFileId?: string;
}
export interface ConcludeCommand extends CommandBase, ConclusionInput {
  action: 'conclude';
}
export interface PublishCommand extends CommandBase {
  action: 'publish';
  docNumber?: string;
  /** 'YYYY-MM-DD' */
  publishedOn?: string;
}
export interface OpenRecheckCommand extends CommandBase {
  action: 'open_recheck';
  reason?: string;
  source?: RecheckSource;
  refId?: string;
}
export interface ResumeAfterRecheckCommand extends CommandBase {
  action: 'resume_after_recheck';
}
export interface CloseRecheckCommand extends CommandBase {
  action: 'close_recheck';
  reason?: string;
}
export interface AbolishCommand extends CommandBase {
  action: 'abolish';
  reason?: string;
}
export interface WithdrawCommand extends CommandBase {
  action: 'withdraw';
  reason?: string;
}

export interface SubmitToLeadCommand extends CommandBase {
  action: 'submit_to_lead';
}
export interface ReturnToDrafterCommand extends CommandBase {
  action: 'return_to_drafter';
  reason?: string;
}

export type TransitionCommand =
  | SubmitToLeadCommand
  | ReturnToDrafterCommand
  | StartReviewCommand
  | RequestJointReviewCommand
  | RequestEvaluationCommand
  | SubmitEvaluationCommand
  | ConcludeCommand
  | PublishCommand
  | OpenRecheckCommand
  | ResumeAfterRecheckCommand
  | CloseRecheckCommand
  | AbolishCommand
  | WithdrawCommand;

type CommandOf<A extends TransitionAction> = Extract<TransitionCommand, { action: A }>;

/** A decision's result before the event is sealed. */
type Decision = Omit<Change, 'action' | 'comment'>;

/** What a transition does; who may make it and from where is `POLICY_PERMISSIONS` (permissions/policy.ts). */
interface Rule<A extends TransitionAction> {
  decide(policy: Policy, actor: Actor, command: CommandOf<A>, now: Date, facts: TransitionFacts): Decision;
}

/** What a decision needs beyond the policy record, loaded by the caller. */
export interface TransitionFacts {
  /** `conclude`: the findings of the latest version (they live in their own collection) */
  latestFindings?: readonly FindingStatus[];
}

function openEvaluation(policy: Policy): Evaluation | undefined {
  return policy.evaluations.findLast((e) => e.status === 'requested');
}

// ---------- what ----------

function requireReason(reason: unknown, action: string): string {
  const missing: string[] = [];
  const problems: Problem[] = [];
  checkText(reason, 'reason', missing, problems);
  throwIfInvalid(problems);
  throwIfMissing(action, missing);
  return reason as string;
}

/** The policy's open recheck, closed with `outcome` (null when no recheck record exists). */
function closedRecheck(policy: Policy, outcome: RecheckOutcome, reason: string, actor: Actor, now: Date): Recheck | null {
  return policy.recheck && { ...policy.recheck, outcome, closingReason: reason, closedBy: actor.id, closedAt: now.toISOString() };
}

function isAnalysed(version: PolicyVersion | undefined): boolean {
  return version?.analysis.status === 'analysed';
}

function checkMembers(members: unknown, missing: string[], problems: Problem[]): string[] {
  if (members === undefined || members === null || (Array.isArray(members) && members.length === 0)) {
    missing.push('members');
    return [];
  }
  if (!Array.isArray(members) || members.some((m) => typeof m !== 'string' || m.trim() === '')) {
    problems.push({ path: 'members', message: '应为会审成员编号列表' });
    return [];
  }
  if (new Set(members).size !== members.length) problems.push({ path: 'members', message: '会审成员重复' });
  return members as string[];
}

function checkQuorum(quorum: unknown, memberCount: number, missing: string[], problems: Problem[]): void {
  if (quorum === undefined || quorum === null) missing.push('quorum');
  else if (!Number.isInteger(quorum) || (quorum as number) < 1) problems.push({ path: 'quorum', message: '应为正整数' });
  else if (memberCount > 0 && (quorum as number) > memberCount) problems.push({ path: 'quorum', message: '不能超过会审成员人数' });
}

const RULES: { [A in TransitionAction]: Rule<A> } = {
  start_review: {
    decide(policy) {
      const latest = latestVersion(policy);
      throwIfMissing('start_review', isAnalysed(latest) ? [] : ['analysedVersion']);
      return { to: 'self_review', data: { versionN: latest?.n } };
    },
  },

  request_joint_review: {
    decide(policy, actor, command, now) {
      const missing: string[] = [];
      const problems: Problem[] = [];
      const members = checkMembers(command.members, missing, problems);
      checkQuorum(command.quorum, members.length, missing, problems);
      const deadline = checkFutureInstant(command.deadline, 'deadline', now, missing, problems);
      throwIfInvalid(problems);
      // 办法31: the draft goes to joint review with the drafter's 初审 (preliminary review) done.
      throwIfMissing('request_joint_review', [...missing, ...missingFromSelfReview(policy)]);
      const jointReview = {
        members,
        quorum: command.quorum as number,
        deadline: deadline as string,
        requestedBy: actor.id,
        requestedAt: now.toISOString(),
        signOffs: [],
      };
      return { to: 'joint_review', set: { jointReview }, data: { members, quorum: jointReview.quorum, deadline } };
    },
  },

  request_evaluation: {
    decide(policy, actor, command, now) {
      const missing: string[] = [];
      const problems: Problem[] = [];
      checkText(command.evaluatorId, 'evaluatorId', missing, problems);
      checkText(command.scope, 'scope', missing, problems);
      const deadline = checkFutureInstant(command.deadline, 'deadline', now, missing, problems);
      throwIfInvalid(problems);
      throwIfMissing('request_evaluation', missing);
      const evaluation: Evaluation = {
        n: policy.evaluations.length + 1,
        evaluatorId: command.evaluatorId as string,
        scope: command.scope as string,
        deadline: deadline as string,
        requestedBy: actor.id,
        requestedAt: now.toISOString(),
        returnTo: policy.state as ReviewState,
        status: 'requested',
      };
      return {
        to: 'third_party_evaluation',
        set: { evaluations: [...policy.evaluations, evaluation] },
        data: { n: evaluation.n, evaluatorId: evaluation.evaluatorId, scope: evaluation.scope, deadline },
      };
    },
  },

  submit_evaluation: {
    decide(policy, _actor, command, now) {
      const missing: string[] = [];
      const problems: Problem[] = [];
      checkText(command.summary, 'summary', missing, problems);
      if (command.reportFileId !== undefined && typeof command.reportFileId !== 'string') {
        problems.push({ path: 'reportFileId', message: '应为文本' });
      }
      throwIfInvalid(problems);
      throwIfMissing('submit_evaluation', missing);
      const open = openEvaluation(policy) as Evaluation;
      const submitted: Evaluation = {
        ...open,
        status: 'submitted',
        summary: command.summary as string,
        ...(command.reportFileId !== undefined && { reportFileId: command.reportFileId }),
        submittedAt: now.toISOString(),
      };
      return {
        to: open.returnTo,
        set: { evaluations: policy.evaluations.map((e) => (e.n === open.n ? submitted : e)) },
        data: { n: open.n },
      };
    },
  },

  conclude: {
    decide(policy, actor, command, now, facts) {
      throwIfInvalid(conclusionProblems(command, now));
      throwIfMissing('conclude', missingForConclusion(policy, command));
      const findings = facts.latestFindings ?? [];
      const unexplained = undecidedFindingsWithoutReason(findings, command);
      if (unexplained.length > 0) {
        const places = unexplained.map((f) => f.path || '未识别位置').join('、');
        throw new PreconditionError('undecided_findings', `尚有 ${unexplained.length} 处疑似问题未确认或排除（${places}）：请逐一确认或排除，或在结论中逐处说明理由`, {
          action: 'conclude',
          missing: unexplained.map((f) => `finding:${f.id}`),
          undecidedFindings: unexplained,
        });
      }
      const undecidedFindings = undecidedFindingReasons(findings, command);
      const conclusion = {
        outcome: command.outcome as NonNullable<ConcludeCommand['outcome']>,
        reasoning: command.reasoning as string,
        exception: command.outcome === 'exception' && command.exception ? toExceptionJustification(command.exception) : null,
        versionN: latestVersion(policy)?.n as number,
        concludedBy: actor.id,
        concludedAt: now.toISOString(),
        jointReview: policy.state === 'joint_review',
        ...(undecidedFindings.length > 0 && { undecidedFindings }),
      };
      // The whole conclusion goes into the chain: a later recheck clears the field, the history keeps it.
      return { to: 'concluded', set: { conclusion }, data: { conclusion } };
    },
  },

  publish: {
    decide(policy, actor, command, now) {
      const conclusion = policy.conclusion;
      if (!conclusion) throw new ConflictError('no_conclusion', '尚无审查结论，不得出台（条例第十八条）', {});
      if (conclusion.outcome === 'non_compliant') {
        throw new ConflictError('non_compliant', '审查结论为不符合公平竞争审查标准，不得出台（条例第十八条）', { outcome: conclusion.outcome });
      }
      const missing: string[] = [];
      const problems: Problem[] = [];
      checkText(command.docNumber, 'docNumber', missing, problems);
      if (command.publishedOn === undefined || command.publishedOn === null) missing.push('publishedOn');
      else if (!parseLocalDate(command.publishedOn)) problems.push({ path: 'publishedOn', message: '日期格式应为 YYYY-MM-DD' });
      else if (command.publishedOn < shanghaiDateOf(new Date(conclusion.concludedAt))) {
        problems.push({ path: 'publishedOn', message: '出台日期不能早于审查结论（条例第十八条：未经审查不得出台）' });
      }
      throwIfInvalid(problems);
      throwIfMissing('publish', missing);
      const publication = {
        docNumber: (command.docNumber as string).trim(),
        publishedOn: command.publishedOn as string,
        recordedBy: actor.id,
        recordedAt: now.toISOString(),
      };
      return {
        to: 'published',
        set: { docNumber: publication.docNumber, publication },
        data: { docNumber: publication.docNumber, publishedOn: publication.publishedOn },
      };
    },
  },

  open_recheck: {
    decide(_policy, actor, command, now) {
      const source = command.source ?? 'other';
      const problems: Problem[] = [];
      if (!RECHECK_SOURCES.includes(source)) problems.push({ path: 'source', message: `应为 ${RECHECK_SOURCES.join(' | ')}` });
      if (command.refId !== undefined && typeof command.refId !== 'string') problems.push({ path: 'refId', message: '应为文本' });
      throwIfInvalid(problems);
      const reason = requireReason(command.reason, 'open_recheck');
      const recheck = {
        reason,
        source,
        ...(command.refId !== undefined && { refId: command.refId }),
        openedBy: actor.id,
        openedAt: now.toISOString(),
      };
      return { to: 'recheck', set: { recheck }, data: { reason, source, refId: command.refId } };
    },
  },

  resume_after_recheck: {
    decide(policy, actor, _command, now) {
      const latest = latestVersion(policy);
      const openedAt = policy.recheck?.openedAt ?? '';
      const missing: string[] = [];
      if (!latest || latest.uploadedAt <= openedAt) missing.push('newVersion');
      else if (!isAnalysed(latest)) missing.push('analysedVersion');
      throwIfMissing('resume_after_recheck', missing);
      const recheck = policy.recheck && { ...policy.recheck, outcome: 'revised' as const, closedBy: actor.id, closedAt: now.toISOString() };
      // A new review round: the old conclusion and joint review stay in the history, not in the record.
      return { to: 'self_review', set: { recheck, conclusion: null, jointReview: null, handover: null }, data: { versionN: latest?.n } };
    },
  },

  close_recheck: {
    decide(policy, actor, command, now) {
      const reason = requireReason(command.reason, 'close_recheck');
      return { to: 'published', set: { recheck: closedRecheck(policy, 'upheld', reason, actor, now) }, data: { reason } };
    },
  },

  abolish: {
    decide(policy, actor, command, now) {
      const reason = requireReason(command.reason, 'abolish');
      return { to: 'abolished', set: { recheck: closedRecheck(policy, 'abolished', reason, actor, now) }, data: { reason } };
    },
  },

  withdraw: {
    decide(policy, _actor, command) {
      const reason = requireReason(command.reason, 'withdraw');
      const evaluations = policy.evaluations.map((e) => (e.status === 'requested' ? { ...e, status: 'cancelled' as const } : e));
      return { to: 'withdrawn', set: { evaluations }, data: { reason } };
    },
  },

  // 提交审核 / 退回修改: the self-review changes hands inside the drafting department; the state stays self_review.
  submit_to_lead: {
    decide(policy, actor, _command, now) {
      if (policy.handover?.status === 'submitted') throw new PreconditionError('already_submitted', '自我审查已提交负责人审核', { action: 'submit_to_lead' });
      throwIfMissing('submit_to_lead', missingFromSelfReview(policy));
      const handover = { status: 'submitted' as const, submittedBy: actor.id, submittedAt: now.toISOString() };
      return { to: 'self_review', set: { handover }, data: {} };
    },
  },

  return_to_drafter: {
    decide(policy, actor, command, now) {
      const submitted = policy.handover;
      if (submitted?.status !== 'submitted') throw new PreconditionError('not_submitted', '起草人尚未提交审核，无需退回', { action: 'return_to_drafter' });
      const comments = requireReason(command.reason, 'return_to_drafter');
      const handover = { ...submitted, status: 'returned' as const, returnedBy: actor.id, returnedAt: now.toISOString(), comments };
      return { to: 'self_review', set: { handover }, data: { reason: comments } };
    },
  },
};

function isTransitionAction(value: unknown): value is TransitionAction {
  return typeof value === 'string' && (TRANSITION_ACTIONS as readonly string[]).includes(value);
}

/**
 * Decides one transition. Throws ConflictError (wrong state, stale rev), ForbiddenError, ValidationError or
 * PreconditionError (`details.missing`); otherwise returns the patch the repository applies as one guarded update.
 */
export function decideTransition(policy: Policy, actor: Actor, command: TransitionCommand, now: Date, facts: TransitionFacts = {}): PolicyPatch {
  if (!isTransitionAction(command.action)) {
    throw new ValidationError('unknown_action', `未知的操作：${String(command.action)}`, { action: command.action });
  }
  const rule = RULES[command.action] as Rule<TransitionAction>;
  const permission = POLICY_PERMISSIONS[command.action];
  assertState(policy, permission.from, command.action);
  assertRev(policy, command.rev);
  const refusal = permission.refusal(policy, actor);
  if (refusal) forbid(command.action, refusal);
  const decision = rule.decide(policy, actor, command as CommandOf<TransitionAction>, now, facts);
  return makePatch(policy, actor, { ...decision, action: command.action, comment: command.comment }, now);
}

// ---------- records that do not move the state ----------

export interface NewPolicyInput {
  title?: string;
  kind?: PolicyKind;
  issuingLevel?: IssuingLevel;
  industries?: readonly string[];
}

/** A new draft registered by drafting staff for their own department; the store assigns the id. */
export function newPolicy(actor: Actor, input: NewPolicyInput, now: Date): Omit<Policy, 'id'> {
  const refusal = createPolicyRefusal(actor);
  if (refusal) forbid('create', refusal);
  const problems: Problem[] = [];
  if (typeof input.title !== 'string' || input.title.trim() === '') problems.push({ path: 'title', message: '须填写政策措施名称' });
  if (!POLICY_KINDS.includes(input.kind as PolicyKind)) problems.push({ path: 'kind', message: `应为 ${POLICY_KINDS.join(' | ')}` });
  if (!ISSUING_LEVELS.includes(input.issuingLevel as IssuingLevel)) {
    problems.push({ path: 'issuingLevel', message: `应为 ${ISSUING_LEVELS.join(' | ')}` });
  }
  const industries = input.industries ?? [];
  if (!Array.isArray(industries) || industries.some((i) => typeof i !== 'string' || i.trim() === '')) {
    problems.push({ path: 'industries', message: '应为行业领域名称列表' });
  }
  throwIfInvalid(problems);

  const event = sealEvent(
    {
      actor: { id: actor.id, username: actor.username },
      action: 'create',
      from: null,
      to: 'draft',
      at: now.toISOString(),
      comment: '',
      data: { title: (input.title as string).trim() },
    },
    [],
  );
  return {
    title: (input.title as string).trim(),
    docNumber: null,
    kind: input.kind as PolicyKind,
    issuingLevel: input.issuingLevel as IssuingLevel,
    industries: [...industries],
    draftingDepartmentId: actor.departmentId,
    createdBy: actor.id,
    state: 'draft',
    rev: 0,
    versions: [],
    selfReview: null,
    jointReview: null,
    evaluations: [],
    conclusion: null,
    publication: null,
    recheck: null,
    handover: null,
    events: [event],
  };
}

export interface UploadedFile {
  filename: string;
  mimeType: string;
  size: number;
  sha256: string;
  fileId?: string;
}

/**
 * Registers a new version, queued for analysis. No `rev` from the client (uploads are multipart); the patch is
 * still guarded by the revision read, and the route reloads and decides again if another change won.
 */
export function decideUploadVersion(policy: Policy, actor: Actor, file: UploadedFile, now: Date): PolicyPatch {
  const permission = POLICY_PERMISSIONS.upload_version;
  assertState(policy, permission.from, 'upload_version');
  const refusal = permission.refusal(policy, actor);
  if (refusal) forbid('upload_version', refusal);
  const version: PolicyVersion = {
    n: (latestVersion(policy)?.n ?? 0) + 1,
    ...(file.fileId !== undefined && { fileId: file.fileId }),
    filename: file.filename,
    mimeType: file.mimeType,
    size: file.size,
    sha256: file.sha256,
    uploadedBy: actor.id,
    uploadedAt: now.toISOString(),
    analysis: { status: 'queued', progress: 0 },
  };
  return makePatch(
    policy,
    actor,
    {
      action: 'upload_version',
      to: policy.state,
      push: { versions: version },
      data: { n: version.n, filename: version.filename, sha256: version.sha256, size: version.size },
    },
    now,
  );
}
