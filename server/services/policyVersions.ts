/**
 * Use cases of a policy's document versions: upload one (stored in GridFS, analysed in the background), read its
 * analysis status and summary, queue a failed or lost analysis again, and fetch the original file.
 *
 * An upload is refused before anything is stored: first by state and permission, then by what the bytes are
 * (magic bytes, not the name: 415; the size is enforced while reading: 413). Only then is the file saved, the
 * version recorded with one guarded update, and the analysis job queued under a job id unique per version.
 */
import { randomUUID } from 'node:crypto';
import { checkDocumentFormat } from '../../workers/analysis/extract/index';
import { deleteFiles, readFile, saveFile, sha256 } from '../db/files';
import { FindingRepository } from '../db/findingRepository';
import { PolicyRepository } from '../db/policyRepository';
import { ConflictError, NotFoundError, ServiceUnavailableError, ValidationError } from '../domain/errors';
import { resolvedSincePrevious } from '../domain/findingReview';
import { forbid } from '../domain/guards';
import { POLICY_PERMISSIONS } from '../domain/permissions/policy';
import type { AnalysisStatus, Policy, PolicyVersion } from '../domain/policy';
import { decideUploadVersion } from '../domain/policyWorkflow';
import type { Actor } from '../domain/roles';
import { LIVE_JOB_STATES, analysisJobId } from '../queues';
import type { ServiceDeps } from './deps';
import { DOCUMENT_CONTENT_TYPES } from './documentTypes';

export interface UploadedFile {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

/** The version `n` of a readable policy; a malformed or unknown number is a 404 like an unknown id. */
export function findVersion(policy: Policy, n: string): PolicyVersion {
  const version = /^[1-9][0-9]{0,8}$/.test(n) ? policy.versions.find((v) => v.n === Number(n)) : undefined;
  if (!version) throw new NotFoundError('version_not_found', `第 ${n} 版不存在`);
  return version;
}

export async function queueAnalysis(deps: Pick<ServiceDeps, 'queues' | 'config'>, policyId: string, version: number): Promise<void> {
  const job = { policyId, version };
  await deps.queues.analysis.add('analyse', job, {
    jobId: analysisJobId(job),
    attempts: deps.config.ANALYSIS_ATTEMPTS,
    backoff: { type: 'exponential', delay: deps.config.ANALYSIS_BACKOFF_MS },
  });
}

/** Queues the analysis; if Redis is away the version is marked failed (re-analysable) rather than left queued. */
async function queueOrFail(deps: ServiceDeps, policyId: string, n: number): Promise<void> {
  try {
    await queueAnalysis(deps, policyId, n);
  } catch (err) {
    deps.logger.error({ err, policyId, version: n }, 'could not queue analysis');
    await new PolicyRepository(deps.models).setAnalysis(policyId, n, { status: 'failed', progress: 0, errorCode: 'queue_unavailable', error: '分析任务排队失败（任务队列暂不可用），请稍后重新分析' }, ['queued']);
    throw new ServiceUnavailableError('queue_unavailable', '文件已保存，但分析任务排队失败，请稍后重新分析');
  }
}

/** The stored steps of an upload: its file saved, then its version recorded (its job is queued after). */
export type UploadStep = 'file_saved' | 'version_saved';

export interface UploadDeps extends ServiceDeps {
  /**
   * Runs after each stored step of an upload. Production has none; the tests' API entry halts here so that a test
   * can kill the API between the steps and watch the outbox sweep (services/outbox.ts) clean up.
   */
  afterUploadStep?: (step: UploadStep) => Promise<void>;
}

export async function uploadVersion(deps: UploadDeps, actor: Actor, policyId: string, file: UploadedFile | undefined) {
  if (!file) throw new ValidationError('file_required', '请在表单字段 file 中上传文件');
  const repo = new PolicyRepository(deps.models);
  const facts = { filename: file.originalname, mimeType: file.mimetype, size: file.size, sha256: sha256(file.buffer) };

  // Refuse by state and permission before looking at the content, and by content before storing anything.
  decideUploadVersion(await repo.findReadable(policyId, actor), actor, facts, deps.clock());
  const format = checkDocumentFormat(file.buffer, { filename: facts.filename, mimeType: facts.mimeType });
  const uploadId = randomUUID();
  const stored = await saveFile(deps.store, 'policyVersions', facts.filename, file.buffer, { policyId, uploadedBy: actor.id, uploadId, contentType: DOCUMENT_CONTENT_TYPES[format] });
  await deps.afterUploadStep?.('file_saved');

  let updated: Policy;
  try {
    const uploaded = { ...facts, mimeType: DOCUMENT_CONTENT_TYPES[format], fileId: stored.fileId };
    updated = await repo.commit(policyId, actor, (policy) => decideUploadVersion(policy, actor, uploaded, deps.clock()));
  } catch (err) {
    await deleteFiles(deps.store, 'policyVersions', { uploadId }).catch(() => 0);
    throw err;
  }
  const version = updated.versions.find((v) => v.fileId === stored.fileId) as PolicyVersion;
  await deps.afterUploadStep?.('version_saved');
  await queueOrFail(deps, updated.id, version.n);
  return { version: version.n, status: version.analysis.status, sha256: version.sha256, size: version.size, rev: updated.rev };
}

/** The version's analysis status and progress, its findings by decision, and what it resolved since the previous one. */
export async function versionSummary(deps: Pick<ServiceDeps, 'models'>, actor: Actor, policyId: string, n: string) {
  const policy = await new PolicyRepository(deps.models).findReadable(policyId, actor);
  const version = findVersion(policy, n);
  const findings = new FindingRepository(deps.models);
  const counts = await findings.count(policy.id, version.n);
  const previous = policy.versions.filter((v) => v.n < version.n && v.analysis.status === 'analysed').at(-1);
  const resolved = previous && version.analysis.status === 'analysed'
    ? resolvedSincePrevious(previous.n, await findings.comparable(policy.id, previous.n), await findings.comparable(policy.id, version.n))
    : null;
  const { analysis, ...uploaded } = version;
  return { ...uploaded, ...analysis, counts, resolvedSincePrevious: resolved };
}

/** Queues a failed version again, or one queued or analysing whose job was lost (nothing would ever finish it). */
export async function reanalyseVersion(deps: ServiceDeps, actor: Actor, policyId: string, n: string) {
  const repo = new PolicyRepository(deps.models);
  const policy = await repo.findReadable(policyId, actor);
  const version = findVersion(policy, n);
  const refusal = POLICY_PERMISSIONS.reanalyse.refusal(policy, actor);
  if (refusal) forbid('reanalyse', refusal);
  const job = await deps.queues.analysis.getJob(analysisJobId({ policyId: policy.id, version: version.n }));
  const jobAlive = LIVE_JOB_STATES.includes(job ? await job.getState() : 'missing');
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
  await queueOrFail(deps, policy.id, version.n);
  return { version: version.n, status: 'queued' };
}

/** The original file of a version. */
export async function versionFile(deps: Pick<ServiceDeps, 'models' | 'store'>, actor: Actor, policyId: string, n: string) {
  const version = findVersion(await new PolicyRepository(deps.models).findReadable(policyId, actor), n);
  if (!version.fileId) throw new NotFoundError('file_not_found', '文件不存在');
  return { version, data: await readFile(deps.store, 'policyVersions', version.fileId) };
}
