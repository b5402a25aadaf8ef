/**
 * Document versions of a policy: upload (stored in GridFS, analysed in the background), analysis status and
 * summary, re-analysis of a failed version, and the original file.
 *
 * An upload is refused before anything is stored: first by state and permission, then by what the bytes are
 * (magic bytes, not the name: 415), size being enforced while reading (413). Only then is the file saved, the
 * version recorded with one guarded update, and the analysis job queued under a job id unique per version.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { attachmentDisposition, deleteFiles, readFile, saveFile, sha256 } from '../db/files';
import { PolicyRepository } from '../db/policyRepository';
import { countFindings } from '../db/findingCounts';
import { ConflictError, NotFoundError, ServiceUnavailableError, ValidationError } from '../domain/errors';
import { resolvedSincePrevious } from '../domain/findingReview';
import { forbid } from '../domain/guards';
import { POLICY_PERMISSIONS } from '../domain/permissions/policy';
import type { AnalysisStatus, Policy, PolicyVersion } from '../domain/policy';
import { decideUploadVersion } from '../domain/policyWorkflow';
import { DOCUMENT_CONTENT_TYPES } from '../http/documentTypes';
import { ApiRouter } from '../http/endpoint';
import { pathId } from '../http/schemas';
import { claimedFormat, detectFormat, type DocumentFormat } from '../../workers/analysis/extract/index';
import { emptyFile, typeMismatch } from '../../workers/analysis/extract/errors';
import { analysisJobId, type Queues } from '../queues';
import type { Config } from '../config';
import { policyParams } from './policies';

export const versionParams = z.strictObject({ id: pathId, n: z.string().max(12) });


/** What the bytes are (DOCX, PDF or text), checked against what the name or MIME type claims; 415 otherwise. */
function documentFormat(buf: Buffer, filename: string, mimeType: string): DocumentFormat {
  const claimed = claimedFormat({ filename, mimeType });
  if (buf.length === 0) throw emptyFile();
  const { format } = detectFormat(buf);
  if (claimed && claimed !== format) throw typeMismatch(format, claimed);
  return format;
}

/** Job states in which a worker will still run the job. */
const LIVE_JOB_STATES: readonly string[] = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'];

/** The version `n` of a readable policy; a malformed or unknown number is a 404 like an unknown id. */
export function findVersion(policy: Policy, n: string): PolicyVersion {
  const version = /^[1-9][0-9]{0,8}$/.test(n) ? policy.versions.find((v) => v.n === Number(n)) : undefined;
  if (!version) throw new NotFoundError('version_not_found', `第 ${n} 版不存在`);
  return version;
}

export async function enqueueAnalysis(queues: Queues, config: Config, policyId: string, version: number): Promise<void> {
  const job = { policyId, version };
  await queues.analysis.add('analyse', job, {
    jobId: analysisJobId(job),
    attempts: config.ANALYSIS_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.ANALYSIS_BACKOFF_MS },
  });
}

