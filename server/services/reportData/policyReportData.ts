/**
 * Pure mappings from the Policy aggregate (plus the names and findings a loader looks up) to the view models
 * of the DOCX builders in templates/. No I/O here: the renderReport processor loads, these functions shape.
 */
import type { Policy, ChecklistItemId } from '../../domain/policy';
import { CHECKLIST_ITEM_IDS, latestVersion } from '../../domain/policy';
import { quorumStatus } from '../../domain/jointReview';
import type {
  AnnotatedDraftData, DraftUnit, EvaluationSummaryData, JointReviewOpinionData, JointReviewResult, ReviewFormData, UnitKind,
} from '../../../templates/index';

/** What a loader knows about people and departments, by id. */
export interface Directory {
  userName(id: string | undefined): string;
  userDepartmentName(id: string | undefined): string;
  departmentName(id: string | undefined): string;
  departmentContact(id: string | undefined): string;
}

export interface ChecklistTitle { id: string; title: string; basis: string }

/** A finding as the reports need it (from the Finding model). */
export interface ReportFinding {
  id: string;
  versionN: number;
  itemId: string;
  path: string;
  text: string;
  start: number;
  end: number;
  basis: string;
  explanation: string;
  suggestion: string;
  status: 'pending' | 'confirmed' | 'dismissed';
  decisionReason?: string;
  decidedBy?: string;
  decidedAt?: string;
}

const OUTCOME_TEXT: Record<string, string> = {
  compliant: '经审查，该政策措施不具有排除、限制竞争的效果，可以出台。',
  compliant_after_revision: '经审查，该政策措施按审查意见修改后不具有排除、限制竞争的效果，可以出台。',
  non_compliant: '经审查，该政策措施具有排除、限制竞争的效果，且不符合例外规定，不得出台。',
  exception: '经审查，该政策措施虽具有一定限制竞争的效果，但符合例外规定，可以出台。',
};

export function reviewFormData(policy: Policy, checklist: readonly ChecklistTitle[], findings: readonly ReportFinding[], dir: Directory, now: Date): ReviewFormData {
  const answers = new Map(policy.selfReview?.answers.map((a) => [a.itemId, a]) ?? []);
  const findingById = new Map(findings.map((f) => [f.id, f]));
  const consultation = policy.selfReview?.consultation;
  const conclusion = policy.conclusion;
  const exception = conclusion?.exception;
  const evaluations = policy.evaluations.filter((e) => e.status === 'submitted');
  return {
    filledOn: now,
    policy: { name: policy.title, industries: policy.industries, kind: policy.kind },
    draftingBody: { name: dir.departmentName(policy.draftingDepartmentId), contact: dir.departmentContact(policy.draftingDepartmentId) },
    reviewingBody: conclusion?.jointReview
      ? { name: dir.userDepartmentName(conclusion.concludedBy), contact: dir.userName(conclusion.concludedBy) }
      : { name: dir.departmentName(policy.draftingDepartmentId), contact: conclusion ? dir.userName(conclusion.concludedBy) : null },
    consultation: consultation
      ? {
          stakeholders: consultation.audiences.includes('stakeholders'),
          public: consultation.audiences.includes('public'),
          method: consultation.channel,
          timing: [consultation.startDate, consultation.endDate].filter(Boolean).join(' 至 ') || null,
          feedback: consultation.feedback,
          adoption: consultation.adoption,
          confidentialityNote: consultation.confidentialityNote,
        }
      : null,
    expertAndThirdParty: evaluations.length
      ? evaluations.map((e) => `委托${dir.userDepartmentName(e.evaluatorId)}开展第三方评估（${e.scope}）：${e.summary ?? ''}`).join('\n')
      : null,
    conclusion: conclusion ? { kind: conclusion.outcome, text: [OUTCOME_TEXT[conclusion.outcome], conclusion.reasoning].filter(Boolean).join('\n') } : null,
    exception: conclusion
      ? exception
        ? {
            applies: true,
            restrictiveEffect: exception.restrictiveEffect,
            situation: exception.situationExplanation,
            leastRestrictive: exception.leastRestrictive,
            periodReasonable: exception.periodReasonableness,
            other: exception.other,
            periodOrTermination: [exception.endDate ? `实施期限至 ${exception.endDate}` : '', exception.terminationCondition ?? ''].filter(Boolean).join('；'),
          }
        : { applies: false }
      : null,
    otherNotes: policy.selfReview?.draftConclusion?.reasoning ?? null,
    headOpinion: conclusion ? { opinion: null, signer: null, date: conclusion.concludedAt } : null,
    items: checklist.map((item) => {
      const answer = answers.get(item.id as ChecklistItemId);
      const linked = (answer?.findingIds ?? []).map((id) => findingById.get(id)).filter((f): f is ReportFinding => Boolean(f));
      const legalBasis = answer?.legalBasis ? `依据：${answer.legalBasis.citation}` : '';
      return {
        id: item.id,
        title: item.title,
        answer: answer?.answer ?? null,
        notes: [answer?.note, legalBasis].filter(Boolean).join('；') || null,
        findings: linked.map((f) => ({ id: f.id, path: f.path, text: f.text, status: f.status })),
      };
    }),
  };
}

