/**
 * Complaints (举报, 条例22; 办法37–38). Public: the intake and the reporter's status check and supplement, which
 * authenticate with the case's refNo and access code. Staff (complaint handlers, regulators, admins): the list,
 * the case and its transitions. Thin over the domain: load, decide with `complaintWorkflow.ts`, apply as ONE
 * guarded update, then carry out the decision's effects (deadline jobs, the policy's recheck).
 *
 * The reporter's identity is masked everywhere except in the case detail for the assigned handler and admins,
 * and every such read is recorded on the case before the data leaves (confidentiality.ts).
 */
import crypto from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { RequestHandler } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import mongoose from 'mongoose';
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { clockOf } from '../clock';
import { ComplaintRepository, isObjectIdHex } from '../db/complaintRepository';
import { attachmentDisposition, deleteFiles, readFile, saveFile } from '../db/files';
import { assertRecheckPossible, openPolicyRecheck, type RecheckOutcome } from '../services/rechecks';
import { COMPLAINT_STATES, type AttachmentMeta, type Complaint } from '../domain/complaint';
import { COMPLAINT_STATE_LABELS } from '../../checklists/vocabulary';
import {
  activeDeadlineKind,
  availableComplaintActions,
  createComplaint,
  decideComplaintTransition,
  generateAccessCode,
  generateRefNo,
  type ComplaintCommand,
  type ComplaintDecision,
} from '../domain/complaintWorkflow';
import { complaintViewFor } from '../domain/confidentiality';
import { complaintAllowedActions } from '../domain/permissions/allowedActions';
import { isComplaintStaff } from '../domain/permissions/complaint';
import { reporterActor, type SupervisionActor } from '../domain/supervisionActor';
import type { Actor } from '../domain/roles';
import { CN_CALENDAR, shanghaiDateOf } from '../domain/workingDays';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors';
import { DOCUMENT_CONTENT_TYPES, sniffedContentType } from '../http/documentTypes';
import { ApiRouter } from '../http/endpoint';
import { limitRequests } from '../middleware/rateLimit';
import { paging } from '../http/schemas';
import { claimedFormat, detectFormat } from '../../workers/analysis/extract/index';
import { emptyFile, typeMismatch } from '../../workers/analysis/extract/errors';
import { scheduleDeadlineJobs } from '../services/deadlineJobs';

/** bcrypt cost for access codes: a stolen database must not yield the codes (31^10 is too few for a fast hash). */
const ACCESS_CODE_COST = 10;
/** A hash of a code nobody has, so an unknown refNo costs as much time as a wrong code. */
const DUMMY_HASH = bcrypt.hashSync('NOT-A-REAL-CODE', ACCESS_CODE_COST);

const text = (max = 2000) => z.string().max(max).optional();
const complaintParams = z.strictObject({ id: z.string().min(1).max(64) });
const attachmentParams = z.strictObject({ id: z.string().min(1).max(64), fileId: z.string().min(1).max(64) });

// Flat so that the same fields arrive as JSON or as multipart form fields next to an attachment.
// Required fields are checked by the domain (createComplaint), which names every one missing.
const intakeBody = z.strictObject({
  reporterName: text(100),
  reporterContact: text(200),
  reporterOrg: text(200),
  policyId: text(64),
  measureText: text(5000),
  issuingBody: text(200),
  description: text(20_000),
});

const reporterCredentials = { refNo: z.string().min(1).max(40), accessCode: z.string().min(1).max(40) };
const statusQuery = z.strictObject(reporterCredentials);
const supplementBody = z.strictObject({ ...reporterCredentials, note: text(20_000) });

const listQuery = z.strictObject({
  state: z.enum(COMPLAINT_STATES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  /** a user id, `me`, or `none` for unassigned cases */
  assignee: z.string().max(64).optional(),
  ...paging,
});

// Fields the workflow checks are optional here: a missing one is the domain's 422 naming it; a wrong type is 400.
// lapse, mark_reminded and mark_overdue are the deadline jobs' and are not accepted over HTTP.
const commandBase = { rev: z.number().int().min(0), comment: text() };
const transitionBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('assign'), ...commandBase, assigneeId: z.string().max(64) }),
  z.strictObject({ action: z.literal('request_supplement'), ...commandBase, items: z.array(z.string().max(500)).max(50).optional() }),
  z.strictObject({ action: z.literal('submit_supplement'), ...commandBase, note: text(20_000) }),
  z.strictObject({ action: z.literal('accept'), ...commandBase }),
  z.strictObject({ action: z.literal('reject'), ...commandBase, reason: text() }),
  z.strictObject({ action: z.literal('transfer'), ...commandBase, toAuthority: text(200), reason: text() }),
  z.strictObject({ action: z.literal('start_verification'), ...commandBase }),
  z.strictObject({ action: z.literal('extend'), ...commandBase, newDueDate: text(20), reason: text() }),
  z.strictObject({ action: z.literal('conclude_violation'), ...commandBase, summary: text(20_000), policyId: text(64) }),
  z.strictObject({ action: z.literal('conclude_no_violation'), ...commandBase, summary: text(20_000) }),
  z.strictObject({ action: z.literal('reply'), ...commandBase, text: text(20_000) }),
  z.strictObject({ action: z.literal('close'), ...commandBase }),
]);
type TransitionBody = z.infer<typeof transitionBody>;

