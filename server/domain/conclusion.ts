/**
 * What a review conclusion (审查结论, 条例17) needs before it may be recorded.
 *
 * - A complete self-review for the latest version (every one of the 19 items answered, consultation, draft).
 * - Government and legislature measures: a joint review with its quorum of sign-offs (条例14).
 * - `exception`: the five explanations of 办法29 and an end date or a termination condition (条例12(C)).
 * - `compliant` while a `cost-*` item is answered "yes": each such item must cite a 法律, 行政法规 or State
 *   Council approval (条例10). Not for `compliant_after_revision` (the clause is revised away, not justified)
 *   nor `exception` (a separate ground, 条例12, with its own explanations).
 * - `compliant_after_revision`: a revised version analysed after the first analysed one (修改 is a new text).
 * - Every finding of the concluded version confirmed or dismissed, or an explicit reason per undecided one
 *   recorded in the conclusion (`undecidedFindingsWithoutReason`).
 */
import { isBlank, parseInstant, type Problem } from './guards';
import { quorumStatus } from './jointReview';
import {
  CONCLUSION_OUTCOMES,
  EXCEPTION_SITUATIONS,
  LEGAL_BASIS_KINDS,
  isCostItem,
  jointReviewRequired,
  type ConclusionOutcome,
  type ExceptionJustification,
  type LegalBasis,
  type Policy,
  type UndecidedFinding,
} from './policy';
import { missingFromSelfReview } from './selfReview';

export interface ExceptionInput {
  restrictiveEffect?: string;
  situation?: string;
  situationExplanation?: string;
  situationBasis?: { kind?: string; citation?: string };
  leastRestrictive?: string;
  periodReasonableness?: string;
  other?: string;
  endDate?: string;
  terminationCondition?: string;
}

export interface ConclusionInput {
  outcome?: ConclusionOutcome;
  reasoning?: string;
  exception?: ExceptionInput | null;
  /** why a finding of the concluded version is left undecided, per finding */
  undecidedFindings?: Array<{ findingId?: string; reason?: string }>;
}

/** A finding of the version being concluded, as the conclusion rule needs it. */
export interface FindingStatus {
  id: string;
  itemId: string;
  path: string;
  status: 'pending' | 'confirmed' | 'dismissed';
}

/** The findings still undecided that the conclusion gives no reason for; empty when it may be recorded. */
export function undecidedFindingsWithoutReason(findings: readonly FindingStatus[], input: Pick<ConclusionInput, 'undecidedFindings'>): FindingStatus[] {
  const explained = new Set((input.undecidedFindings ?? []).filter((u) => !isBlank(u.reason)).map((u) => u.findingId));
  return findings.filter((f) => f.status === 'pending' && !explained.has(f.id));
}

/** The reasons recorded with a conclusion: one per finding that was still undecided, with its item and place. */
export function undecidedFindingReasons(findings: readonly FindingStatus[], input: Pick<ConclusionInput, 'undecidedFindings'>): UndecidedFinding[] {
  const reasons = new Map((input.undecidedFindings ?? []).map((u) => [u.findingId, (u.reason ?? '').trim()]));
  return findings.filter((f) => f.status === 'pending').map((f) => ({ findingId: f.id, itemId: f.itemId, path: f.path, reason: reasons.get(f.id) ?? '' }));
}

/** Whether a version was analysed after the first analysed one: what 经修改后符合 is about. */
export function hasRevisedVersion(policy: Pick<Policy, 'versions'>): boolean {
  const analysed = policy.versions.filter((v) => v.analysis.status === 'analysed').map((v) => v.n);
  return analysed.length >= 2;
}

const EXPLANATIONS = ['restrictiveEffect', 'situation', 'situationExplanation', 'leastRestrictive', 'periodReasonableness', 'other'] as const;
const TEXT_FIELDS = [...EXPLANATIONS.filter((f) => f !== 'situation'), 'terminationCondition'] as const;

/** A blank situation is missing (422), not wrong; anything else outside the list is wrong (400). */
function isUnknownSituation(situation: unknown): boolean {
  if (situation === undefined || situation === null) return false;
  if (typeof situation !== 'string') return true;
  return !isBlank(situation) && !(EXCEPTION_SITUATIONS as readonly string[]).includes(situation);
}

