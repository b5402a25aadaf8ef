/**
 * The self-review record (自我审查 / 初审): an answer per checklist item, the consultation (条例16; 办法28) and
 * the draft conclusion. Saving may be partial; `missingFromSelfReview` says what a complete record still lacks.
 * Split of errors: a value that is wrong in itself is a 400 when saving; something not there yet is a 422 when
 * the record is relied on (joint review request, conclusion).
 */
import { assertRev, assertState, failMissing, forbid, isBlank, parseInstant, throwIfInvalid, type Problem } from './guards';
import { POLICY_PERMISSIONS } from './permissions/policy';
import { makePatch, type PolicyPatch } from './patch';
import {
  CHECKLIST_ITEM_IDS,
  CONCLUSION_OUTCOMES,
  CONSULTATION_AUDIENCES,
  LEGAL_BASIS_KINDS,
  isChecklistItemId,
  isCostItem,
  latestVersion,
  type ChecklistAnswer,
  type Consultation,
  type DraftConclusion,
  type Policy,
  type SelfReview,
} from './policy';
import type { Actor } from './roles';

/** What the client sends; loosely typed because it is checked here. */
export interface SelfReviewInput {
  answers?: readonly AnswerInput[];
  consultation?: Consultation | null;
  draftConclusion?: DraftConclusion | null;
}

export interface AnswerInput {
  itemId?: string;
  answer?: string;
  note?: string;
  findingIds?: readonly string[];
  legalBasis?: { kind?: string; citation?: string };
}

export interface ValidatedSelfReview {
  answers: ChecklistAnswer[];
  consultation: Consultation | null;
  draftConclusion: DraftConclusion | null;
}

export interface SelfReviewOptions {
  /** ids of this policy's findings; when given, linked finding ids must be among them */
  knownFindingIds?: ReadonlySet<string>;
}

function answerProblems(answer: AnswerInput, path: string, options: SelfReviewOptions): Problem[] {
  const problems: Problem[] = [];
  if (!isChecklistItemId(answer.itemId)) problems.push({ path: `${path}.itemId`, message: '不是有效的检查项编号' });
  if (answer.answer !== 'no' && answer.answer !== 'yes') problems.push({ path: `${path}.answer`, message: '应为 no 或 yes' });
  if (answer.answer === 'yes' && isBlank(answer.note)) problems.push({ path: `${path}.note`, message: '回答“是”时须说明理由' });
  if (answer.note !== undefined && typeof answer.note !== 'string') problems.push({ path: `${path}.note`, message: '应为文本' });

  const findingIds = answer.findingIds ?? [];
  if (!Array.isArray(findingIds) || findingIds.some((id) => isBlank(id))) {
    problems.push({ path: `${path}.findingIds`, message: '应为问题编号列表' });
  } else {
    if (new Set(findingIds).size !== findingIds.length) problems.push({ path: `${path}.findingIds`, message: '问题编号重复' });
    const unknown = options.knownFindingIds ? findingIds.filter((id) => !options.knownFindingIds?.has(id)) : [];
    if (unknown.length > 0) problems.push({ path: `${path}.findingIds`, message: `不属于本政策措施的问题编号：${unknown.join('、')}` });
  }

  const basis = answer.legalBasis;
  if (basis !== undefined) {
    if (!isChecklistItemId(answer.itemId) || !isCostItem(answer.itemId) || answer.answer !== 'yes') {
      problems.push({ path: `${path}.legalBasis`, message: '法律依据只适用于回答“是”的 cost-* 检查项（条例第十条）' });
    } else {
      if (!(LEGAL_BASIS_KINDS as readonly unknown[]).includes(basis.kind)) {
        problems.push({ path: `${path}.legalBasis.kind`, message: `应为 ${LEGAL_BASIS_KINDS.join(' | ')}` });
      }
      if (isBlank(basis.citation)) problems.push({ path: `${path}.legalBasis.citation`, message: '须写明所依据的法律、行政法规或国务院批准文件' });
    }
  }
  return problems;
}

function consultationProblems(consultation: Consultation): Problem[] {
  const problems: Problem[] = [];
  const audiences: readonly unknown[] = Array.isArray(consultation.audiences) ? consultation.audiences : [];
  if (!Array.isArray(consultation.audiences) || audiences.some((a) => !(CONSULTATION_AUDIENCES as readonly unknown[]).includes(a))) {
    problems.push({ path: 'consultation.audiences', message: `应为 ${CONSULTATION_AUDIENCES.join('、')} 的列表` });
  } else if (new Set(audiences).size !== audiences.length) {
    problems.push({ path: 'consultation.audiences', message: '重复' });
  }
  for (const field of ['channel', 'feedback', 'adoption', 'confidentialityNote'] as const) {
    const value = consultation[field];
    if (value !== undefined && typeof value !== 'string') problems.push({ path: `consultation.${field}`, message: '应为文本' });
  }
  const start = consultation.startDate === undefined ? undefined : parseInstant(consultation.startDate);
  const end = consultation.endDate === undefined ? undefined : parseInstant(consultation.endDate);
  if (consultation.startDate !== undefined && !start) problems.push({ path: 'consultation.startDate', message: '日期格式不正确' });
  if (consultation.endDate !== undefined && !end) problems.push({ path: 'consultation.endDate', message: '日期格式不正确' });
  if (start && end && start > end) problems.push({ path: 'consultation.endDate', message: '结束日期早于开始日期' });
  return problems;
}

