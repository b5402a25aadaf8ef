/**
 * Complaints (举报, 条例22; 办法37–38). Public: the intake and the reporter's status check and supplement, which
 * authenticate with the case's refNo and access code (rate-limited). Staff: the list, the case, its attachments
 * and its transitions. Each endpoint is its schema and one call of a use case in server/services/complaints.ts.
 */
import type { RequestHandler } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { COMPLAINT_STATES, RATING_GRADES } from '../domain/complaint';
import { attachmentDisposition } from '../db/files';
import { ApiRouter } from '../http/endpoint';
import { limitRequests } from '../middleware/rateLimit';
import { paging } from '../http/schemas';
import { complaintAttachment, fileComplaint, listComplaints, rateHandling, readComplaint, reporterStatus, submitSupplement, transitionComplaint } from '../services/complaints';
import { complaintLedger, complaintLedgerWorkbook } from '../services/complaintLedger';

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
const ratingBody = z.strictObject({
  ...reporterCredentials,
  grade: z.enum(RATING_GRADES, { error: 'grade 须为 good（好）、fair（中）或 poor（差）' }),
  comment: text(500),
});

const listQuery = z.strictObject({
  state: z.enum(COMPLAINT_STATES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  /** a user id, `me`, or `none` for unassigned cases */
  assignee: z.string().max(64).optional(),
  ...paging,
});

// Fields the workflow checks are optional here: a missing one is the domain's 422 naming it; a wrong type is 400.
// lapse, mark_reminded, mark_overdue and recount_deadline are the system's and are not accepted over HTTP.
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

/** `limit` requests per window and client address, counted in Redis (per process while Redis is away). */
function limiter(deps: AppDeps, name: string, options: { windowMs: number; limit: number; failedOnly: boolean; message: string }): RequestHandler {
  return limitRequests(deps, { name, ...options, key: (req) => ipKeyGenerator(req.ip ?? ''), code: 'too_many_requests' });
}

export function complaintRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();

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
  }, ({ body, file }) => fileComplaint(deps, body, file));

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
  }, ({ query }) => reporterStatus(deps, query.refNo, query.accessCode));

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
  }, ({ body, file }) => submitSupplement(deps, body, body.note, file));

  api.router.post('/complaints/rating', reporterLimit);
  api.endpoint({
    method: 'post',
    path: '/complaints/rating',
    summary: '举报人评价办理情况（好差评，一事一评：答复后每件举报评价一次；举报编号 + 查询码）',
    tag: 'complaints',
    auth: 'public',
    body: ratingBody,
    responses: { 400: '评价不合法', 404: '举报编号或查询码不正确', 409: '尚未答复或已评价过' },
  }, ({ body }) => rateHandling(deps, body, body.grade, body.comment));

  // ---------- staff ----------

  api.endpoint({
    method: 'get',
    path: '/complaints',
    summary: '举报案件列表（按状态、是否逾期、承办人筛选；举报人信息一律脱敏）',
    tag: 'complaints',
    auth: 'user',
    query: listQuery,
    responses: { 403: '无权查看举报案件' },
  }, ({ actor, query }) => listComplaints(deps, actor, query));

  // before /complaints/:id, which would take "ledger" for an id
  api.endpoint({
    method: 'get',
    path: '/complaints/ledger',
    summary: '问题台账：全部未办结的举报，含责任单位、责任人、办理期限、剩余天数、是否逾期（逾期在前）',
    tag: 'complaints',
    auth: 'user',
    responses: { 403: '无权查看举报案件' },
  }, ({ actor }) => complaintLedger(deps, actor));

  api.endpoint({
    method: 'get',
    path: '/complaints/ledger.xlsx',
    summary: '下载问题台账 XLSX（全部未办结的举报及其办理期限）',
    tag: 'complaints',
    auth: 'user',
    responses: { 403: '无权查看举报案件' },
  }, async ({ actor, res }) => {
    const { filename, data } = await complaintLedgerWorkbook(deps, actor);
    res.status(200).set({ 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Content-Disposition': attachmentDisposition(filename), 'X-Content-Type-Options': 'nosniff' });
    res.send(data);
  });

  api.endpoint({
    method: 'get',
    path: '/complaints/:id',
    summary: '举报案件详情（举报人信息仅对承办人和管理员显示，每次查看均留痕）',
    tag: 'complaints',
    auth: 'user',
    params: complaintParams,
    responses: { 403: '无权查看举报案件', 404: '举报案件不存在' },
  }, ({ actor, params }) => readComplaint(deps, actor, params.id));

  api.endpoint({
    method: 'get',
    path: '/complaints/:id/attachments/:fileId',
    summary: '下载举报附件（举报处理人员、审查员、管理员）',
    tag: 'complaints',
    auth: 'user',
    params: attachmentParams,
    responses: { 403: '无权查看举报案件', 404: '附件不存在' },
  }, async ({ actor, params, res }) => {
    const { attachment, data, contentType } = await complaintAttachment(deps, actor, params.id, params.fileId);
    res.status(200).set({ 'Content-Type': contentType, 'Content-Disposition': attachmentDisposition(attachment.filename), 'X-Content-Type-Options': 'nosniff' });
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
  }, ({ actor, params, body }) => transitionComplaint(deps, actor, params.id, body));

  return api;
}
