/**
 * One screened document of a batch: the suggested disposition (保留 / 修订 / 废止 / 需人工判断) with its reason,
 * the risk it is ranked by, a reviewer's confirm / dismiss, and the policy record in `recheck` a confirmed one
 * becomes. Pure: everything is returned as data.
 *
 * A document is one distinct content (sha256) in a batch; every path it was found under is kept, so duplicates
 * are screened once and listed together.
 */
import { ConflictError, ValidationError } from './errors';
import { sealEvent } from './eventChain';
import { failMissing } from './guards';
import type { ChecklistItemId, IssuingLevel, Policy, PolicyKind } from './policy';
import type { Actor } from './roles';

export const DOCUMENT_STATUSES = ['queued', 'screened', 'failed', 'cancelled'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const DISPOSITIONS = ['abolish', 'revise', 'manual', 'keep'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export const DOCUMENT_REVIEWS = ['pending', 'confirmed', 'dismissed'] as const;
export type DocumentReview = (typeof DOCUMENT_REVIEWS)[number];

/** A flagged clause as the screening keeps it (the analyser's finding at the `screen` operating point). */
export interface ScreenedClause {
  path: string;
  text: string;
  start: number;
  end: number;
  itemId: ChecklistItemId;
  subItemId?: string;
  score: number;
  evidence: string[];
  basis: string;
  explanation: string;
  suggestion: string;
  page?: number;
}

/** What screening one file gives, before it is stored: a readable document with its clauses, or why not. */
export type ScreeningOutcome =
  | { status: 'screened'; format: 'docx' | 'pdf' | 'txt'; chars: number; checklistVersion: string; operatingPoint: string; clauses: ScreenedClause[] }
  | { status: 'failed'; errorCode: string; error: string };

export interface DispositionSuggestion {
  disposition: Disposition;
  reason: string;
  /** the highest clause score (0 when none) */
  maxScore: number;
  /** distinct items flagged, most frequent first */
  items: ChecklistItemId[];
  /** what the results are sorted by, highest first: the disposition's rank plus the highest score */
  risk: number;
}

/** A clause at least this likely counts as a clear finding; below it, a person should look. */
export const CLEAR_SCORE = 0.8;
/**
 * A measure whose restrictions run through it is cleaned up by abolishing it (条例 and the 存量清理 practice:
 * 废止 what cannot stand, 修订 what a change of some clauses can fix): several clear clauses on more than one
 * item, or flagged text making up a large share of the document.
 */
export const ABOLISH_MIN_CLEAR_CLAUSES = 3;
export const ABOLISH_MIN_ITEMS = 2;
export const ABOLISH_FLAGGED_SHARE = 0.25;
/** Less text than this is most likely a scan, a cover page or an attachment list: it needs a person. */
export const MIN_READABLE_CHARS = 60;

const RANK: Readonly<Record<Disposition, number>> = { abolish: 3, revise: 2, manual: 1, keep: 0 };

/** `itemName` turns an item id into the short name the reason quotes (the rulebook's title). */
export function suggestDisposition(outcome: ScreeningOutcome, itemName: (id: ChecklistItemId) => string = (id) => id): DispositionSuggestion {
  if (outcome.status === 'failed') {
    return { disposition: 'manual', reason: `文件无法读取（${outcome.error}），需人工查看原件`, maxScore: 0, items: [], risk: RANK.manual };
  }
  const clauses = outcome.clauses;
  const maxScore = clauses.reduce((max, c) => Math.max(max, c.score), 0);
  const items = itemsByFrequency(clauses);
  const suggest = (disposition: Disposition, reason: string): DispositionSuggestion => ({ disposition, reason, maxScore, items, risk: RANK[disposition] + maxScore });
  const named = (ids: readonly ChecklistItemId[]) => ids.slice(0, 3).map(itemName).join('、') + (ids.length > 3 ? `等 ${ids.length} 项` : '');

  if (clauses.length === 0) {
    if (outcome.chars < MIN_READABLE_CHARS) return suggest('manual', `正文仅 ${outcome.chars} 字，可能为扫描件或附件，需人工查看原件`);
    return suggest('keep', '未发现排除、限制竞争的条款');
  }
  const clear = clauses.filter((c) => c.score >= CLEAR_SCORE);
  const clearItems = itemsByFrequency(clear);
  const flaggedShare = flaggedChars(clauses) / Math.max(1, outcome.chars);
  if ((clear.length >= ABOLISH_MIN_CLEAR_CLAUSES && clearItems.length >= ABOLISH_MIN_ITEMS) || (clear.length > 0 && flaggedShare >= ABOLISH_FLAGGED_SHARE)) {
    return suggest('abolish', `${clear.length} 处条款明显涉及${named(clearItems)}，限制竞争的内容贯穿全文（占正文 ${Math.round(flaggedShare * 100)}%），建议废止`);
  }
  if (clear.length > 0) {
    return suggest('revise', `${clear.length} 处条款涉及${named(clearItems)}，修改这些条款即可消除影响，建议修订`);
  }
  return suggest('manual', `${clauses.length} 处条款疑似涉及${named(items)}，但把握不高（最高 ${maxScore.toFixed(2)}），需人工判断`);
}

function itemsByFrequency(clauses: readonly ScreenedClause[]): ChecklistItemId[] {
  const counts = new Map<ChecklistItemId, number>();
  for (const c of clauses) counts.set(c.itemId, (counts.get(c.itemId) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([id]) => id);
}

/** Characters covered by flagged clauses, each span once (several items may flag one sentence). */
function flaggedChars(clauses: readonly ScreenedClause[]): number {
  const spans = [...clauses].sort((a, b) => a.start - b.start);
  let covered = 0;
  let reach = 0;
  for (const { start, end } of spans) {
    const from = Math.max(start, reach);
    if (end > from) covered += end - from;
    reach = Math.max(reach, end);
  }
  return covered;
}

/** Typical endings of an issuing body's name (市商务局, 区发展改革委, 县人民政府办公室…). */
const DEPARTMENT_NAME = /(局|委|委员会|办|办公室|厅|院|政府|部|处|署|中心|管委会|集团)$/;

/**
 * The department a file belongs to, from the folders it was found in (the usual way stock is handed over:
 * one folder per issuing department, perhaps under a common root and year folders): the first folder that is
 * named like an issuing body, else the top folder, else none.
 */
export function departmentOfPath(path: string): string {
  const folders = path.split('/').slice(0, -1).map((f) => f.trim()).filter(Boolean);
  return folders.find((f) => DEPARTMENT_NAME.test(f)) ?? folders[0] ?? '';
}

/** The stored document as the review decisions read it. */
export interface ScreenedDocumentState {
  id: string;
  status: DocumentStatus;
  clauseCount: number;
  review: { status: DocumentReview };
  recheckPolicyId: string | null;
}

export interface ReviewCommand {
  decision: 'confirm' | 'dismiss';
  reason?: string;
}

export interface ReviewChange {
  /** the update applies only while the document is still as read */
  expected: { status: DocumentStatus; review: DocumentReview };
  review: { status: Exclude<DocumentReview, 'pending'>; reason: string; by: string; byUsername: string; at: string };
}

/** Confirm or dismiss a flagged document; may be changed until the document has become a policy record. */
export function decideDocumentReview(doc: ScreenedDocumentState, actor: Actor, command: ReviewCommand, now: Date): ReviewChange {
  if (doc.status !== 'screened') throw new ConflictError('not_screened', '该文件尚未完成筛查或无法读取，不能确认或排除');
  if (doc.clauseCount === 0) throw new ConflictError('nothing_flagged', '该文件未发现问题条款，无需确认或排除');
  if (doc.recheckPolicyId) throw new ConflictError('recheck_policy_created', '该文件已转为复查政策措施，不能再更改结论');
  const reason = (command.reason ?? '').trim();
  if (command.decision === 'dismiss' && !reason) failMissing('排除', ['reason']);
  if (reason.length > 2000) throw new ValidationError('invalid_command', 'reason：不超过 2000 字');
  return {
    expected: { status: doc.status, review: doc.review.status },
    review: { status: command.decision === 'confirm' ? 'confirmed' : 'dismissed', reason, by: actor.id, byUsername: actor.username, at: now.toISOString() },
  };
}

export interface RecheckPolicyInput {
  title: string;
  departmentId: string;
  kind: PolicyKind;
  issuingLevel: IssuingLevel;
  docNumber?: string;
  reason: string;
}

export interface StockFile {
  filename: string;
  mimeType: string;
  size: number;
  sha256: string;
  fileId: string;
}

/**
 * The policy record a confirmed document becomes: a measure already in force, registered straight into
 * `recheck` (复查) with the screened text as version 1 (analysed) and one `create` event that says where it came
 * from. From there the usual workflow applies: revise (upload a new version), close the recheck, or abolish.
 */
export function stockPolicyForRecheck(
  doc: ScreenedDocumentState & { review: { status: DocumentReview } },
  actor: Actor,
  input: RecheckPolicyInput,
  file: StockFile,
  analysis: { checklistVersion: string; findings: number },
  now: Date,
): Omit<Policy, 'id'> {
  if (doc.review.status !== 'confirmed') throw new ConflictError('not_confirmed', '只有已确认存在问题的文件才能转为复查政策措施');
  if (!input.title.trim()) failMissing('转为复查政策措施', ['title']);
  if (!input.reason.trim()) failMissing('转为复查政策措施', ['reason']);
  const at = now.toISOString();
  const event = sealEvent(
    {
      actor: { id: actor.id, username: actor.username },
      action: 'create',
      from: null,
      to: 'recheck',
      at,
      comment: input.reason.trim(),
      data: { title: input.title.trim(), source: 'stock_screening', screeningDocumentId: doc.id },
    },
    [],
  );
  return {
    title: input.title.trim(),
    docNumber: input.docNumber?.trim() || null,
    kind: input.kind,
    issuingLevel: input.issuingLevel,
    industries: [],
    draftingDepartmentId: input.departmentId,
    createdBy: actor.id,
    state: 'recheck',
    rev: 0,
    versions: [
      {
        n: 1,
        fileId: file.fileId,
        filename: file.filename,
        mimeType: file.mimeType,
        size: file.size,
        sha256: file.sha256,
        uploadedBy: actor.id,
        uploadedAt: at,
        analysis: {
          status: 'analysed',
          progress: 100,
          checklistVersion: analysis.checklistVersion,
          findingCounts: { total: analysis.findings, open: analysis.findings, confirmed: 0, dismissed: 0 },
          startedAt: at,
          finishedAt: at,
        },
      },
    ],
    selfReview: null,
    jointReview: null,
    evaluations: [],
    conclusion: null,
    publication: null,
    recheck: { reason: input.reason.trim(), source: 'stock_screening', refId: doc.id, openedBy: actor.id, openedAt: at },
    events: [event],
  };
}
