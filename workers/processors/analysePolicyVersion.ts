/**
 * Analyses one uploaded version of a policy: reads the file from GridFS, extracts the text, runs the checklist
 * analyser, replaces the version's findings and records the outcome on the version
 * (`queued` → `analysing` → `analysed` | `failed`, with progress).
 *
 * Failures:
 * - permanent ones (the document cannot be read: the extractor's typed 4xx errors; the analyser cannot start) mark
 *   the version `failed` with the Chinese reason and stop retrying (UnrecoverableError);
 * - anything else is taken as transient (store or disk hiccup): the version goes back to `queued` with a note
 *   and BullMQ retries with exponential backoff; the last attempt marks it `failed`;
 * - a worker that dies mid-job loses its lock, and BullMQ's stalled-job check gives the job to another worker;
 *   a job that stalls too often fails, and `onFinalFailure` marks the version `failed`. So no version stays
 *   `analysing` for longer than the lock lasts while a worker is running.
 *
 * Idempotent: a version already `analysed` is left alone, and findings get ids derived from their content, so a
 * second run replaces them with the very same records (and self-review links to them stay valid).
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { UnrecoverableError, type Job } from 'bullmq';
import { readFile, sha256 } from '../../server/db/files';
import { PolicyRepository } from '../../server/db/policyRepository';
import { ConflictError, ServiceUnavailableError, isAppError, type AppError } from '../../server/domain/errors';
import type { VersionAnalysis } from '../../server/domain/policy';
import { loadAnalyzer, type Analyzer, type Finding } from '../analysis/analyze';
import { extractDocument } from '../analysis/extract/index';
import type { Processor, WorkerDeps } from '../processor';
import type { AnalysisJob } from '../../server/queues';

/**
 * The analyser builds its engine (checklists, automaton, dictionary) on first use. If that fails the rulebook or
 * the engine is broken: no retry will help, so every version says so until the analyser is fixed and the
 * version is analysed again.
 */
function loadAnalyser(deps: WorkerDeps): Analyzer {
  try {
    return loadAnalyzer();
  } catch (err) {
    deps.logger.error({ err }, 'analyser could not be loaded');
    throw new ServiceUnavailableError('analyser_unavailable', '分析引擎暂不可用，未能分析该版本，请稍后重新分析');
  }
}

/** Permanent: the document itself is the problem (4xx), or the analyser cannot run at all. */
function isPermanent(err: unknown): err is AppError {
  return isAppError(err) && (err.status < 500 || err.code === 'analyser_unavailable');
}

/** A finding's id from what it is, so the same analysis always yields the same ids. */
function findingId(policyId: string, versionN: number, f: Finding): string {
  return createHash('sha256').update(`${policyId}|${versionN}|${f.itemId}|${f.subItemId ?? ''}|${f.start}|${f.end}`).digest('hex').slice(0, 24);
}