/** Lays the extracted text out as paragraphs (one unit per line), with the structural kind of each. */
export function draftUnits(text: string): DraftUnit[] {
  const units: DraftUnit[] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed) units.push({ path: '', text: line, start, kind: unitKind(trimmed, units.length === 0) });
    start += line.length + 1;
  }
  return units;
}

function unitKind(line: string, first: boolean): UnitKind {
  if (/^第[一二三四五六七八九十百零〇\d]+章/.test(line)) return 'chapter';
  if (/^第[一二三四五六七八九十百零〇\d]+节/.test(line)) return 'section';
  if (/^第[一二三四五六七八九十百零〇\d]+条/.test(line)) return 'article';
  if (/^[（(][一二三四五六七八九十\d]+[)）]/.test(line)) return 'item';
  if (first && line.length <= 60 && !/[。；]$/.test(line)) return 'title';
  return 'paragraph';
}

export function annotatedDraftData(policy: Policy, versionN: number, text: string, checklist: readonly ChecklistTitle[], findings: readonly ReportFinding[], dir: Directory, now: Date): AnnotatedDraftData {
  const titles = new Map(checklist.map((c) => [c.id, c.title]));
  return {
    policyName: policy.title,
    draftingBody: dir.departmentName(policy.draftingDepartmentId),
    version: versionN,
    generatedOn: now,
    commentAuthor: 'FairReview 公平竞争审查',
    units: draftUnits(text),
    findings: findings
      .filter((f) => f.versionN === versionN)
      .map((f) => ({
        id: f.id,
        itemId: f.itemId,
        itemTitle: titles.get(f.itemId) ?? f.itemId,
        start: f.start,
        end: f.end,
        quote: f.text,
        path: f.path,
        legalBasis: f.basis,
        why: f.explanation,
        suggestedRewrite: f.suggestion,
        status: f.status,
        decisionNote: f.decisionReason,
        reviewer: f.decidedBy ? dir.userName(f.decidedBy) : null,
        decidedAt: f.decidedAt,
      })),
  };
}

export function jointReviewOpinionData(policy: Policy, dir: Directory): JointReviewOpinionData {
  const review = policy.jointReview;
  const signOffs = new Map(review?.signOffs.map((s) => [s.memberId, s]) ?? []);
  const status = review ? quorumStatus(review) : undefined;
  const conclusion = policy.conclusion?.jointReview ? policy.conclusion : null;
  return {
    policy: { name: policy.title, draftingBody: dir.departmentName(policy.draftingDepartmentId), submittedOn: review?.requestedAt },
    regulator: conclusion ? dir.userDepartmentName(conclusion.concludedBy) : review ? dir.userDepartmentName(review.requestedBy) : '',
    meeting: review ? { form: '书面会审', date: review.requestedAt } : null,
    members: (review?.members ?? []).map((id) => {
      const s = signOffs.get(id);
      return { name: dir.userName(id), unit: dir.userDepartmentName(id), role: '会审成员', vote: s?.vote ?? null, comment: s?.comment ?? null, signedAt: s?.at ?? null };
    }),
    quorum: { required: review?.quorum ?? 0 },
    result: status ? jointResult(status) : null,
    conclusion: conclusion ? { kind: conclusion.outcome, text: [OUTCOME_TEXT[conclusion.outcome], conclusion.reasoning].filter(Boolean).join('\n') } : null,
    issuedOn: conclusion?.concludedAt ?? null,
  };
}

function jointResult(status: ReturnType<typeof quorumStatus>): JointReviewResult {
  if (!status.reached) return 'no_quorum';
  if (status.rejections > status.approvals + status.approvalsWithChanges) return 'rejected';
  return status.approvalsWithChanges > 0 ? 'approved_with_changes' : 'approved';
}

export function evaluationSummaryData(policy: Policy, dir: Directory): EvaluationSummaryData {
  const evaluation = [...policy.evaluations].reverse().find((e) => e.status === 'submitted') ?? policy.evaluations.at(-1);
  return {
    policy: { name: policy.title, draftingBody: dir.departmentName(policy.draftingDepartmentId) },
    commissionedBy: evaluation ? dir.userDepartmentName(evaluation.requestedBy) : null,
    evaluator: { name: evaluation ? dir.userDepartmentName(evaluation.evaluatorId) : '', contact: evaluation ? dir.userName(evaluation.evaluatorId) : null },
    evaluationType: policy.publication ? '实施后评估' : '出台前评估',
    scope: evaluation?.scope ?? null,
    period: evaluation ? { from: evaluation.requestedAt, to: evaluation.submittedAt ?? null } : null,
    methods: [],
    findings: evaluation?.summary ? [{ title: '评估意见', detail: evaluation.summary }] : [],
    conclusion: null,
    recommendations: [],
    reportDate: evaluation?.submittedAt ?? null,
  };
}

/** Which version an annotated draft shows: the latest analysed one. */
export function reportVersion(policy: Policy): number | undefined {
  const analysed = policy.versions.filter((v) => v.analysis.status === 'analysed').sort((a, b) => b.n - a.n)[0];
  return analysed?.n ?? latestVersion(policy)?.n;
}

export const ALL_ITEM_IDS: readonly string[] = CHECKLIST_ITEM_IDS;