/** Values present but wrong (400). `now` bounds the end date: an exception must not already have expired. */
export function conclusionProblems(input: ConclusionInput, now: Date): Problem[] {
  const problems: Problem[] = [];
  if (input.outcome !== undefined && input.outcome !== null && !CONCLUSION_OUTCOMES.includes(input.outcome)) {
    problems.push({ path: 'outcome', message: `应为 ${CONCLUSION_OUTCOMES.join(' | ')}` });
  }
  if (input.reasoning !== undefined && typeof input.reasoning !== 'string') problems.push({ path: 'reasoning', message: '应为文本' });
  const exception = input.exception;
  if (!exception) return problems;
  if (input.outcome !== 'exception') {
    problems.push({ path: 'exception', message: '只有适用例外规定的结论才填写例外说明' });
    return problems;
  }
  for (const field of TEXT_FIELDS) {
    if (exception[field] !== undefined && typeof exception[field] !== 'string') problems.push({ path: `exception.${field}`, message: '应为文本' });
  }
  if (isUnknownSituation(exception.situation)) {
    problems.push({ path: 'exception.situation', message: `应为 ${EXCEPTION_SITUATIONS.join(' | ')}` });
  }
  const basisKind = exception.situationBasis?.kind;
  if (basisKind !== undefined && !(LEGAL_BASIS_KINDS as readonly string[]).includes(basisKind)) {
    problems.push({ path: 'exception.situationBasis.kind', message: `应为 ${LEGAL_BASIS_KINDS.join(' | ')}` });
  }
  if (exception.endDate !== undefined) {
    const end = parseInstant(exception.endDate);
    if (!end) problems.push({ path: 'exception.endDate', message: '日期格式不正确' });
    else if (Date.parse(end) <= now.getTime()) problems.push({ path: 'exception.endDate', message: '实施期限应晚于作出结论之时' });
  }
  return problems;
}

/** The 办法29 explanations and the 条例12(C) period or condition that an exception still lacks. */
export function missingExceptionExplanations(exception: ExceptionInput | null | undefined): string[] {
  const e = exception ?? {};
  const missing: string[] = EXPLANATIONS.filter((field) => isBlank(e[field])).map((field) => `exception.${field}`);
  const basis = e.situationBasis;
  if (e.situation === 'law_or_state_council' && (!basis?.kind || isBlank(basis.citation))) missing.push('exception.situationBasis');
  if (isBlank(e.endDate) && isBlank(e.terminationCondition)) missing.push('exception.endDateOrTerminationCondition');
  return missing;
}

/** `cost-*` concerns that a `compliant` conclusion would clear without a 条例10 legal basis. */
export function costConcernsWithoutLegalBasis(policy: Pick<Policy, 'selfReview'>): string[] {
  return (policy.selfReview?.answers ?? [])
    .filter((a) => isCostItem(a.itemId) && a.answer === 'yes' && isBlank(a.legalBasis?.citation))
    .map((a) => `checklist.${a.itemId}.legalBasis`);
}

/** Everything a conclusion of `input.outcome` on this policy still lacks, by name; empty when it may be recorded. */
export function missingForConclusion(
  policy: Pick<Policy, 'state' | 'issuingLevel' | 'jointReview' | 'selfReview' | 'versions'>,
  input: ConclusionInput,
): string[] {
  const missing: string[] = [];
  if (policy.state !== 'joint_review' && jointReviewRequired(policy)) missing.push('jointReview');
  if (policy.state === 'joint_review' && !(policy.jointReview && quorumStatus(policy.jointReview).reached)) {
    missing.push('jointReview.quorum');
  }
  missing.push(...missingFromSelfReview(policy));
  if (input.outcome === undefined || input.outcome === null) missing.push('outcome');
  if (isBlank(input.reasoning)) missing.push('reasoning');
  if (input.outcome === 'compliant') missing.push(...costConcernsWithoutLegalBasis(policy));
  if (input.outcome === 'compliant_after_revision' && !hasRevisedVersion(policy)) missing.push('revisedVersion');
  if (input.outcome === 'exception') missing.push(...missingExceptionExplanations(input.exception));
  return missing;
}

/** The stored form of a complete exception input. */
export function toExceptionJustification(e: ExceptionInput): ExceptionJustification {
  return {
    restrictiveEffect: e.restrictiveEffect ?? '',
    situation: e.situation as ExceptionJustification['situation'],
    situationExplanation: e.situationExplanation ?? '',
    ...(e.situationBasis && { situationBasis: e.situationBasis as LegalBasis }),
    leastRestrictive: e.leastRestrictive ?? '',
    periodReasonableness: e.periodReasonableness ?? '',
    other: e.other ?? '',
    ...(!isBlank(e.endDate) && { endDate: parseInstant(e.endDate) }),
    ...(!isBlank(e.terminationCondition) && { terminationCondition: e.terminationCondition }),
  };
}
