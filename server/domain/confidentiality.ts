/**
 * The reporter's identity and contacts (条例19; 办法36) are visible only to the complaint handler assigned to the
 * case and to admins, and only where they need them (the case detail, the reply letter); every other reader,
 * and every list, gets a masked copy. Every read of unmasked data is recorded.
 *
 * Reads are recorded in `reporterReads`, a log on the complaint kept apart from the hash-chained `events`: the
 * repository appends without the revision guard and without bumping `rev`, because reading must neither fail on a
 * concurrent change nor make someone else's edit stale. If that append fails, the data must not be returned.
 */
import type { Complaint, Reporter, ReporterReadRecord } from './complaint';
import { maySeeReporter } from './permissions/complaint';
import type { SupervisionActor } from './supervisionActor';

export type ReadPurpose = 'list' | 'detail' | 'reply_letter' | 'status';

/** Only these purposes ever show the identity; a list never does, whoever reads it. */
const PURPOSES_NEEDING_IDENTITY: readonly ReadPurpose[] = ['detail', 'reply_letter'];

export interface ReporterView extends Reporter {
  masked: boolean;
}

export interface ReporterRead {
  reporter: ReporterView;
  /** true exactly when unmasked data is returned: append `record` to `reporterReads` before answering */
  mustRecordRead: boolean;
  record: ReporterReadRecord | null;
}

export { maySeeReporter };

export function readReporter(complaint: Complaint, actor: SupervisionActor, purpose: ReadPurpose, now: Date): ReporterRead {
  if (!maySeeReporter(actor, complaint) || !PURPOSES_NEEDING_IDENTITY.includes(purpose)) {
    return { reporter: maskReporter(complaint.reporter), mustRecordRead: false, record: null };
  }
  return {
    reporter: { ...complaint.reporter, masked: false },
    mustRecordRead: true,
    record: { actorId: actor.id, username: actor.username, role: actor.role, at: now.toISOString(), purpose },
  };
}

export type ComplaintView = Omit<Complaint, 'reporter' | 'accessCodeHash' | 'reporterReads'> & {
  reporter: ReporterView;
  /** who read the identity, for those who may see it themselves */
  reporterReads?: ReporterReadRecord[];
};

/** The complaint as `actor` may see it, and the read record to append when the identity is shown. */
export function complaintViewFor(
  complaint: Complaint,
  actor: SupervisionActor,
  purpose: ReadPurpose,
  now: Date,
): { view: ComplaintView; record: ReporterReadRecord | null } {
  const { reporter, record } = readReporter(complaint, actor, purpose, now);
  const { accessCodeHash: _hash, reporterReads, ...rest } = complaint;
  const view: ComplaintView = maySeeReporter(actor, complaint) ? { ...rest, reporter, reporterReads } : { ...rest, reporter };
  return { view, record };
}

// ---------- masking ----------

export function maskReporter(reporter: Reporter): ReporterView {
  return {
    name: maskName(reporter.name),
    contact: maskContact(reporter.contact),
    ...(reporter.org === undefined ? {} : { org: maskOrg(reporter.org) }),
    masked: true,
  };
}

/** 张三丰 → 张**: always two stars, so the mask does not give away the length of the name. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  return chars.length === 1 ? '*' : `${chars[0]}**`;
}

/** 某某科技有限公司 → 某****. */
export function maskOrg(org: string): string {
  const chars = Array.from(org.trim());
  return chars.length === 0 ? '' : `${chars[0]}****`;
}

/** A mobile keeps its first 3 and last 4 digits (138****5678); a shorter number only its last 4. */
export function maskPhone(phone: string): string {
  let digits = phone.replace(/\D/g, '');
  if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length >= 7) return `****${digits.slice(-4)}`;
  return '****';
}

/** alice@x.com → a***@x.com. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const local = Array.from(email.slice(0, at).trim());
  return `${local[0] ?? ''}***@${email.slice(at + 1).trim()}`;
}

/** A contact is an email, a phone number, or anything else (masked to its first character). */
export function maskContact(contact: string): string {
  const text = contact.trim();
  if (/^[^@\s]+@[^@\s]+$/.test(text)) return maskEmail(text);
  if (/^\+?[\d\s\-()]{5,}$/.test(text)) return maskPhone(text);
  const chars = Array.from(text);
  return chars.length === 0 ? '' : `${chars[0]}***`;
}
