/**
 * Use cases of complaints (举报, 条例22; 办法37–38). The reporter files one (no login) and, with the case's refNo
 * and access code, follows it and sends a requested supplement. Staff (complaint handlers, regulators, admins)
 * list the cases, read one and move it through the workflow: load, decide with `complaintWorkflow.ts`, apply as
 * ONE guarded update, then carry out the decision's effects (deadline jobs, the policy's recheck).
 *
 * The reporter's identity is masked everywhere except in the case detail for the assigned handler and admins,
 * and every such read is recorded on the case before the data leaves (confidentiality.ts).
 */
import crypto from 'node:crypto';
import bcrypt from 'bcryptjs';
import mongoose from 'mongoose';
import { checkDocumentFormat } from '../../workers/analysis/extract/index';
import { ComplaintRepository, type ComplaintListQuery } from '../db/complaintRepository';
import { deleteFiles, readFile, saveFile } from '../db/files';
import { PolicyRepository } from '../db/policyRepository';
import { isObjectIdHex } from '../db/storedValues';
import type { AttachmentMeta, Complaint, RatingGrade } from '../domain/complaint';
import { createComplaint, decideComplaintTransition, generateAccessCode, generateRefNo, type ComplaintCommand, type ComplaintDecision } from '../domain/complaintWorkflow';
import { complaintViewFor } from '../domain/confidentiality';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors';
import { isComplaintStaff } from '../domain/permissions/complaint';
import type { Actor } from '../domain/roles';
import { reporterActor, type SupervisionActor } from '../domain/supervisionActor';
import { shanghaiDateOf } from '../domain/workingDays';
import { workingDayCalendar } from './calendar';
import { scheduleDeadlineJobs } from './deadlineJobs';
import type { ServiceDeps } from './deps';
import { DOCUMENT_CONTENT_TYPES, sniffedContentType } from './documentTypes';
import { displayNames, withActorNames } from './people';
import { assertRecheckPossible, openPolicyRecheck, type RecheckOutcome } from './rechecks';
import { complaintDetailView, complaintSummaryView, reporterStatusView } from './views/complaintViews';

/** bcrypt cost for access codes: a stolen database must not yield the codes (31^10 is too few for a fast hash). */
const ACCESS_CODE_COST = 10;
/** A hash of a code nobody has, so an unknown refNo costs as much time as a wrong code. */
const DUMMY_HASH = bcrypt.hashSync('NOT-A-REAL-CODE', ACCESS_CODE_COST);

export interface AttachmentFile {
  originalname: string;
  mimetype: string;
  buffer: Buffer;
}

export interface IntakeInput {
  reporterName?: string;
  reporterContact?: string;
  reporterOrg?: string;
  policyId?: string;
  measureText?: string;
  issuingBody?: string;
  description?: string;
}

export type EffectOutcome =
  | { kind: 'schedule_deadline_jobs'; status: 'scheduled' | 'failed'; jobIds?: string[] }
  | ({ kind: 'open_policy_recheck' } & (RecheckOutcome | { policyId: string; status: 'failed' }));

function requireStaff(actor: Actor): void {
  if (!isComplaintStaff(actor)) throw new ForbiddenError('forbidden', '只有举报处理人员、市场监管部门审查员或管理员可以查看举报案件');
}

async function loadCase(deps: ServiceDeps, id: string): Promise<Complaint> {
  const complaint = await new ComplaintRepository(deps.models).findById(id);
  if (!complaint) throw new NotFoundError('complaint_not_found', '举报案件不存在');
  return complaint;
}

/** The case of a refNo whose access code matches; the same 404 for an unknown refNo and a wrong code. */
async function authenticateReporter(deps: ServiceDeps, refNo: string, accessCode: string): Promise<Complaint> {
  const complaint = await new ComplaintRepository(deps.models).findByRefNo(refNo.trim().toUpperCase());
  const ok = await bcrypt.compare(accessCode.trim().toUpperCase(), complaint?.accessCodeHash ?? DUMMY_HASH);
  if (!complaint || !ok) throw new NotFoundError('complaint_not_found', '举报编号或查询码不正确');
  return complaint;
}

/** `batch` names the files of one request, so a refused request can remove exactly its own. */
async function storeAttachment(deps: ServiceDeps, complaintId: string, batch: string, file: AttachmentFile): Promise<AttachmentMeta> {
  const stored = await saveFile(deps.store, 'complaintAttachments', file.originalname, file.buffer, { complaintId, batch, contentType: file.mimetype });
  return { fileId: stored.fileId, filename: stored.filename, mimeType: file.mimetype, size: stored.size, sha256: stored.sha256 };
}

/**
 * Attachments get the same checks as policy uploads (what the bytes are, against what the name claims; 415); what
 * the bytes are, not what the anonymous sender claimed, is the type stored and served.
 */
function checkAttachment(file: AttachmentFile): AttachmentFile {
  const format = checkDocumentFormat(file.buffer, { filename: file.originalname, mimeType: file.mimetype });
  return { ...file, mimetype: DOCUMENT_CONTENT_TYPES[format] };
}

