/**
 * A reviewer's work on a batch's results: the ranked list, one document with its clauses, confirm / dismiss, and
 * turning a confirmed document into a policy record in `recheck` with its findings attached, in one action.
 */
import mongoose from 'mongoose';
import { saveFile, deleteFiles } from '../../db/files';
import { FindingRepository } from '../../db/findingRepository';
import { PolicyRepository } from '../../db/policyRepository';
import { ScreeningRepository, type StoredScreeningDocument } from '../../db/screeningRepository';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import type { IssuingLevel, Policy, PolicyKind } from '../../domain/policy';
import type { Actor } from '../../domain/roles';
import { assertMayScreen, screeningDocumentAllowedActions } from '../../domain/permissions/screening';
import { decideDocumentReview, stockPolicyForRecheck, type ReviewCommand } from '../../domain/screeningDocument';
import { DISPOSITION_LABELS, SCREENING_DOCUMENT_STATUS_LABELS } from '../../domain/vocabulary';
import { now, type ScreeningDeps } from './deps';
import { readableBatch } from './batches';

const MIME_TYPES: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  txt: 'text/plain',
};

export function documentView(doc: StoredScreeningDocument, actor: Actor) {
  return {
    ...doc,
    statusLabel: SCREENING_DOCUMENT_STATUS_LABELS[doc.status],
    dispositionLabel: doc.disposition ? DISPOSITION_LABELS[doc.disposition] : null,
    duplicates: doc.paths.length - 1,
    allowedActions: screeningDocumentAllowedActions(doc, actor),
  };
}

export async function listBatchDocuments(
  deps: ScreeningDeps,
  actor: Actor,
  batchId: string,
  query: { disposition?: string; review?: string; status?: string; page: number; pageSize: number },
) {
  const batch = await readableBatch(deps, actor, batchId);
  const { items, total } = await new ScreeningRepository(deps.models).listDocuments(batch.id, query, query.page, query.pageSize);
  return { items: items.map((d) => documentView(d, actor)), total, page: query.page, pageSize: query.pageSize };
}

async function readableDocument(deps: ScreeningDeps, actor: Actor, batchId: string, documentId: string): Promise<StoredScreeningDocument> {
  const batch = await readableBatch(deps, actor, batchId);
  const doc = await new ScreeningRepository(deps.models).findDocument(batch.id, documentId);
  if (!doc) throw new NotFoundError('document_not_found', '清理批次中不存在该文件');
  return doc;
}

export async function getBatchDocument(deps: ScreeningDeps, actor: Actor, batchId: string, documentId: string) {
  return documentView(await readableDocument(deps, actor, batchId, documentId), actor);
}

export async function reviewDocument(deps: ScreeningDeps, actor: Actor, batchId: string, documentId: string, command: ReviewCommand) {
  assertMayScreen(actor, 'review_document');
  const doc = await readableDocument(deps, actor, batchId, documentId);
  const change = decideDocumentReview(doc, actor, command, now(deps));
  const updated = await new ScreeningRepository(deps.models).applyReview(doc.id, change);
  if (!updated) throw new ConflictError('concurrent_update', '该文件的结论已被他人修改，请刷新后重试');
  return documentView(updated, actor);
}

export interface RecheckPolicyRequest {
  departmentId?: string;
  title?: string;
  kind?: PolicyKind;
  issuingLevel?: IssuingLevel;
  docNumber?: string;
  reason?: string;
}

/**
 * Turns a confirmed document into a policy in `recheck`. Crash-safe without transactions: the policy's id is
 * reserved on the document first, then the file, the policy and its findings are written under that id, each
 * step idempotent; calling again (a retry, a double click) finishes the same policy instead of making another.
 */