/** Past its running deadline now (the statistics' rule): right even before the deadline job has run. */
export function isOverdue(complaint: Pick<Complaint, 'state' | 'deadlines'>, now: Date): boolean {
  const kind = activeDeadlineKind(complaint.state);
  const deadline = kind ? complaint.deadlines[kind] : undefined;
  return deadline !== undefined && Date.parse(deadline.dueAt) < now.getTime();
}

function deadlineSummary(complaint: Complaint) {
  const kind = activeDeadlineKind(complaint.state);
  const deadline = kind ? complaint.deadlines[kind] : undefined;
  return deadline && kind ? { kind, dueDate: deadline.dueDate, dueAt: deadline.dueAt, provisional: deadline.provisional, extended: Boolean(deadline.extension) } : null;
}

/** A list row: never the reporter's identity, whoever reads. */
function summaryView(complaint: Complaint, actor: SupervisionActor, now: Date) {
  const { view } = complaintViewFor(complaint, actor, 'list', now);
  return {
    id: view.id,
    refNo: view.refNo,
    state: view.state,
    stateLabel: COMPLAINT_STATE_LABELS[view.state],
    rev: view.rev,
    receivedAt: view.receivedAt,
    assigneeId: view.assigneeId,
    target: view.target,
    reporter: view.reporter,
    deadline: deadlineSummary(complaint),
    overdue: isOverdue(complaint, now),
  };
}

function detailView(view: ReturnType<typeof complaintViewFor>['view'], complaint: Complaint, actor: Actor, now: Date) {
  return {
    ...view,
    stateLabel: COMPLAINT_STATE_LABELS[complaint.state],
    deadline: deadlineSummary(complaint),
    overdue: isOverdue(complaint, now),
    availableActions: availableComplaintActions(complaint, actor),
    allowedActions: complaintAllowedActions(complaint, actor),
  };
}

/** What the reporter may learn: state, dates and outcome, nothing about who handles the case. */
function reporterStatusView(complaint: Complaint) {
  const concluded = ['violation_confirmed', 'no_violation', 'replied', 'closed'].includes(complaint.state);
  return {
    refNo: complaint.refNo,
    state: complaint.state,
    stateLabel: COMPLAINT_STATE_LABELS[complaint.state],
    receivedAt: complaint.receivedAt,
    updatedAt: complaint.events.at(-1)?.at ?? complaint.receivedAt,
    supplement:
      complaint.state === 'supplement_requested' && complaint.supplementRequest
        ? { items: complaint.supplementRequest.items, dueDate: complaint.deadlines.supplement?.dueDate ?? null }
        : null,
    notAccepted: complaint.notAccepted,
    transferredTo: complaint.transfer?.toAuthority ?? null,
    outcome: concluded ? complaint.finding?.outcome ?? null : null,
    reply: complaint.reply,
  };
}

function requireStaff(actor: Actor): void {
  if (!isComplaintStaff(actor)) throw new ForbiddenError('forbidden', '只有举报处理人员、市场监管部门审查员或管理员可以查看举报案件');
}

/** Attachments: the same checks as policy uploads (what the bytes are, against what the name claims; 415). */
function checkAttachment(file: Express.Multer.File): void {
  const claimed = claimedFormat({ filename: file.originalname, mimeType: file.mimetype });
  if (file.buffer.length === 0) throw emptyFile();
  const { format } = detectFormat(file.buffer);
  if (claimed && claimed !== format) throw typeMismatch(format, claimed);
  // what the bytes are, not what the anonymous sender claimed, is what is stored and served
  file.mimetype = DOCUMENT_CONTENT_TYPES[format];
}

