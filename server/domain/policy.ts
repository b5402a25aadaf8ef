/**
 * The Policy aggregate (政策措施) as plain data. The mongoose model mirrors this shape field for field.
 *
 * Timestamps are ISO 8601 UTC strings produced by `Date#toISOString()`: they compare correctly as strings (so
 * range queries work in the store), and an event's `at` hashes identically after a round trip through the store.
 */
import { ITEM_IDS } from '../../checklists/schema';

export const POLICY_STATES = [
  'draft',
  'self_review',
  'joint_review',
  'third_party_evaluation',
  'concluded',
  'published',
  'recheck',
  'abolished',
  'withdrawn',
] as const;
export type PolicyState = (typeof POLICY_STATES)[number];

/** 性质 of the measure (条例2; review form §9.3). */
export const POLICY_KINDS = [
  'law_draft',
  'administrative_regulation_draft',
  'local_regulation_draft',
  'rule',
  'normative_document',
  'other_measure',
] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

/**
 * Who issues the measure. `government` (县级以上人民政府 or its 办公厅) and `legislature` (人大及其常委会)
 * measures must be reviewed jointly with the market regulator (条例14; 办法30).
 */
export const ISSUING_LEVELS = ['department', 'government', 'legislature'] as const;
export type IssuingLevel = (typeof ISSUING_LEVELS)[number];

/** The 19 canonical checklist items (条例8(一)–(五), 9(一)–(六), 10(一)–(四), 11(一)–(四)), as the rulebook lists them. */
export const CHECKLIST_ITEM_IDS = ITEM_IDS;
export type ChecklistItemId = (typeof CHECKLIST_ITEM_IDS)[number];

export function isChecklistItemId(value: unknown): value is ChecklistItemId {
  return typeof value === 'string' && (CHECKLIST_ITEM_IDS as readonly string[]).includes(value);
}

/** `cost-*` items are only prohibited without a 法律/行政法规 basis or State Council approval (条例10). */
export function isCostItem(itemId: ChecklistItemId): boolean {
  return itemId.startsWith('cost-');
}

// ---------- versions ----------

export const ANALYSIS_STATUSES = ['queued', 'analysing', 'analysed', 'failed'] as const;
export type AnalysisStatus = (typeof ANALYSIS_STATUSES)[number];

export interface FindingCounts {
  total: number;
  open: number;
  confirmed: number;
  dismissed: number;
}

export interface VersionAnalysis {
  status: AnalysisStatus;
  /** 0–100 */
  progress: number;
  /** why the analysis failed, in Chinese for the uploader, with a machine code */
  error?: string;
  errorCode?: string;
  findingCounts?: FindingCounts;
  /** the checklist (rulebook) version the findings were matched against */
  checklistVersion?: string;
  /** the analyser's operating point (review: recall first, for a draft's self-review) and its threshold on P(breach) */
  operatingPoint?: 'review' | 'screen';
  threshold?: number;
  startedAt?: string;
  finishedAt?: string;
}

export interface PolicyVersion {
  /** 1, 2, 3… in upload order */
  n: number;
  /** GridFS file id, set by the upload route */
  fileId?: string;
  filename: string;
  mimeType: string;
  size: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
  analysis: VersionAnalysis;
}

// ---------- self-review (自我审查 / 初审) ----------

export type ChecklistAnswerValue = 'no' | 'yes';

/** What may lift a `cost-*` concern (条例10). A local document or a departmental rule is not enough. */
export const LEGAL_BASIS_KINDS = ['law', 'administrative_regulation', 'state_council_approval'] as const;
export type LegalBasisKind = (typeof LEGAL_BASIS_KINDS)[number];

export interface LegalBasis {
  kind: LegalBasisKind;
  /** e.g. 《中华人民共和国企业所得税法》第二十八条, or the State Council approval document */
  citation: string;
}