export async function createRecheckPolicy(deps: ScreeningDeps, actor: Actor, batchId: string, documentId: string, request: RecheckPolicyRequest): Promise<{ policy: Policy; created: boolean }> {
  assertMayScreen(actor, 'create_recheck_policy');
  const batch = await readableBatch(deps, actor, batchId);
  const repo = new ScreeningRepository(deps.models);
  const policies = new PolicyRepository(deps.models);
  let doc = await readableDocument(deps, actor, batchId, documentId);
  if (doc.recheckPolicyId) {
    const existing = await policies.findById(doc.recheckPolicyId);
    if (existing) return { policy: existing, created: false };
  }
  const department = request.departmentId
    ? await deps.models.Department.findById(mongoose.isValidObjectId(request.departmentId) ? request.departmentId : null).lean()
    : await deps.models.Department.findOne({ name: doc.department }).lean();
  if (!department) {
    throw request.departmentId
      ? new ValidationError('invalid_request', 'departmentId：起草单位不存在', { issues: [{ path: 'body.departmentId', message: '起草单位不存在' }] })
      : new ValidationError('invalid_request', `departmentId：未能按文件夹「${doc.department || '（无）'}」找到起草单位，请指定 departmentId`, { issues: [{ path: 'body.departmentId', message: '请指定起草单位' }] });
  }
  if (doc.fileChunks === null || doc.status !== 'screened') throw new ConflictError('not_screened', '该文件尚未完成筛查，不能转为复查政策措施');
  const policyId = doc.recheckPolicyId ?? String(new mongoose.Types.ObjectId());
  const input = {
    title: request.title ?? doc.filename.replace(/\.[A-Za-z0-9]{1,8}$/, ''),
    departmentId: String(department._id),
    kind: request.kind ?? 'normative_document',
    issuingLevel: request.issuingLevel ?? 'department',
    docNumber: request.docNumber,
    reason: request.reason ?? `存量清理批次「${batch.name}」筛查发现问题：${doc.dispositionReason}`,
  } satisfies Parameters<typeof stockPolicyForRecheck>[2];
  // decided before anything is written: a document that is not confirmed is refused here (409)
  const file = { filename: doc.filename, mimeType: MIME_TYPES[doc.format ?? ''] ?? 'application/octet-stream', size: doc.size, sha256: doc.sha256, fileId: '' };
  const draft = stockPolicyForRecheck(doc, actor, input, file, { checklistVersion: doc.checklistVersion ?? '', findings: doc.clauseCount }, now(deps));

  if (!doc.recheckPolicyId) {
    if (!(await repo.reserveRecheckPolicy(doc.id, policyId))) {
      doc = await readableDocument(deps, actor, batchId, documentId);
      if (!doc.recheckPolicyId) throw new ConflictError('concurrent_update', '该文件的结论已被他人修改，请刷新后重试');
      const existing = await policies.findById(doc.recheckPolicyId);
      if (existing) return { policy: existing, created: false };
      throw new ConflictError('recheck_policy_in_progress', '该文件正在转为复查政策措施，请稍后刷新');
    }
  }
  // the document's text becomes version 1 of the policy, in the policy's own bucket
  await deleteFiles(deps.store, 'policyVersions', { policyId, versionN: 1 });
  const stored = await saveFile(deps.store, 'policyVersions', doc.filename, await repo.readFile(doc.id, doc.fileChunks), { policyId, versionN: 1 });
  draft.versions[0]!.fileId = stored.fileId;
  // the screening's clauses become the version's findings, with the ids an analysis of the same text would give them
  await new FindingRepository(deps.models).replaceVersion(policyId, 1, doc.checklistVersion ?? '', doc.clauses.map((c) => ({
    ...c,
    evidence: c.evidence.map((phrase) => {
      const at = c.text.indexOf(phrase);
      return { phrase, start: at >= 0 ? c.start + at : c.start, end: at >= 0 ? c.start + at + phrase.length : c.start };
    }),
  })));
  try {
    return { policy: await policies.create(draft, policyId), created: true };
  } catch (err) {
    if (!(err instanceof ConflictError && err.code === 'duplicate_key')) throw err;
    const existing = await policies.findById(policyId);
    if (!existing) throw err;
    return { policy: existing, created: false };
  }
}
