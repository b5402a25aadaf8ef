/**
 * A batch's clean-up list as XLSX (streamed from the store straight into the response: flat memory at any
 * size) and its summary report as DOCX (one streaming pass computes every count).
 */
import type { Writable } from 'node:stream';
import { ScreeningRepository, type StoredScreeningDocument } from '../../db/screeningRepository';
import type { Actor } from '../../domain/roles';
import { DISPOSITIONS, type Disposition } from '../../domain/screeningDocument';
import { DISPOSITION_LABELS, FINDING_DECISION_LABELS, SCREENING_DOCUMENT_STATUS_LABELS } from '../../domain/vocabulary';
import { loadAnalyzer } from '../../../workers/analysis/analyze';
import { writeScreeningList, type ScreeningListClause, type ScreeningListDocument } from '../../../templates/screening-list';
import { buildScreeningSummary } from '../../../templates/screening-summary';
import { now, type ScreeningDeps } from './deps';
import { readableBatch } from './batches';

let titles: Map<string, string> | undefined;
export function itemTitle(id: string): string {
  titles ??= new Map(loadAnalyzer().checklists.items.map((item) => [item.id, item.title]));
  return titles.get(id) ?? id;
}

/** One document as a row of the list (shared with the offline CLI, so both lists read the same). */
export function listDocumentRow(rank: number, d: Pick<StoredScreeningDocument, 'paths' | 'department' | 'disposition' | 'dispositionReason' | 'maxScore' | 'clauseCount' | 'items' | 'status' | 'error' | 'format' | 'chars' | 'review'>): ScreeningListDocument {
  return {
    rank,
    paths: d.paths,
    department: d.department,
    disposition: d.disposition ? DISPOSITION_LABELS[d.disposition] : '',
    reason: d.dispositionReason,
    maxScore: d.status === 'screened' ? d.maxScore : null,
    clauseCount: d.clauseCount,
    items: d.items.map((id) => `${id} ${itemTitle(id)}`),
    status: SCREENING_DOCUMENT_STATUS_LABELS[d.status],
    error: d.error ?? '',
    format: d.format ?? '',
    chars: d.status === 'screened' ? d.chars : null,
    review: FINDING_DECISION_LABELS[d.review.status],
  };
}

export function listClauseRows(rank: number, d: Pick<StoredScreeningDocument, 'paths' | 'department' | 'disposition' | 'clauses'>): ScreeningListClause[] {
  return d.clauses.map((c) => ({
    rank,
    path: d.paths[0] ?? '',
    department: d.department,
    disposition: d.disposition ? DISPOSITION_LABELS[d.disposition] : '',
    clausePath: c.path,
    page: c.page ?? null,
    itemId: c.itemId,
    item: itemTitle(c.itemId),
    score: c.score,
    text: c.text,
    evidence: c.evidence,
    basis: c.basis,
    suggestion: c.suggestion,
  }));
}

export async function exportBatchList(deps: ScreeningDeps, actor: Actor, batchId: string, output: Writable, beforeWriting?: (filename: string) => void) {
  const batch = await readableBatch(deps, actor, batchId);
  const repo = new ScreeningRepository(deps.models);
  beforeWriting?.(`清理清单-${batch.name}.xlsx`);
  async function* documents() {
    let rank = 0;
    for await (const d of repo.documentsByRisk(batch.id, false)) yield listDocumentRow(++rank, d);
  }
  async function* clauses() {
    let rank = 0;
    for await (const d of repo.documentsByRisk(batch.id, true)) yield* listClauseRows(++rank, d);
  }
  return writeScreeningList(output, { title: `存量政策清理清单（${batch.name}）`, documents: documents(), clauses });
}

const TOP_DOCUMENTS = 20;

export async function batchSummaryReport(deps: ScreeningDeps, actor: Actor, batchId: string): Promise<{ filename: string; docx: Buffer }> {
  const batch = await readableBatch(deps, actor, batchId);
  const byDisposition = new Map<Disposition, number>(DISPOSITIONS.map((d) => [d, 0]));
  const byDepartment = new Map<string, { documents: number; perDisposition: Map<Disposition, number> }>();
  const byItem = new Map<string, { documents: number; clauses: number }>();
  const top: Parameters<typeof buildScreeningSummary>[0]['top'][number][] = [];
  let documents = 0, screened = 0, failed = 0, files = 0;
  let rank = 0;
  for await (const d of new ScreeningRepository(deps.models).documentsByRisk(batch.id, true)) {
    rank++;
    documents++;
    files += d.paths.length;
    if (d.status === 'screened') screened++;
    if (d.status === 'failed') failed++;
    if (!d.disposition) continue;
    byDisposition.set(d.disposition, (byDisposition.get(d.disposition) ?? 0) + 1);
    const dept = byDepartment.get(d.department) ?? { documents: 0, perDisposition: new Map() };
    dept.documents++;
    dept.perDisposition.set(d.disposition, (dept.perDisposition.get(d.disposition) ?? 0) + 1);
    byDepartment.set(d.department, dept);
    const clausesPerItem = new Map<string, number>();
    for (const c of d.clauses) clausesPerItem.set(c.itemId, (clausesPerItem.get(c.itemId) ?? 0) + 1);
    for (const [itemId, clauses] of clausesPerItem) {
      const item = byItem.get(itemId) ?? { documents: 0, clauses: 0 };
      item.documents++;
      item.clauses += clauses;
      byItem.set(itemId, item);
    }
    if (top.length < TOP_DOCUMENTS && d.disposition !== 'keep') {
      top.push({ rank, path: d.paths[0] ?? '', department: d.department, disposition: DISPOSITION_LABELS[d.disposition], maxScore: d.maxScore, clauseCount: d.clauseCount, reason: d.dispositionReason });
    }
  }
  const docx = await buildScreeningSummary({
    batchName: batch.name,
    generatedOn: now(deps),
    files: Math.max(files, batch.ingest.files),
    documents,
    screened,
    failed,
    notScreened: documents - screened - failed,
    dispositions: DISPOSITIONS.map((d) => DISPOSITION_LABELS[d]),
    byDisposition: DISPOSITIONS.map((d) => ({ label: DISPOSITION_LABELS[d], count: byDisposition.get(d) ?? 0 })),
    byDepartment: [...byDepartment.entries()]
      .sort((a, b) => b[1].documents - a[1].documents || a[0].localeCompare(b[0]))
      .map(([department, v]) => ({ department, documents: v.documents, perDisposition: DISPOSITIONS.map((d) => v.perDisposition.get(d) ?? 0) })),
    byItem: [...byItem.entries()]
      .sort((a, b) => b[1].documents - a[1].documents || a[0].localeCompare(b[0]))
      .map(([itemId, v]) => ({ itemId, title: itemTitle(itemId), ...v })),
    top,
  });
  return { filename: `存量政策清理情况报告-${batch.name}.docx`, docx };
}
