/**
 * The Complaint aggregate (举报, 条例22; 办法37–38) as plain data; the mongoose model mirrors it field for field.
 * Timestamps are ISO 8601 UTC strings (as in policy.ts); `LocalDate`s are Asia/Shanghai calendar dates.
 */
import type { Deadline, LocalDate } from './workingDays';

export const COMPLAINT_STATES = [
  'received', // 已收到: waiting for triage
  'supplement_requested', // 待补正: the reporter was asked for more within 7 working days
  'accepted', // 已受理: conforming report; the 60-day verification clock runs
  'not_accepted', // 不予受理 (reason given, or the supplement lapsed)
  'verifying', // 核查中
  'violation_confirmed', // 核查属实: the policy's recheck must be opened
  'no_violation', // 核查不属实
  'replied', // 已答复 (optional; 办法 imposes no duty to inform the reporter)
  'closed', // 已办结
  'transferred', // 已移送: handed to another jurisdiction or competent body; terminal for us
] as const;
export type ComplaintState = (typeof COMPLAINT_STATES)[number];

/** States in which the case is finished here. */
export const TERMINAL_COMPLAINT_STATES: readonly ComplaintState[] = ['closed', 'transferred'];

/** Confidential (条例19; 办法36): see confidentiality.ts for who may read it. */
export interface Reporter {
  name: string;
  /** a phone number or an email address */
  contact: string;
  org?: string;
}

/** What is reported: a policy in our store, or a measure described in free text. */
export interface ComplaintTarget {
  policyId?: string;
  measureText?: string;
  issuingBody?: string;
}

export interface AttachmentMeta {
  fileId: string;
  filename: string;
  mimeType: string;
  size: number;
  sha256: string;
}

export interface TrackedDeadline extends Deadline {
  /** set once the reminder for this deadline went out, so it is never sent twice */
  remindedAt?: string;
  /** set when a regulator extended it (verification only) */
  extension?: { approvedBy: string; approvedAt: string; previousDueDate: LocalDate; reason: string };
}

export interface ComplaintDeadlines {
  supplement?: TrackedDeadline;
  verification?: TrackedDeadline;
}

export const COMPLAINT_ACTIONS = [
  'receive',
  'assign',
  'request_supplement',
  'submit_supplement',
  'lapse',
  'accept',
  'reject',
  'transfer',
  'start_verification',
  'extend',
  'conclude_violation',
  'conclude_no_violation',
  'reply',
  'close',
  'mark_reminded',
  'mark_overdue',
  'recount_deadline',
  'rate',
] as const;
export type ComplaintAction = (typeof COMPLAINT_ACTIONS)[number];

/** 群众评价 (好差评, 一事一评): the reporter's one rating of how the case was handled, given after the reply. */
export const RATING_GRADES = ['good', 'fair', 'poor'] as const;
export type RatingGrade = (typeof RATING_GRADES)[number];

export interface ComplaintRating {
  grade: RatingGrade;
  comment: string;
  at: string;
}

/** Same shape as PolicyEvent, so one hash chain implementation can seal both. */
export interface ComplaintEvent {
  actor: { id: string; username: string };
  action: ComplaintAction;
  /** null only for `receive` */
  from: ComplaintState | null;
  to: ComplaintState;
  at: string;
  comment: string;
  /** the facts of the action, never the reporter's identity */
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type UnsealedComplaintEvent = Omit<ComplaintEvent, 'prevHash' | 'hash'>;

/** One read of the unmasked reporter identity (kept apart from `events`; see confidentiality.ts). */
export interface ReporterReadRecord {
  actorId: string;
  username: string;
  role: string;
  at: string;
  purpose: string;
}

export interface Complaint {
  id: string;
  /** public reference number, e.g. JB-20261122-0007 */
  refNo: string;
  /** hash of the reporter's access code; hashing is the repository's job */
  accessCodeHash: string;
  reporter: Reporter;
  target: ComplaintTarget;
  description: string;
  attachments: AttachmentMeta[];
  state: ComplaintState;
  /** bumped by every accepted change; guards each update */
  rev: number;
  receivedAt: string;
  assigneeId: string | null;
  deadlines: ComplaintDeadlines;
  /** true while an active deadline has passed (set by the deadline job, cleared when the step is done) */
  overdue: boolean;
  supplementRequest: { items: string[]; requestedAt: string } | null;
  notAccepted: { reason: string; lapsed: boolean } | null;
  transfer: { toAuthority: string; reason: string; at: string } | null;
  finding: { outcome: 'violation' | 'no_violation'; summary: string; policyId: string | null; at: string } | null;
  reply: { text: string; at: string } | null;
  /** the reporter's rating of the handling (once per case); absent on cases stored before ratings existed */
  rating?: ComplaintRating | null;
  /**
   * The policy recheck a confirmed violation must open (办法40). Written in the same update as the confirmation
   * and cleared once the recheck is open, so a crash in between leaves a record the worker carries out later.
   */
  pendingRecheck: PendingRecheck | null;
  events: ComplaintEvent[];
  reporterReads: ReporterReadRecord[];
}

export interface PendingRecheck {
  policyId: string;
  source: 'complaint';
  refId: string;
  reason: string;
  /** the staff member who confirmed the violation; the recheck is opened in their name */
  requestedBy: string;
}

/** What a reply letter (答复函) reports: the case's outcome, or null while the case has none yet. */
export type ReplyOutcome = 'transferred' | 'not_accepted' | 'violation_confirmed' | 'no_violation';

export function replyOutcome(complaint: Pick<Complaint, 'state' | 'notAccepted' | 'finding'>): ReplyOutcome | null {
  if (complaint.state === 'transferred') return 'transferred';
  if (complaint.state === 'not_accepted' || complaint.notAccepted) return 'not_accepted';
  if (complaint.finding) return complaint.finding.outcome === 'violation' ? 'violation_confirmed' : 'no_violation';
  return null;
}