export interface ChecklistAnswer {
  itemId: ChecklistItemId;
  /** `yes` = the draft raises this concern */
  answer: ChecklistAnswerValue;
  note?: string;
  findingIds: string[];
  /** only on `cost-*` items */
  legalBasis?: LegalBasis;
}

/** 征求意见 (条例16; 办法28). */
export const CONSULTATION_AUDIENCES = ['stakeholders', 'public'] as const;
export type ConsultationAudience = (typeof CONSULTATION_AUDIENCES)[number];

export interface Consultation {
  /** empty only when the draft is confidential and `confidentialityNote` says why nobody was consulted */
  audiences: ConsultationAudience[];
  /** e.g. 座谈会, 书面征求意见, 政府网站 */
  channel?: string;
  startDate?: string;
  endDate?: string;
  feedback?: string;
  /** how the feedback was adopted, and why any was not */
  adoption?: string;
  confidentialityNote?: string;
}

export const CONCLUSION_OUTCOMES = ['compliant', 'compliant_after_revision', 'non_compliant', 'exception'] as const;
export type ConclusionOutcome = (typeof CONCLUSION_OUTCOMES)[number];

export interface DraftConclusion {
  outcome: ConclusionOutcome;
  reasoning: string;
}

export interface SelfReview {
  /** the version these answers were given for; a newer upload makes them stale (办法27: material change) */
  versionN: number;
  answers: ChecklistAnswer[];
  consultation: Consultation | null;
  draftConclusion: DraftConclusion | null;
  updatedBy: string;
  updatedAt: string;
}

// ---------- joint review (会审) ----------

export const SIGN_OFF_VOTES = ['approve', 'approve_with_changes', 'reject'] as const;
export type SignOffVote = (typeof SIGN_OFF_VOTES)[number];

export interface SignOff {
  memberId: string;
  username: string;
  vote: SignOffVote;
  comment: string;
  at: string;
}

export interface JointReview {
  /** user ids of the assigned committee members */
  members: string[];
  /** how many sign-offs (of any vote) the regulator needs before concluding */
  quorum: number;
  deadline: string;
  requestedBy: string;
  requestedAt: string;
  signOffs: SignOff[];
}

// ---------- third-party evaluation (第三方评估, 办法35) ----------

export type EvaluationStatus = 'requested' | 'submitted' | 'cancelled';
export type ReviewState = 'self_review' | 'joint_review';

export interface Evaluation {
  n: number;
  evaluatorId: string;
  scope: string;
  deadline: string;
  requestedBy: string;
  requestedAt: string;
  /** the review state the policy goes back to when the evaluation is submitted */
  returnTo: ReviewState;
  status: EvaluationStatus;
  summary?: string;
  reportFileId?: string;
  submittedAt?: string;
}

// ---------- conclusion (审查结论, 条例17) ----------

/** 条例12 (A): the situations that may justify an exception. */
export const EXCEPTION_SITUATIONS = [
  'national_security_development', // 维护国家安全和发展利益
  'technology_innovation', // 促进科学技术进步、增强国家自主创新能力
  'public_interest', // 节约能源、保护环境、救灾救助等社会公共利益
  'law_or_state_council', // 法律、行政法规规定或者经国务院批准的其他情形
] as const;
export type ExceptionSituation = (typeof EXCEPTION_SITUATIONS)[number];

/** The five explanations an exception conclusion must give (办法29), plus the period or condition (条例12(C)). */
export interface ExceptionJustification {
  /** (一) the effect on fair competition */
  restrictiveEffect: string;
  /** (二) which 条例12 situation applies, and how */
  situation: ExceptionSituation;
  situationExplanation: string;
  /** required for `law_or_state_council`: the law, regulation or approval that sets the situation */
  situationBasis?: LegalBasis;
  /** (三) why no alternative with less impact on competition exists */
  leastRestrictive: string;
  /** (四) why the implementation period or termination condition is reasonable */
  periodReasonableness: string;
  /** (五) anything else to explain; "无" is an answer, silence is not */
  other: string;
  endDate?: string;
  terminationCondition?: string;
}