async function process(job: Job<AnalysisJob>, deps: WorkerDeps): Promise<unknown> {
  const { policyId, version: n } = job.data;
  const repo = new PolicyRepository(deps.models);
  const policy = await repo.findById(policyId);
  const version = policy?.versions.find((v) => v.n === n);
  if (!policy || !version?.fileId) return { skipped: 'version_not_found' };
  if (version.analysis.status === 'analysed') return { skipped: 'already_analysed' };

  const startedAt = new Date().toISOString();
  const report = async (progress: number) => {
    await repo.setAnalysis(policyId, n, { status: 'analysing', progress, startedAt }, ['queued', 'analysing']);
    await job.updateProgress(progress);
  };

  try {
    if (!(await repo.setAnalysis(policyId, n, { status: 'analysing', progress: 5, startedAt }, ['queued', 'analysing']))) {
      return { skipped: 'not_queued' };
    }
    if (deps.config.NODE_ENV === 'test' && deps.config.FAIRREVIEW_TEST_ANALYSIS_DELAY_MS > 0) {
      // Test-only (FAIRREVIEW_TEST_ANALYSIS_DELAY_MS, honoured only when NODE_ENV=test): holds the version in
      // `analysing` long enough for a test to kill this worker mid-analysis.
      await sleep(deps.config.FAIRREVIEW_TEST_ANALYSIS_DELAY_MS);
    }
    const analyser = loadAnalyser(deps);
    const file = await readFile(deps.store, 'policyVersions', version.fileId);
    // GridFS hands back whatever chunks it finds; a short or altered read is a store fault, retried like one.
    if (sha256(file) !== version.sha256) throw new Error(`文档读取不完整（${file.length}/${version.size} 字节，校验值不符）`);
    await report(20);
    const document = await extractDocument(file, { filename: version.filename, mimeType: version.mimeType, maxBytes: deps.config.MAX_UPLOAD_BYTES });
    await report(40);
    const result = analyser.analyzeText(document.text);
    await report(80);

    const findings = result.findings.map((f) => ({
      _id: findingId(policyId, n, f),
      policyId,
      versionN: n,
      checklistVersion: result.checklistVersion,
      path: f.path,
      text: f.text,
      start: f.start,
      end: f.end,
      itemId: f.itemId,
      ...(f.subItemId ? { subItemId: f.subItemId } : {}),
      score: f.score,
      evidenceSource: f.evidenceSource,
      evidence: f.evidence.map((e) => ({ phrase: e.phrase, start: e.start, end: e.end })),
      basis: f.basis,
      explanation: f.explanation,
      suggestion: f.suggestion,
    }));
    await deps.models.Finding.deleteMany({ policyId, versionN: n });
    try {
      await deps.models.Finding.insertMany(findings, { ordered: false });
    } catch (err) {
      // Another run of this same job (a worker presumed dead that was only slow) inserted them first; the ids
      // are derived from the content, so what is there is exactly what this run would have written.
      if (!(err instanceof ConflictError && err.code === 'duplicate_key')) throw err;
    }

    const total = findings.length;
    const analysed: VersionAnalysis = {
      status: 'analysed',
      progress: 100,
      checklistVersion: result.checklistVersion,
      operatingPoint: result.operatingPoint,
      threshold: result.threshold,
      findingCounts: { total, open: total, confirmed: 0, dismissed: 0 },
      startedAt,
      finishedAt: new Date().toISOString(),
    };
    await repo.setAnalysis(policyId, n, analysed, ['queued', 'analysing']);
    await job.updateProgress(100);
    return { findings: total, checklistVersion: result.checklistVersion };
  } catch (err) {
    // Recording the outcome is best effort: if the store is what failed, the retry or the final-failure hook
    // gets another chance to record it.
    const record = (analysis: VersionAnalysis) => repo.setAnalysis(policyId, n, analysis, ['queued', 'analysing']).catch(() => false);
    const tries = job.attemptsMade + 1;
    if (isPermanent(err)) {
      await record({ status: 'failed', progress: 0, errorCode: err.code, error: err.message, startedAt, finishedAt: new Date().toISOString() });
      throw new UnrecoverableError(err.message);
    }
    const message = err instanceof Error ? err.message : String(err);
    if (tries >= (job.opts.attempts ?? 1)) {
      await record({ status: 'failed', progress: 0, errorCode: 'analysis_failed', error: `分析失败（已重试 ${tries} 次）：${message}`, startedAt, finishedAt: new Date().toISOString() });
    } else {
      await record({ status: 'queued', progress: 0, errorCode: 'retrying', error: `分析暂时失败，将自动重试（第 ${tries} 次失败）：${message}` });
    }
    throw err;
  }
}

/** A job that failed for good without the processor recording it (it stalled too often): mark the version. */
async function onFinalFailure(job: Job<AnalysisJob>, err: Error, deps: WorkerDeps): Promise<void> {
  const repo = new PolicyRepository(deps.models);
  await repo.setAnalysis(
    job.data.policyId,
    job.data.version,
    { status: 'failed', progress: 0, errorCode: 'analysis_failed', error: `分析未能完成，请重新分析：${err.message}`, finishedAt: new Date().toISOString() },
    ['queued', 'analysing'],
  );
}

export const analysePolicyVersion: Processor<'analysis'> = { queue: 'analysis', process, onFinalFailure };