/** Effects after the case was updated; each is idempotent on its target, a failure is logged and reported. */
async function carryOut(deps: ServiceDeps, decision: ComplaintDecision, actor: SupervisionActor, now: Date): Promise<EffectOutcome[]> {
  const outcomes: EffectOutcome[] = [];
  for (const effect of decision.effects) {
    if (effect.kind === 'schedule_deadline_jobs') {
      try {
        outcomes.push({ kind: effect.kind, status: 'scheduled', jobIds: await scheduleDeadlineJobs(deps.queues.reminders, effect, now) });
      } catch (err) {
        // The deadline is stored; the worker re-schedules every running deadline when it starts.
        deps.logger.error({ err, complaintId: effect.complaintId }, 'could not schedule deadline jobs');
        outcomes.push({ kind: effect.kind, status: 'failed' });
      }
    } else {
      try {
        outcomes.push({ kind: effect.kind, ...(await openPolicyRecheck(deps.models, actor as Actor, effect, now)) });
        await new ComplaintRepository(deps.models).clearPendingRecheck(effect.refId, effect.refId);
      } catch (err) {
        // The complaint keeps its pendingRecheck; the worker opens the recheck when it next starts.
        deps.logger.error({ err, policyId: effect.policyId }, 'could not open the policy recheck');
        outcomes.push({ kind: effect.kind, policyId: effect.policyId, status: 'failed' });
      }
    }
  }
  return outcomes;
}

/** Decide, check what the effects need before anything is written, apply as one guarded update, carry out. */
async function run(deps: ServiceDeps, complaint: Complaint, actor: SupervisionActor, command: ComplaintCommand, now: Date) {
  const decision = decideComplaintTransition(complaint, actor, command, now, await workingDayCalendar(deps));
  for (const effect of decision.effects) {
    // A confirmation must be able to open the policy's recheck (it exists, is published, this actor may).
    if (effect.kind === 'open_policy_recheck') await assertRecheckPossible(deps.models, actor as Actor, effect, now);
  }
  const updated = await new ComplaintRepository(deps.models).apply(complaint, decision);
  if (!updated) throw new ConflictError('stale_rev', '举报已被他人修改，请刷新后重试');
  return { updated, effects: await carryOut(deps, decision, actor, now) };
}

/** Files a complaint: checks the named policy and the attachment, stores both, answers the refNo and access code. */
export async function fileComplaint(deps: ServiceDeps, input: IntakeInput, file: AttachmentFile | undefined) {
  const now = deps.clock();
  const repo = new ComplaintRepository(deps.models);
  const id = new mongoose.Types.ObjectId().toHexString();
  // Only published measures can be reported by id; an unpublished one answers exactly like an unknown id, so
  // nobody learns from the intake what is being drafted.
  if (input.policyId && !(await new PolicyRepository(deps.models).isPublished(input.policyId))) {
    throw new ValidationError('invalid_request', 'policyId：所举报的政策措施不存在或尚未公布（可改用 measureText 描述该措施）', { issues: [{ path: 'body.policyId', message: '不存在或尚未公布' }] });
  }
  const attachment = file && checkAttachment(file);
  const refNo = generateRefNo(now, await repo.nextSequence(`complaint:${shanghaiDateOf(now)}`));
  const accessCode = generateAccessCode((size) => crypto.randomBytes(size));
  const attachments: AttachmentMeta[] = [];
  const batch = crypto.randomUUID();
  try {
    if (attachment) attachments.push(await storeAttachment(deps, id, batch, attachment));
    const { complaint, event } = createComplaint(
      {
        id,
        refNo,
        accessCodeHash: await bcrypt.hash(accessCode, ACCESS_CODE_COST),
        reporter: { name: input.reporterName ?? '', contact: input.reporterContact ?? '', ...(input.reporterOrg?.trim() ? { org: input.reporterOrg.trim() } : {}) },
        target: {
          ...(input.policyId ? { policyId: input.policyId } : {}),
          ...(input.measureText?.trim() ? { measureText: input.measureText.trim() } : {}),
          ...(input.issuingBody?.trim() ? { issuingBody: input.issuingBody.trim() } : {}),
        },
        description: input.description ?? '',
        attachments,
      },
      now,
    );
    await repo.insert(complaint, event);
  } catch (err) {
    if (attachments.length > 0) await deleteFiles(deps.store, 'complaintAttachments', { complaintId: id, batch }).catch(() => undefined);
    throw err;
  }
  return { refNo, accessCode, receivedAt: now.toISOString() };
}

export async function reporterStatus(deps: ServiceDeps, refNo: string, accessCode: string) {
  return reporterStatusView(await authenticateReporter(deps, refNo, accessCode));
}

