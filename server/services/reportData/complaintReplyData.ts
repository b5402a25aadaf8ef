/**
 * The 举报答复函 (complaint_reply report) of a concluded complaint: what was reported, what was found and the
 * outcome. The letter is addressed to the reporter by name only when the reader may see the identity (the
 * assigned handler or an admin, confidentiality.ts); that read is then recorded on the case like any other.
 * Without such a reader the letter is addressed to "举报人".
 */
import { ComplaintRepository } from '../../db/complaintRepository';
import type { Models } from '../../db/models/index';
import { replyOutcome } from '../../domain/complaint';
import { readReporter } from '../../domain/confidentiality';
import type { SupervisionActor } from '../../domain/supervisionActor';
import { NotFoundError, PreconditionError } from '../../domain/errors';
import type { ComplaintReplyData } from '../../../templates/index';

/** 发文字号 from the case number: JB-20261122-0007 → 举报答复〔2026〕20261122-0007号. */
export function replyReferenceNumber(refNo: string): string {
  const digits = refNo.replace(/^JB-/, '');
  return `举报答复〔${digits.slice(0, 4)}〕${digits}号`;
}

export async function loadComplaintReplyData(
  models: Models,
  complaintId: string,
  now: Date,
  options: { reader?: SupervisionActor } = {},
): Promise<ComplaintReplyData> {
  const repo = new ComplaintRepository(models);
  const complaint = await repo.findById(complaintId);
  if (!complaint) throw new NotFoundError('complaint_not_found', '举报案件不存在');
  const outcome = replyOutcome(complaint);
  if (!outcome) {
    throw new PreconditionError('complaint_not_concluded', '举报尚未办理出结果，不能生成答复函', { missing: ['finding'], state: complaint.state });
  }

  let addressee: string | null = null;
  if (options.reader) {
    const { reporter, record } = readReporter(complaint, options.reader, 'reply_letter', now);
    if (record) {
      await repo.recordReporterRead(complaint.id, record);
      addressee = reporter.name;
    }
  }

  const policyId = complaint.finding?.policyId ?? complaint.target.policyId;
  const policy = policyId && /^[a-f0-9]{24}$/i.test(policyId) ? await models.Policy.findById(policyId, { title: 1 }).lean() : null;
  const regulator = await models.Department.findOne({ kind: 'regulator' }).sort({ _id: 1 }).lean();
  const assignee = complaint.assigneeId && /^[a-f0-9]{24}$/i.test(complaint.assigneeId) ? await models.User.findById(complaint.assigneeId).lean() : null;
  const assigneeDepartment = assignee ? await models.Department.findById(assignee.departmentId).lean() : null;

  const findings =
    outcome === 'not_accepted' ? complaint.notAccepted?.reason ?? null : outcome === 'transferred' ? complaint.transfer?.reason ?? null : complaint.finding?.summary ?? null;
  return {
    referenceNumber: replyReferenceNumber(complaint.refNo),
    complaintRefNo: complaint.refNo,
    addressee,
    receivedOn: complaint.receivedAt,
    reported: {
      policyName: policy?.title ?? complaint.target.measureText ?? null,
      summary: complaint.description,
    },
    findings,
    outcome: { kind: outcome, text: complaint.reply?.text ?? null, transferredTo: complaint.transfer?.toAuthority ?? null },
    contact: assignee ? { person: assignee.displayName, phone: assigneeDepartment?.contact || null } : null,
    issuingBody: regulator?.name ?? '市场监督管理局',
    issuedOn: complaint.reply?.at ?? now,
  };
}