export function policyVersionRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();
  const repo = new PolicyRepository(deps.models);

  /** Queues the analysis; if Redis is away the version is marked failed (re-analysable) rather than left queued. */
  async function queueOrFail(policyId: string, n: number): Promise<void> {
    try {
      await enqueueAnalysis(deps.queues, deps.config, policyId, n);
    } catch (err) {
      deps.logger.error({ err, policyId, version: n }, 'could not queue analysis');
      await repo.setAnalysis(policyId, n, { status: 'failed', progress: 0, errorCode: 'queue_unavailable', error: '分析任务排队失败（任务队列暂不可用），请稍后重新分析' }, ['queued']);
      throw new ServiceUnavailableError('queue_unavailable', '文件已保存，但分析任务排队失败，请稍后重新分析');
    }
  }

  /** Test-only (FAIRREVIEW_TEST_UPLOAD_HALT_AFTER with NODE_ENV=test): the upload never goes on, as if the API died here. */
  async function testHalt(step: 'file_saved' | 'version_saved'): Promise<void> {
    if (deps.config.NODE_ENV !== 'test' || deps.config.FAIRREVIEW_TEST_UPLOAD_HALT_AFTER !== step) return;
    deps.logger.warn({ step }, 'upload halted for a test');
    await new Promise(() => undefined);
  }

  api.endpoint({
    method: 'post',
    path: '/policies/:id/versions',
    summary: '上传新版本文档（multipart 字段 file；DOCX、PDF 或 TXT），排队分析',
    tag: 'versions',
    auth: 'user',
    params: policyParams,
    body: z.strictObject({}),
    upload: { field: 'file', maxBytes: deps.config.MAX_UPLOAD_BYTES },
    status: 202,
    responses: { 400: '缺少文件', 403: '只有起草单位可以上传', 404: '不存在或无权查看', 409: '当前状态不接受新版本', 413: '文件过大', 415: '文件类型不支持或与声明不符', 422: '文件无法读取' },
  }, async ({ actor, params, file }) => {
    if (!file) throw new ValidationError('file_required', '请在表单字段 file 中上传文件');
    const facts = { filename: file.originalname, mimeType: file.mimetype, size: file.size, sha256: sha256(file.buffer) };

    // Refuse by state and permission before looking at the content, and by content before storing anything.
    decideUploadVersion(await repo.findReadable(params.id, actor), actor, facts, new Date());
    const format = documentFormat(file.buffer, facts.filename, facts.mimeType);
    const uploadId = randomUUID();
    const stored = await saveFile(deps.store, 'policyVersions', facts.filename, file.buffer, {
      policyId: params.id,
      uploadedBy: actor.id,
      uploadId,
      contentType: DOCUMENT_CONTENT_TYPES[format],
    });
    await testHalt('file_saved');

    let updated: Policy;
    try {
      const uploaded = { ...facts, mimeType: DOCUMENT_CONTENT_TYPES[format], fileId: stored.fileId };
      updated = await repo.commit(params.id, actor, (policy) => decideUploadVersion(policy, actor, uploaded, new Date()));
    } catch (err) {
      await deleteFiles(deps.store, 'policyVersions', { uploadId }).catch(() => 0);
      throw err;
    }
    const version = updated.versions.find((v) => v.fileId === stored.fileId) as PolicyVersion;
    await testHalt('version_saved');
    await queueOrFail(updated.id, version.n);
    return { version: version.n, status: version.analysis.status, sha256: version.sha256, size: version.size, rev: updated.rev };
  });

  api.endpoint({
    method: 'get',
    path: '/policies/:id/versions/:n',
    summary: '版本的分析状态、进度、问题统计，以及与上一版相比已解决的问题',
    tag: 'versions',
    auth: 'user',
    params: versionParams,
    responses: { 404: '不存在或无权查看' },
  }, async ({ actor, params }) => {
    const policy = await repo.findReadable(params.id, actor);
    const version = findVersion(policy, params.n);
    const counts = await countFindings(deps.models, policy.id, version.n);

    const previous = policy.versions.filter((v) => v.n < version.n && v.analysis.status === 'analysed').at(-1);
    let resolved = null;
    if (previous && version.analysis.status === 'analysed') {
      const comparable = async (versionN: number) =>
        (await deps.models.Finding.find({ policyId: policy.id, versionN }, { itemId: 1, path: 1, text: 1 }).lean())
          .map((f) => ({ id: String(f._id), itemId: f.itemId, path: f.path, text: f.text }));
      resolved = resolvedSincePrevious(previous.n, await comparable(previous.n), await comparable(version.n));
    }
    const { analysis, ...uploaded } = version;
    return { ...uploaded, ...analysis, counts, resolvedSincePrevious: resolved };
  });

  api.endpoint({
    method: 'post',
    path: '/policies/:id/versions/:n/analysis',
    summary: '重新分析：分析失败的版本，或任务已丢失（不在队列中）而停在排队/分析中的版本',
    tag: 'versions',
    auth: 'user',
    params: versionParams,
    status: 202,
    responses: { 403: '只有起草单位可以重新分析', 404: '不存在或无权查看', 409: '该版本已分析完成或正在分析' },
  }, async ({ actor, params }) => {
    const policy = await repo.findReadable(params.id, actor);
    const version = findVersion(policy, params.n);
    const refusal = POLICY_PERMISSIONS.reanalyse.refusal(policy, actor);
    if (refusal) forbid('reanalyse', refusal);
    const job = await deps.queues.analysis.getJob(analysisJobId({ policyId: policy.id, version: version.n }));
    const jobState = job ? await job.getState() : 'missing';
    const jobAlive = LIVE_JOB_STATES.includes(jobState);
    // A version queued or analysing with no job behind it lost its job (e.g. Redis lost its data): nothing
    // would ever finish it, so it may be queued again like a failed one.
    let from: AnalysisStatus[] | null = null;
    if (version.analysis.status === 'failed') from = ['failed'];
    else if (version.analysis.status !== 'analysed' && !jobAlive) from = ['queued', 'analysing'];
    if (!from || !(await repo.setAnalysis(policy.id, version.n, { status: 'queued', progress: 0 }, from))) {
      throw new ConflictError('not_reanalysable', `第 ${version.n} 版已分析完成或正在分析，无需重新分析`, { status: version.analysis.status });
    }
    // A finished job still holds the version's job id; remove it so the new one is not taken for a duplicate.
    if (job && !jobAlive) await job.remove();
    await queueOrFail(policy.id, version.n);
    return { version: version.n, status: 'queued' };
  });

  api.endpoint({
    method: 'get',
    path: '/policies/:id/versions/:n/file',
    summary: '下载版本原始文件',
    tag: 'versions',
    auth: 'user',
    params: versionParams,
    responses: { 404: '不存在或无权查看' },
  }, async ({ actor, params, res }) => {
    const version = findVersion(await repo.findReadable(params.id, actor), params.n);
    if (!version.fileId) throw new NotFoundError('file_not_found', '文件不存在');
    const data = await readFile(deps.store, 'policyVersions', version.fileId);
    res.status(200)
      .set({ 'Content-Type': version.mimeType, 'Content-Disposition': attachmentDisposition(version.filename), 'X-Content-Type-Options': 'nosniff', 'X-Checksum-Sha256': version.sha256 })
      .send(data);
  });

  return api;
}