/** The reporter's supplement: a note and/or one attachment, decided once without the file so a refusal stores nothing. */
export async function submitSupplement(deps: ServiceDeps, credentials: { refNo: string; accessCode: string }, note: string | undefined, file: AttachmentFile | undefined) {
  const complaint = await authenticateReporter(deps, credentials.refNo, credentials.accessCode);
  const now = deps.clock();
  const attachment = file && checkAttachment(file);
  const reporter = reporterActor(complaint.refNo);
  const command: ComplaintCommand = { action: 'submit_supplement', rev: complaint.rev, note, attachments: [] };
  decideComplaintTransition(complaint, reporter, command, now, await workingDayCalendar(deps));
  const batch = crypto.randomUUID();
  const attachments = attachment ? [await storeAttachment(deps, complaint.id, batch, attachment)] : [];
  try {
    const { updated } = await run(deps, complaint, reporter, { ...command, attachments }, now);
    return reporterStatusView(updated);
  } catch (err) {
    if (attachments.length > 0) await deleteFiles(deps.store, 'complaintAttachments', { complaintId: complaint.id, batch }).catch(() => undefined);
    throw err;
  }
}

/** 群众评价 (好差评, 一事一评): the reporter rates the handling once, after the reply; an event of the case's chain. */
export async function rateHandling(deps: ServiceDeps, credentials: { refNo: string; accessCode: string }, grade: RatingGrade, remark: string | undefined) {
  const complaint = await authenticateReporter(deps, credentials.refNo, credentials.accessCode);
  const command: ComplaintCommand = { action: 'rate', rev: complaint.rev, grade, remark };
  const { updated } = await run(deps, complaint, reporterActor(complaint.refNo), command, deps.clock());
  return reporterStatusView(updated);
}

/** A page of cases (reporters masked, whoever reads). */
export async function listComplaints(deps: ServiceDeps, actor: Actor, query: ComplaintListQuery & { page: number; pageSize: number }) {
  requireStaff(actor);
  const now = deps.clock();
  const { items, total } = await new ComplaintRepository(deps.models).list(query, actor, now, query.page, query.pageSize);
  return { items: items.map((complaint) => complaintSummaryView(complaint, actor, now)), total, page: query.page, pageSize: query.pageSize };
}

/** The case; a read of the unmasked reporter is recorded on it before the data leaves. */
export async function readComplaint(deps: ServiceDeps, actor: Actor, id: string) {
  requireStaff(actor);
  const now = deps.clock();
  const complaint = await loadCase(deps, id);
  const { view, record } = complaintViewFor(complaint, actor, 'detail', now);
  if (record) {
    await new ComplaintRepository(deps.models).recordReporterRead(complaint.id, record);
    view.reporterReads = [...(view.reporterReads ?? []), record];
  }
  return withPeople(deps, complaintDetailView(view, complaint, actor, now));
}

/**
 * The case with `people` (id → display name of the assignee and of everyone in its history) and each event's
 * actor named, so staff read names, not usernames or ids.
 */
async function withPeople<V extends { assigneeId: string | null; events: Complaint['events'] }>(deps: ServiceDeps, view: V) {
  const people = await displayNames(deps.models, [view.assigneeId, ...view.events.map((e) => e.actor.id)]);
  return { ...view, events: withActorNames(view.events, people), people };
}

export async function complaintAttachment(deps: ServiceDeps, actor: Actor, id: string, fileId: string) {
  requireStaff(actor);
  const attachment = (await loadCase(deps, id)).attachments.find((a) => a.fileId === fileId);
  if (!attachment) throw new NotFoundError('attachment_not_found', '附件不存在');
  const data = await readFile(deps.store, 'complaintAttachments', attachment.fileId);
  return { attachment, data, contentType: sniffedContentType(data) };
}

/**
 * A staff command as the API accepts it: the domain names any missing field (422); an `assign` names the account
 * by id. (lapse, mark_reminded, mark_overdue and recount_deadline are the system's own.)
 */
export type TransitionInput = { action: Exclude<ComplaintCommand['action'], 'lapse' | 'mark_reminded' | 'mark_overdue' | 'recount_deadline'>; rev: number; assigneeId?: string };

/** A staff move on the case; an `assign` names an active account. */
export async function transitionComplaint(deps: ServiceDeps, actor: Actor, id: string, input: TransitionInput) {
  requireStaff(actor);
  const now = deps.clock();
  const complaint = await loadCase(deps, id);
  const { updated, effects } = await run(deps, complaint, actor, await toCommand(deps, input), now);
  const { view } = complaintViewFor(updated, actor, 'list', now);
  return { complaint: await withPeople(deps, complaintDetailView(view, updated, actor, now)), effects };
}

async function toCommand(deps: ServiceDeps, input: TransitionInput): Promise<ComplaintCommand> {
  if (input.action !== 'assign') return input as ComplaintCommand;
  const { assigneeId = '', ...rest } = input;
  const user = isObjectIdHex(assigneeId) ? await deps.models.User.findOne({ _id: assigneeId, active: true }).lean() : null;
  if (!user) throw new ValidationError('invalid_command', `assigneeId：${assigneeId} 不是有效账号`, { problems: [{ path: 'assigneeId', message: '不是有效账号' }] });
  return { ...rest, action: 'assign', assignee: { id: String(user._id), role: user.role } };
}

