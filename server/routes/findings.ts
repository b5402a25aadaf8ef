/**
 * Findings of the analyser, per version, and the reviewer's decision on each (confirm or dismiss with a reason).
 */
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { countFindings } from '../db/findingCounts';
import type { FindingDoc } from '../db/models/finding';
import { isObjectIdHex, PolicyRepository } from '../db/policyRepository';
import { NotFoundError } from '../domain/errors';
import { decideFindingRecord, type FindingDecision } from '../domain/findingReview';
import { latestVersion, type Policy, type PolicyVersion } from '../domain/policy';
import { ApiRouter } from '../http/endpoint';
import { pathId } from '../http/schemas';
import { policyParams } from './policies';
import { findVersion, versionParams } from './policyVersions';

const findingsQuery = z.strictObject({
  status: z.enum(['pending', 'confirmed', 'dismissed']).optional(),
  itemId: z.string().max(32).optional(),
});

const decisionBody = z.strictObject({
  status: z.enum(['confirmed', 'dismissed']),
  reason: z.string().max(5000).optional(),
});

type StoredFinding = FindingDoc & { _id: unknown };

export function findingView(f: StoredFinding) {
  return {
    id: String(f._id),
    versionN: f.versionN,
    checklistVersion: f.checklistVersion,
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
    decision: f.decision,
  };
}

export function findingRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();
  const repo = new PolicyRepository(deps.models);

  /** Keeps the tally on the version (shown in lists) in step with the decisions; recounted, never incremented. */
  async function refreshFindingCounts(policy: Policy, versionN: number): Promise<void> {
    const version = policy.versions.find((v) => v.n === versionN);
    if (!version) return;
    const findingCounts = await countFindings(deps.models, policy.id, versionN);
    await repo.setAnalysis(policy.id, versionN, { ...version.analysis, findingCounts }, ['analysed']);
  }

  async function listFindings(policy: Policy, version: PolicyVersion | undefined, query: z.infer<typeof findingsQuery>) {
    if (!version) return { versionN: null, status: null, items: [] };
    const filter = { policyId: policy.id, versionN: version.n, ...(query.status ? { 'decision.status': query.status } : {}), ...(query.itemId ? { itemId: query.itemId } : {}) };
    const findings = await deps.models.Finding.find(filter).sort({ start: 1, itemId: 1 }).lean<StoredFinding[]>();
    return { versionN: version.n, status: version.analysis.status, items: findings.map(findingView) };
  }

  api.endpoint({
    method: 'get',
    path: '/policies/:id/versions/:n/findings',
    summary: '某一版本的问题清单（可按处理状态、检查项筛选）',
    tag: 'findings',
    auth: 'user',
    params: versionParams,
    query: findingsQuery,
    responses: { 404: '不存在或无权查看' },
  }, async ({ actor, params, query }) => {
    const policy = await repo.findReadable(params.id, actor);
    return listFindings(policy, findVersion(policy, params.n), query);
  });

  api.endpoint({
    method: 'get',
    path: '/policies/:id/findings',
    summary: '最新版本的问题清单',
    tag: 'findings',
    auth: 'user',
    params: policyParams,
    query: findingsQuery,
    responses: { 404: '不存在或无权查看' },
  }, async ({ actor, params, query }) => {
    const policy = await repo.findReadable(params.id, actor);
    return listFindings(policy, latestVersion(policy), query);
  });

  api.endpoint({
    method: 'patch',
    path: '/policies/:id/findings/:fid',
    summary: '确认或排除一个问题（排除须说明理由）',
    tag: 'findings',
    auth: 'user',
    params: z.strictObject({ id: pathId, fid: pathId }),
    body: decisionBody,
    responses: { 403: '无权处理', 404: '不存在或无权查看', 409: '已作出审查结论或版本未分析完成', 422: '排除时缺少理由' },
  }, async ({ actor, params, body }) => {
    const policy = await repo.findReadable(params.id, actor);
    const finding = isObjectIdHex(params.fid) ? await deps.models.Finding.findOne({ _id: params.fid, policyId: policy.id }).lean<StoredFinding>() : null;
    if (!finding) throw new NotFoundError('finding_not_found', '问题不存在');
    // The decision goes into the policy's hash chain first (the history is the record), then onto the finding.
    let decision: FindingDecision | undefined;
    await repo.commit(policy.id, actor, (current) => {
      const decided = decideFindingRecord(current, actor, { id: String(finding._id), versionN: finding.versionN, itemId: finding.itemId, path: finding.path ?? '' }, body, new Date());
      decision = decided.decision;
      return decided.patch;
    });
    const updated = await deps.models.Finding.findOneAndUpdate({ _id: finding._id }, { $set: { decision } }, { new: true }).lean<StoredFinding>();
    if (!updated) throw new NotFoundError('finding_not_found', '问题不存在');
    await refreshFindingCounts(policy, finding.versionN);
    return findingView(updated);
  });

  return api;
}
