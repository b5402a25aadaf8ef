/**
 * Use case: analyse one uploaded version of a policy. Reads the file from GridFS, extracts the text, runs the
 * checklist analyser, replaces the version's findings and records the outcome on the version
 * (`queued` → `analysing` → `analysed` | `failed`, with progress). The analysis processor
 * (workers/processors/analysePolicyVersion.ts) calls it for each job.
 *
 * Failures:
 * - permanent ones (the document cannot be read: the extractor's typed 4xx errors; the analyser cannot start) mark
 *   the version `failed` with the Chinese reason and throw `PermanentAnalysisFailure` (no retry will help);
 * - anything else is taken as transient (store or disk hiccup): the version goes back to `queued` with a note and
 *   the error is thrown for the job to be retried; the last attempt marks it `failed`;
 * - a job that fails for good without getting here (it stalled too often) ends in `failAnalysis`.
 *
 * Decisions on the previous version carry to unchanged clauses (findings.ts, carryDecisions).
 *
 * Idempotent: a version already `analysed` is left alone, and findings get ids derived from their content, so a
 * second run replaces them with the very same records (and self-review links to them stay valid).
 */
import type { Logger } from 'pino';
import { loadAnalyzer, type Analyzer } from '../../workers/analysis/analyze';
import { extractDocument } from '../../workers/analysis/extract/index';
import { readFile, sha256 } from '../db/files';
import { FindingRepository } from '../db/findingRepository';
import { PolicyRepository } from '../db/policyRepository';
import { ServiceUnavailableError, isAppError, type AppError } from '../domain/errors';
import type { VersionAnalysis } from '../domain/policy';
import type { ServiceDeps } from './deps';
import { carryDecisions } from './findings';

export type AnalysisDeps = Pick<ServiceDeps, 'models' | 'store' | 'logger' | 'clock' | 'config'> & {
  /** runs once the version is `analysing` (a test seam; none in production) */
  pauseWhileAnalysing?: () => Promise<void>;
};

/** Which version, and which try of how many (the last failing try marks the version failed). */
export interface AnalysisAttempt {
  policyId: string;
  n: number;
  attempt: number;
  attempts: number;
  reportProgress(progress: number): Promise<void>;
}

export type AnalysisOutcome = { skipped: string } | { findings: number; checklistVersion: string };

/** The document or the analyser is the problem: the version is marked failed and trying again will not help. */
export class PermanentAnalysisFailure extends Error {}

/**
 * The analyser builds its engine (checklists, automaton, dictionary) on first use. If that fails the rulebook or
 * the engine is broken: no retry will help, so every version says so until the analyser is fixed and the
 * version is analysed again.
 */
function loadAnalyser(logger: Logger): Analyzer {
  try {
    return loadAnalyzer();
  } catch (err) {
    logger.error({ err }, 'analyser could not be loaded');
    throw new ServiceUnavailableError('analyser_unavailable', '分析引擎暂不可用，未能分析该版本，请稍后重新分析');
  }
}

/** Permanent: the document itself is the problem (4xx), or the analyser cannot run at all. */
function isPermanent(err: unknown): err is AppError {
  return isAppError(err) && (err.status < 500 || err.code === 'analyser_unavailable');
}

const RUNNING: readonly VersionAnalysis['status'][] = ['queued', 'analysing'];

export async function analyseVersion(deps: AnalysisDeps, { policyId, n, attempt, attempts, reportProgress }: AnalysisAttempt): Promise<AnalysisOutcome> {
  const policies = new PolicyRepository(deps.models);
  const findings = new FindingRepository(deps.models);
  const policy = await policies.findById(policyId);
  const version = policy?.versions.find((v) => v.n === n);
  if (!policy || !version?.fileId) return { skipped: 'version_not_found' };
  if (version.analysis.status === 'analysed') return { skipped: 'already_analysed' };

  const startedAt = deps.clock().toISOString();
  const progress = async (value: number) => {
    await policies.setAnalysis(policyId, n, { status: 'analysing', progress: value, startedAt }, RUNNING);
    await reportProgress(value);
  };

  try {
    if (!(await policies.setAnalysis(policyId, n, { status: 'analysing', progress: 5, startedAt }, RUNNING))) return { skipped: 'not_queued' };
    await deps.pauseWhileAnalysing?.();
    const analyser = loadAnalyser(deps.logger);
    const file = await readFile(deps.store, 'policyVersions', version.fileId);
    // GridFS hands back whatever chunks it finds; a short or altered read is a store fault, retried like one.
    if (sha256(file) !== version.sha256) throw new Error(`文档读取不完整（${file.length}/${version.size} 字节，校验值不符）`);
    await progress(20);
    const document = await extractDocument(file, { filename: version.filename, mimeType: version.mimeType, maxBytes: deps.config.MAX_UPLOAD_BYTES });
    await progress(40);
    const result = analyser.analyzeText(document.text);
    await progress(80);

    const total = await findings.replaceVersion(policyId, n, result.checklistVersion, result.findings);
    // Before the version reads as analysed, so nobody sees an unchanged clause undecided that was decided before.
    await carryDecisions(deps, policyId, n);
    await policies.setAnalysis(policyId, n, {
      status: 'analysed',
      progress: 100,
      checklistVersion: result.checklistVersion,
      operatingPoint: result.operatingPoint,
      threshold: result.threshold,
      findingCounts: await findings.count(policyId, n),
      startedAt,
      finishedAt: deps.clock().toISOString(),
    }, RUNNING);
    await reportProgress(100);
    return { findings: total, checklistVersion: result.checklistVersion };
  } catch (err) {
    // Recording the outcome is best effort: if the store is what failed, the retry or the final-failure hook
    // gets another chance to record it.
    const record = (analysis: VersionAnalysis) => policies.setAnalysis(policyId, n, analysis, RUNNING).catch(() => false);
    const finishedAt = deps.clock().toISOString();
    if (isPermanent(err)) {
      await record({ status: 'failed', progress: 0, errorCode: err.code, error: err.message, startedAt, finishedAt });
      throw new PermanentAnalysisFailure(err.message);
    }
    const message = err instanceof Error ? err.message : String(err);
    if (attempt >= attempts) {
      await record({ status: 'failed', progress: 0, errorCode: 'analysis_failed', error: `分析失败（已重试 ${attempt} 次）：${message}`, startedAt, finishedAt });
    } else {
      await record({ status: 'queued', progress: 0, errorCode: 'retrying', error: `分析暂时失败，将自动重试（第 ${attempt} 次失败）：${message}` });
    }
    throw err;
  }
}

/** A version whose job failed for good without the analysis recording it (it stalled too often). */
export async function failAnalysis(deps: Pick<AnalysisDeps, 'models' | 'clock'>, policyId: string, n: number, reason: string): Promise<void> {
  await new PolicyRepository(deps.models).setAnalysis(
    policyId,
    n,
    { status: 'failed', progress: 0, errorCode: 'analysis_failed', error: `分析未能完成，请重新分析：${reason}`, finishedAt: deps.clock().toISOString() },
    RUNNING,
  );
}
