/**
 * The report builders by kind, for the reports worker: `buildReport(kind, data)` renders one DOCX. Each builder is a
 * pure function of its view model (plain data; the caller maps database documents onto it).
 */
import { buildAnnotatedDraft, type AnnotatedDraftData } from './annotated-draft.js';
import { buildComplaintReply, type ComplaintReplyData } from './complaint-reply.js';
import { buildEvaluationSummary, type EvaluationSummaryData } from './evaluation-summary.js';
import { buildJointReviewOpinion, type JointReviewOpinionData } from './joint-review-opinion.js';
import { buildReviewForm, type ReviewFormData } from './review-form.js';
import { buildStatisticsReport, type StatisticsReportData } from './statistics-report.js';
import { REPORT_KIND_LABELS } from '../checklists/vocabulary.js';

export interface ReportDataByKind {
  review_form: ReviewFormData;
  annotated_draft: AnnotatedDraftData;
  joint_review_opinion: JointReviewOpinionData;
  evaluation_summary: EvaluationSummaryData;
  complaint_reply: ComplaintReplyData;
  statistics: StatisticsReportData;
}

export type ReportKind = keyof ReportDataByKind;

export const reportBuilders: { readonly [K in ReportKind]: (data: ReportDataByKind[K]) => Promise<Buffer> } = {
  review_form: buildReviewForm,
  annotated_draft: buildAnnotatedDraft,
  joint_review_opinion: buildJointReviewOpinion,
  evaluation_summary: buildEvaluationSummary,
  complaint_reply: buildComplaintReply,
  statistics: buildStatisticsReport,
};

export const REPORT_KINDS = Object.keys(reportBuilders) as ReportKind[];

/** Chinese stem for the downloaded file's name (the API adds the policy name and ".docx"): the report's name. */
export const REPORT_FILE_NAMES: Readonly<Record<ReportKind, string>> = REPORT_KIND_LABELS;

export function isReportKind(value: unknown): value is ReportKind {
  return typeof value === 'string' && Object.hasOwn(reportBuilders, value);
}

export function buildReport<K extends ReportKind>(kind: K, data: ReportDataByKind[K]): Promise<Buffer> {
  const build = reportBuilders[kind] as (data: ReportDataByKind[K]) => Promise<Buffer>;
  return build(data);
}

export type { AnnotatedDraftData, DraftFinding, DraftUnit, UnitKind } from './annotated-draft.js';
export type { ComplaintOutcome, ComplaintReplyData } from './complaint-reply.js';
export type { EvaluationFinding, EvaluationSummaryData } from './evaluation-summary.js';
export type { JointReviewMember, JointReviewOpinionData, JointReviewResult } from './joint-review-opinion.js';
export type { ExceptionExplanation, LinkedFinding, ReviewFormConsultation, ReviewFormData, ReviewFormItem } from './review-form.js';
export type { CountRow, FlaggedItemRow, StatisticsReportData } from './statistics-report.js';
export type { ConclusionKind, FindingStatus, PolicyKind, Vote } from './labels.js';
export type { RateFigure } from './statistics-report.js';
export {
  COMPLAINT_STATE_LABELS,
  CONCLUSION_LABELS,
  EXCEPTION_SITUATION_LABELS,
  FINDING_STATUS_LABELS,
  POLICY_KIND_LABELS,
  POLICY_STATE_LABELS,
  VOTE_LABELS,
} from './labels.js';