export interface Conclusion {
  outcome: ConclusionOutcome;
  reasoning: string;
  exception: ExceptionJustification | null;
  /** the version the conclusion is about */
  versionN: number;
  concludedBy: string;
  concludedAt: string;
  /** true when a regulator concluded a joint review */
  jointReview: boolean;
  /** findings of the concluded version left undecided, each with the reason the conclusion gives */
  undecidedFindings?: UndecidedFinding[];
}

export interface UndecidedFinding {
  findingId: string;
  itemId: string;
  path: string;
  reason: string;
}

export interface Publication {
  docNumber: string;
  /** 出台日期, a calendar date 'YYYY-MM-DD' */
  publishedOn: string;
  recordedBy: string;
  recordedAt: string;
}

// ---------- recheck (复查) ----------

export const RECHECK_SOURCES = ['complaint', 'spot_check', 'evaluation', 'stock_screening', 'other'] as const;
export type RecheckSource = (typeof RECHECK_SOURCES)[number];
export type RecheckOutcome = 'revised' | 'abolished' | 'upheld';

export interface Recheck {
  reason: string;
  source: RecheckSource;
  /** complaint, spot-check or screened-document id */
  refId?: string;
  openedBy: string;
  openedAt: string;
  outcome?: RecheckOutcome;
  closingReason?: string;
  closedBy?: string;
  closedAt?: string;
}

// ---------- events ----------

export const TRANSITION_ACTIONS = [
  'start_review',
  'request_joint_review',
  'request_evaluation',
  'submit_evaluation',
  'conclude',
  'publish',
  'open_recheck',
  'resume_after_recheck',
  'close_recheck',
  'abolish',
  'withdraw',
  'submit_to_lead',
  'return_to_drafter',
] as const;
export type TransitionAction = (typeof TRANSITION_ACTIONS)[number];

/** Actions that change the record without moving it to another state. */
export const RECORD_ACTIONS = ['create', 'upload_version', 'update_self_review', 'sign_off', 'decide_finding', 'carry_decisions'] as const;
export type RecordAction = (typeof RECORD_ACTIONS)[number];
export type EventAction = TransitionAction | RecordAction;

export interface PolicyEvent {
  actor: { id: string; username: string };
  action: EventAction;
  /** null only for `create` */
  from: PolicyState | null;
  to: PolicyState;
  at: string;
  comment: string;
  /** the facts of the action (vote, outcome, document number…) so the chain covers them */
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

// ---------- the aggregate ----------

export interface Policy {
  id: string;
  title: string;
  /** 文号, set on publication */
  docNumber: string | null;
  kind: PolicyKind;
  issuingLevel: IssuingLevel;
  industries: string[];
  draftingDepartmentId: string;
  createdBy: string;
  state: PolicyState;
  /** bumped by every accepted change; guards each update */
  rev: number;
  versions: PolicyVersion[];
  selfReview: SelfReview | null;
  jointReview: JointReview | null;
  evaluations: Evaluation[];
  conclusion: Conclusion | null;
  publication: Publication | null;
  recheck: Recheck | null;
  /** the self-review's hand-over inside the drafting department (提交审核 / 退回修改); absent on older records */
  handover?: Handover | null;
  events: PolicyEvent[];
}

export interface Handover {
  status: 'submitted' | 'returned';
  /** who submitted the self-review to the lead */
  submittedBy: string;
  submittedAt: string;
  /** the lead who sent it back, when, and why */
  returnedBy?: string;
  returnedAt?: string;
  comments?: string;
}

export function latestVersion(policy: Pick<Policy, 'versions'>): PolicyVersion | undefined {
  return policy.versions.reduce<PolicyVersion | undefined>((latest, v) => (!latest || v.n > latest.n ? v : latest), undefined);
}

export function jointReviewRequired(policy: Pick<Policy, 'issuingLevel'>): boolean {
  return policy.issuingLevel !== 'department';
}