function draftConclusionProblems(draft: DraftConclusion): Problem[] {
  const problems: Problem[] = [];
  if (!CONCLUSION_OUTCOMES.includes(draft.outcome)) {
    problems.push({ path: 'draftConclusion.outcome', message: `应为 ${CONCLUSION_OUTCOMES.join(' | ')}` });
  }
  if (isBlank(draft.reasoning)) problems.push({ path: 'draftConclusion.reasoning', message: '须写明初审意见' });
  return problems;
}

/** Checks a record to be saved; throws ValidationError (400) listing every problem, or returns it normalised. */
export function validateSelfReview(input: SelfReviewInput, options: SelfReviewOptions = {}): ValidatedSelfReview {
  const problems: Problem[] = [];
  const answers = input.answers ?? [];
  if (!Array.isArray(answers)) problems.push({ path: 'answers', message: '应为列表' });
  else {
    const seen = new Set<string>();
    answers.forEach((answer, i) => {
      problems.push(...answerProblems(answer, `answers[${i}]`, options));
      if (answer.itemId !== undefined && seen.has(answer.itemId)) problems.push({ path: `answers[${i}].itemId`, message: '同一检查项重复回答' });
      if (answer.itemId !== undefined) seen.add(answer.itemId);
    });
  }
  if (input.consultation) problems.push(...consultationProblems(input.consultation));
  if (input.draftConclusion) problems.push(...draftConclusionProblems(input.draftConclusion));
  throwIfInvalid(problems);

  return {
    answers: answers.map((a): ChecklistAnswer => ({
      itemId: a.itemId as ChecklistAnswer['itemId'],
      answer: a.answer as ChecklistAnswer['answer'],
      ...(a.note !== undefined && { note: a.note }),
      findingIds: [...(a.findingIds ?? [])],
      ...(a.legalBasis !== undefined && { legalBasis: a.legalBasis as ChecklistAnswer['legalBasis'] }),
    })),
    consultation: input.consultation ?? null,
    draftConclusion: input.draftConclusion ?? null,
  };
}

function missingFromConsultation(consultation: Consultation | null): string[] {
  if (!consultation) return ['consultation'];
  if (consultation.audiences.length === 0) {
    // Nobody consulted is acceptable only for a confidential draft, and the conclusion must say so (条例16).
    return isBlank(consultation.confidentialityNote) ? ['consultation.audiencesOrConfidentialityNote'] : [];
  }
  const required = ['channel', 'startDate', 'endDate', 'feedback', 'adoption'] as const;
  return required.filter((field) => isBlank(consultation[field])).map((field) => `consultation.${field}`);
}

/**
 * What the self-review still lacks before it can be relied on: the answers must be for the latest version,
 * every one of the 19 items answered, the consultation recorded and a draft conclusion given.
 */
export function missingFromSelfReview(policy: Pick<Policy, 'selfReview' | 'versions'>): string[] {
  const review = policy.selfReview;
  const missing: string[] = [];
  const latest = latestVersion(policy);
  if (review && latest && review.versionN !== latest.n) missing.push('selfReview.version');
  const answered = new Set((review?.answers ?? []).map((a) => a.itemId));
  missing.push(...CHECKLIST_ITEM_IDS.filter((id) => !answered.has(id)).map((id) => `checklist.${id}`));
  missing.push(...missingFromConsultation(review?.consultation ?? null));
  if (!review?.draftConclusion) missing.push('draftConclusion');
  return missing;
}

export interface SelfReviewUpdate extends SelfReviewInput {
  rev: number;
}

/** Saving the self-review: drafting department staff, in self-review only (the 初审 is frozen once submitted). */
export function decideSelfReviewUpdate(
  policy: Policy,
  actor: Actor,
  update: SelfReviewUpdate,
  now: Date,
  options: SelfReviewOptions = {},
): PolicyPatch {
  const permission = POLICY_PERMISSIONS.update_self_review;
  assertState(policy, permission.from, 'update_self_review');
  assertRev(policy, update.rev);
  const refusal = permission.refusal(policy, actor);
  if (refusal) forbid('update_self_review', refusal);
  const record = validateSelfReview(update, options);
  const latest = latestVersion(policy);
  if (!latest) failMissing('update_self_review', ['version']);

  const selfReview: SelfReview = {
    versionN: latest.n,
    ...record,
    updatedBy: actor.id,
    updatedAt: now.toISOString(),
  };
  return makePatch(
    policy,
    actor,
    {
      action: 'update_self_review',
      to: policy.state,
      set: { selfReview },
      data: {
        versionN: selfReview.versionN,
        answered: selfReview.answers.length,
        concerns: selfReview.answers.filter((a) => a.answer === 'yes').map((a) => a.itemId),
      },
    },
    now,
  );
}