/** `limit` requests per window and client address, counted in Redis (per process while Redis is away). */
function limiter(deps: AppDeps, name: string, options: { windowMs: number; limit: number; failedOnly: boolean; message: string }): RequestHandler {
  return limitRequests(deps, { name, ...options, key: (req) => ipKeyGenerator(req.ip ?? ''), code: 'too_many_requests' });
}

export type EffectOutcome =
  | { kind: 'schedule_deadline_jobs'; status: 'scheduled' | 'failed'; jobIds?: string[] }
  | ({ kind: 'open_policy_recheck' } & (RecheckOutcome | { policyId: string; status: 'failed' }));

export function complaintRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();
  const repo = new ComplaintRepository(deps.models);
  const clock = clockOf(deps);

  async function loadCase(id: string): Promise<Complaint> {
    const complaint = await repo.findById(id);
    if (!complaint) throw new NotFoundError('complaint_not_found', '举报案件不存在');
    return complaint;
  }

  /** The case of a refNo whose access code matches; the same 404 for an unknown refNo and a wrong code. */
  async function authenticateReporter(refNo: string, accessCode: string): Promise<Complaint> {
    const complaint = await repo.findByRefNo(refNo.trim().toUpperCase());
    const ok = await bcrypt.compare(accessCode.trim().toUpperCase(), complaint?.accessCodeHash ?? DUMMY_HASH);
    if (!complaint || !ok) throw new NotFoundError('complaint_not_found', '举报编号或查询码不正确');
    return complaint;
  }

  /** Effects after the case was updated; each is idempotent on its target, a failure is logged and reported. */
  async function carryOut(decision: ComplaintDecision, actor: SupervisionActor, now: Date): Promise<EffectOutcome[]> {
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
          await repo.clearPendingRecheck(effect.refId, effect.refId);
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
  async function run(complaint: Complaint, actor: SupervisionActor, command: ComplaintCommand, now: Date) {
    const decision = decideComplaintTransition(complaint, actor, command, now, CN_CALENDAR);
    for (const effect of decision.effects) {
      // A confirmation must be able to open the policy's recheck (it exists, is published, this actor may).
      if (effect.kind === 'open_policy_recheck') await assertRecheckPossible(deps.models, actor as Actor, effect, now);
    }
    const updated = await repo.apply(complaint, decision);
    if (!updated) throw new ConflictError('stale_rev', '举报已被他人修改，请刷新后重试');
    return { updated, effects: await carryOut(decision, actor, now) };
  }

  async function toCommand(body: TransitionBody): Promise<ComplaintCommand> {
    if (body.action !== 'assign') return body as ComplaintCommand;
    const { assigneeId, ...rest } = body;
    const user = isObjectIdHex(assigneeId) ? await deps.models.User.findOne({ _id: assigneeId, active: true }).lean() : null;
    if (!user) throw new ValidationError('invalid_command', `assigneeId：${assigneeId} 不是有效账号`, { problems: [{ path: 'assigneeId', message: '不是有效账号' }] });
    return { ...rest, assignee: { id: String(user._id), role: user.role } };
  }

  // ---------- public: the reporter ----------

  api.router.post('/complaints', limiter(deps, 'complaint-intake', { windowMs: 60 * 60_000, limit: 20, failedOnly: false, message: '提交举报过于频繁，请稍后再试' }));
  api.endpoint({
    method: 'post',
    path: '/complaints',
    summary: '提交举报（无需登录；可附一个 DOCX、PDF 或 TXT 附件，multipart 字段 attachment），返回举报编号和查询码',
    tag: 'complaints',
    auth: 'public',
    body: intakeBody,
    upload: { field: 'attachment', maxBytes: deps.config.MAX_UPLOAD_BYTES },
    status: 201,
    responses: { 400: '请求参数不合法', 413: '附件过大', 415: '附件类型不支持', 429: '提交过于频繁' },
  }, async ({ body, file }) => {
    const now = clock();
    const id = new mongoose.Types.ObjectId().toHexString();
    // Only published measures can be reported by id; an unpublished one answers exactly like an unknown id, so
    // nobody learns from the intake what is being drafted.
    if (body.policyId && !(isObjectIdHex(body.policyId) && (await deps.models.Policy.exists({ _id: body.policyId, publication: mongoose.trusted({ $ne: null }) })))) {
      throw new ValidationError('invalid_request', 'policyId：所举报的政策措施不存在或尚未公布（可改用 measureText 描述该措施）', { issues: [{ path: 'body.policyId', message: '不存在或尚未公布' }] });
    }
    if (file) checkAttachment(file);
    const refNo = generateRefNo(now, await repo.nextSequence(`complaint:${shanghaiDateOf(now)}`));
    const accessCode = generateAccessCode((size) => crypto.randomBytes(size));
    const attachments: AttachmentMeta[] = [];
    const batch = crypto.randomUUID();
    try {
      if (file) attachments.push(await storeAttachment(deps, id, batch, file));
      const { complaint, event } = createComplaint(
        {
          id,
          refNo,
          accessCodeHash: await bcrypt.hash(accessCode, ACCESS_CODE_COST),
          reporter: { name: body.reporterName ?? '', contact: body.reporterContact ?? '', ...(body.reporterOrg?.trim() ? { org: body.reporterOrg.trim() } : {}) },
          target: {
            ...(body.policyId ? { policyId: body.policyId } : {}),
            ...(body.measureText?.trim() ? { measureText: body.measureText.trim() } : {}),
            ...(body.issuingBody?.trim() ? { issuingBody: body.issuingBody.trim() } : {}),
          },
          description: body.description ?? '',
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
  });

  const reporterLimit = limiter(deps, 'complaint-reporter', { windowMs: 15 * 60_000, limit: 20, failedOnly: true, message: '查询失败次数过多，请15分钟后再试' });
  api.router.get('/complaints/status', reporterLimit);
  api.endpoint({
    method: 'get',
    path: '/complaints/status',
    summary: '举报人查询办理状态（举报编号 + 查询码；不含办理人员信息）',
    tag: 'complaints',
    auth: 'public',
    query: statusQuery,
    responses: { 404: '举报编号或查询码不正确', 429: '失败次数过多' },
  }, async ({ query }) => reporterStatusView(await authenticateReporter(query.refNo, query.accessCode)));

  api.router.post('/complaints/supplement', reporterLimit);
  api.endpoint({
    method: 'post',
    path: '/complaints/supplement',
    summary: '举报人提交补正材料（举报编号 + 查询码；说明和/或一个附件，multipart 字段 attachment）',
    tag: 'complaints',
    auth: 'public',
    body: supplementBody,
    upload: { field: 'attachment', maxBytes: deps.config.MAX_UPLOAD_BYTES },
    responses: { 404: '举报编号或查询码不正确', 409: '当前不在补正阶段或补正期限已过', 415: '附件类型不支持', 422: '缺少补正内容' },
  }, async ({ body, file }) => {
    const complaint = await authenticateReporter(body.refNo, body.accessCode);
    const now = clock();
    if (file) checkAttachment(file);
    const command: ComplaintCommand = { action: 'submit_supplement', rev: complaint.rev, note: body.note, attachments: [] };
    // Decide once without the file, so a refused supplement stores nothing.
    decideComplaintTransition(complaint, reporterActor(complaint.refNo), command, now, CN_CALENDAR);
    const batch = crypto.randomUUID();
    const attachments = file ? [await storeAttachment(deps, complaint.id, batch, file)] : [];
    try {
      const { updated } = await run(complaint, reporterActor(complaint.refNo), { ...command, attachments }, now);
      return reporterStatusView(updated);
    } catch (err) {
      if (attachments.length > 0) await deleteFiles(deps.store, 'complaintAttachments', { complaintId: complaint.id, batch }).catch(() => undefined);
      throw err;
    }
  });

  // ---------- staff ----------

  api.endpoint({
    method: 'get',
    path: '/complaints',
    summary: '举报案件列表（按状态、是否逾期、承办人筛选；举报人信息一律脱敏）',
    tag: 'complaints',
    auth: 'user',
    query: listQuery,
    responses: { 403: '无权查看举报案件' },
  }, async ({ actor, query }) => {
    requireStaff(actor);
    const now = clock();
    const filter = listFilter(query, actor, now);
    const [docs, total] = await Promise.all([
      deps.models.Complaint.find(filter, { events: 0, reporterReads: 0 })
        .sort({ receivedAt: -1, _id: -1 })
        .skip((query.page - 1) * query.pageSize)
        .limit(query.pageSize)
        .lean(),
      deps.models.Complaint.countDocuments(filter),
    ]);
    const items = docs.map((doc) => {
      const { _id, createdAt: _c, updatedAt: _u, ...fields } = doc;
      return summaryView({ ...fields, id: String(_id), events: [], reporterReads: [] } as Complaint, actor, now);
    });
    return { items, total, page: query.page, pageSize: query.pageSize };
  });

  api.endpoint({
    method: 'get',
    path: '/complaints/:id',
    summary: '举报案件详情（举报人信息仅对承办人和管理员显示，每次查看均留痕）',
    tag: 'complaints',
    auth: 'user',
    params: complaintParams,
    responses: { 403: '无权查看举报案件', 404: '举报案件不存在' },
  }, async ({ actor, params }) => {
    requireStaff(actor);
    const now = clock();
    const complaint = await loadCase(params.id);
    const { view, record } = complaintViewFor(complaint, actor, 'detail', now);
    if (record) {
      await repo.recordReporterRead(complaint.id, record);
      view.reporterReads = [...(view.reporterReads ?? []), record];
    }
    return detailView(view, complaint, actor, now);
  });

  api.endpoint({
    method: 'get',
    path: '/complaints/:id/attachments/:fileId',
    summary: '下载举报附件（举报处理人员、审查员、管理员）',
    tag: 'complaints',
    auth: 'user',
    params: attachmentParams,
    responses: { 403: '无权查看举报案件', 404: '附件不存在' },
  }, async ({ actor, params, res }) => {
    requireStaff(actor);
    const attachment = (await loadCase(params.id)).attachments.find((a) => a.fileId === params.fileId);
    if (!attachment) throw new NotFoundError('attachment_not_found', '附件不存在');
    const data = await readFile(deps.store, 'complaintAttachments', attachment.fileId);
    res.status(200).set({ 'Content-Type': sniffedContentType(data), 'Content-Disposition': attachmentDisposition(attachment.filename), 'X-Content-Type-Options': 'nosniff' });
    res.send(data);
  });

  api.endpoint({
    method: 'post',
    path: '/complaints/:id/transitions',
    summary: '办理举报：指派、要求补正、受理、不予受理、移送、开始核查、延期（审查员批准）、认定违规（开启政策措施复查）、认定不违规、答复、办结',
    tag: 'complaints',
    auth: 'user',
    params: complaintParams,
    body: transitionBody,
    responses: { 400: '请求参数不合法', 403: '无权执行', 404: '举报案件不存在', 409: '状态冲突或版本过期', 422: '缺少必要条件' },
  }, async ({ actor, params, body }) => {
    requireStaff(actor);
    const now = clock();
    const complaint = await loadCase(params.id);
    const { updated, effects } = await run(complaint, actor, await toCommand(body), now);
    const { view } = complaintViewFor(updated, actor, 'list', now);
    return { complaint: detailView(view, updated, actor, now), effects };
  });

  return api;
}

/** `batch` names the files of one request, so a refused request can remove exactly its own. */
async function storeAttachment(deps: AppDeps, complaintId: string, batch: string, file: Express.Multer.File): Promise<AttachmentMeta> {
  const stored = await saveFile(deps.store, 'complaintAttachments', file.originalname, file.buffer, { complaintId, batch, contentType: file.mimetype });
  return { fileId: stored.fileId, filename: stored.filename, mimeType: file.mimetype, size: stored.size, sha256: stored.sha256 };
}

/** The list's query as a store filter; operator objects are built here, never taken from the request. */
function listFilter(query: z.infer<typeof listQuery>, actor: Actor, now: Date): Record<string, unknown> {
  const and: Record<string, unknown>[] = [];
  if (query.state) and.push({ state: query.state });
  if (query.assignee === 'none') and.push({ assigneeId: null });
  else if (query.assignee === 'me') and.push({ assigneeId: actor.id });
  else if (query.assignee) and.push({ assigneeId: query.assignee });
  if (query.overdue) {
    const at = now.toISOString();
    const supplementOverdue = { state: 'supplement_requested', 'deadlines.supplement.dueAt': mongoose.trusted({ $lt: at }) };
    const verificationOverdue = { state: mongoose.trusted({ $in: ['accepted', 'verifying'] }), 'deadlines.verification.dueAt': mongoose.trusted({ $lt: at }) };
    and.push(
      query.overdue === 'true'
        ? { $or: [supplementOverdue, verificationOverdue] }
        : {
            $or: [
              { state: mongoose.trusted({ $nin: ['supplement_requested', 'accepted', 'verifying'] }) },
              { state: 'supplement_requested', 'deadlines.supplement.dueAt': mongoose.trusted({ $gte: at }) },
              { state: mongoose.trusted({ $in: ['accepted', 'verifying'] }), 'deadlines.verification.dueAt': mongoose.trusted({ $gte: at }) },
            ],
          },
    );
  }
  return and.length === 0 ? {} : and.length === 1 ? (and[0] as Record<string, unknown>) : { $and: and };
}
