/**
 * The policy list's read model: one small summary per policy with the list columns, what visibility is decided on,
 * and what the statistics overview counts. Derived from the policy (and its latest analysed version's findings)
 * by `summarizePolicy`; lists, filters, sorting and statistics then work on summaries only.
 */
import { reviewTurnaroundMs, policyFacts, type FindingRow, type PolicyFacts } from './statistics';
import { latestVersion, type AnalysisStatus, type ConclusionOutcome, type Policy, type PolicyState } from './policy';
import type { Actor } from './roles';
import { canRead, readScope } from './visibility';
import { endOfShanghaiDay } from './workingDays';

/** The findings of one checklist item in a version, by reviewer decision. */
export interface FindingTally {
  itemId: string;
  open: number;
  confirmed: number;
  dismissed: number;
}

/** The policy's own list columns, as the policy holds them. */
type PolicyColumns = Pick<
  Policy,
  'id' | 'title' | 'docNumber' | 'kind' | 'issuingLevel' | 'industries' | 'draftingDepartmentId' | 'state' | 'rev'
>;

export interface PolicySummary extends PolicyColumns {
  draftingDepartmentName: string;
  latestVersion: { n: number; filename: string | null; status: AnalysisStatus; progress: number } | null;
  /** findings of the latest version nobody has decided on yet */
  openFindings: number;
  outcome: ConclusionOutcome | null;
  publishedOn: string | null;
  /** deadline of the running joint review or third-party evaluation (ISO instant), else null */
  deadline: string | null;
  /** ISO instant of the last change to the policy */
  updatedAt: string;
  /** ISO instant of its `create` event */
  registeredAt: string;
  /** ISO instant of every `conclude` event (the statistics charts count conclusions per month) */
  concludedAt: string[];
  /** review turnaround of the current conclusion (ms), see statistics.reviewTurnaroundMs */
  turnaroundMs: number | null;
  /** what visibility is decided on (visibility.ts), in the shape `canRead` reads */
  jointReview: { members: string[] } | null;
  evaluations: Array<{ evaluatorId: string }>;
  publication: { publishedOn: string | null } | null;
  /** which findings `findingsByItem` counts: the latest analysed version and its decision counts */
  findingsKey: string;
  /** the latest analysed version's findings per checklist item (what the statistics overview counts) */
  findingsByItem: FindingTally[];
}

/** The latest analysed version and its decision counts: when this changes, the findings must be counted again. */
export function findingsKey(policy: Pick<Policy, 'versions'>): string {
  const analysed = policy.versions.filter((v) => v.analysis?.status === 'analysed');
  const latest = analysed.reduce<(typeof analysed)[number] | undefined>((a, v) => (!a || v.n > a.n ? v : a), undefined);
  if (!latest) return '';
  const c = latest.analysis.findingCounts;
  return `${latest.n}:${c ? `${c.total}/${c.open}/${c.confirmed}/${c.dismissed}` : ''}`;
}

/** The version whose findings the statistics count: the latest analysed one. */
export function latestAnalysedVersion(policy: Pick<Policy, 'versions'>): number | null {
  const analysed = policy.versions.filter((v) => v.analysis?.status === 'analysed').map((v) => v.n);
  return analysed.length > 0 ? Math.max(...analysed) : null;
}

/** Per-item tallies from the findings' item and decision status. */
export function tallyFindings(findings: ReadonlyArray<{ itemId: string; status: 'pending' | 'confirmed' | 'dismissed' }>): FindingTally[] {
  const byItem = new Map<string, FindingTally>();
  for (const f of findings) {
    const tally = byItem.get(f.itemId) ?? { itemId: f.itemId, open: 0, confirmed: 0, dismissed: 0 };
    if (f.status === 'confirmed') tally.confirmed++;
    else if (f.status === 'dismissed') tally.dismissed++;
    else tally.open++;
    byItem.set(f.itemId, tally);
  }
  return [...byItem.values()].sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
}

export interface SummaryContext {
  /** the drafting department's name (departments are never renamed: they are set up with the system) */
  departmentName: string;
  /** the store's last-change time of the policy */
  updatedAt: Date | string | undefined;
  /** the store's creation time, when the history has no `create` event */
  createdAt: Date | string | undefined;
}

const iso = (value: Date | string | undefined) => (value === undefined ? undefined : new Date(value).toISOString());

export function summarizePolicy(policy: Policy, context: SummaryContext, findingsByItem: FindingTally[]): PolicySummary {
  const latest = latestVersion(policy);
  const facts = policyFacts(policy);
  const registeredAt = policy.events.find((e) => e.action === 'create')?.at ?? iso(context.createdAt) ?? '';
  return {
    id: policy.id,
    title: policy.title,
    docNumber: policy.docNumber ?? null,
    kind: policy.kind,
    issuingLevel: policy.issuingLevel,
    industries: [...(policy.industries ?? [])],
    draftingDepartmentId: policy.draftingDepartmentId,
    draftingDepartmentName: context.departmentName,
    state: policy.state,
    rev: policy.rev,
    latestVersion: latest ? { n: latest.n, filename: latest.filename ?? null, status: latest.analysis.status, progress: latest.analysis.progress ?? 0 } : null,
    openFindings: latest?.analysis.findingCounts?.open ?? 0,
    outcome: policy.conclusion?.outcome ?? null,
    publishedOn: policy.publication?.publishedOn ?? null,
    deadline: facts.runningDeadline,
    updatedAt: iso(context.updatedAt) ?? registeredAt,
    registeredAt,
    concludedAt: policy.events.filter((e) => e.action === 'conclude').map((e) => e.at),
    turnaroundMs: policy.conclusion ? reviewTurnaroundMs(policy.events) : null,
    jointReview: policy.jointReview ? { members: [...policy.jointReview.members] } : null,
    evaluations: policy.evaluations.flatMap((e) => (e.evaluatorId ? [{ evaluatorId: e.evaluatorId }] : [])),
    publication: policy.publication ? { publishedOn: policy.publication.publishedOn ?? null } : null,
    findingsKey: findingsKey(policy),
    findingsByItem,
  };
}

// ---------- the list ----------

export const POLICY_SORTS = ['updatedAt', 'deadline', 'title'] as const;
export type PolicySort = (typeof POLICY_SORTS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export interface PolicyListFilters {
  state?: PolicyState;
  department?: string;
  /** matched literally against the title and the document number */
  text?: string;
  hasOpenFindings?: boolean;
  /** 'YYYY-MM-DD' (to the end of that Shanghai day) or an ISO instant: a running deadline at or before it */
  deadlineBefore?: string;
}

function deadlineBound(value: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? endOfShanghaiDay(value).getTime() : Date.parse(value);
}

/**
 * The summaries a list request selects: what the actor may read, narrowed by the filters. `key` names the
 * selection: two requests with the same key select the same summaries (see `readScope`).
 */
export interface ListSelection {
  key: string;
  matches: (summary: PolicySummary) => boolean;
}

export function listSelection(actor: Actor, filters: PolicyListFilters): ListSelection {
  const text = filters.text?.trim();
  const bound = filters.deadlineBefore ? deadlineBound(filters.deadlineBefore) : undefined;
  const key = JSON.stringify([readScope(actor), filters.state, filters.department, text || undefined, filters.hasOpenFindings, bound]);
  return { key, matches: (s) =>
    canRead(s, actor) &&
    (filters.state === undefined || s.state === filters.state) &&
    (filters.department === undefined || s.draftingDepartmentId === filters.department) &&
    (!text || s.title.includes(text) || (s.docNumber ?? '').includes(text)) &&
    (filters.hasOpenFindings === undefined || (s.openFindings > 0) === filters.hasOpenFindings) &&
    (bound === undefined || (s.deadline !== null && Date.parse(s.deadline) <= bound)) };
}

const byId = (a: PolicySummary, b: PolicySummary) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const titles = new Intl.Collator('zh-CN');

/**
 * Ascending order for each sort key, ties by id (descending order is the same read backwards). Policies without a
 * running deadline sort after all with one, in both orders: `deadlineless` tells the list which rows those are.
 */
export const SORT_ORDER: Record<PolicySort, (a: PolicySummary, b: PolicySummary) => number> = {
  updatedAt: (a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : byId(a, b)),
  deadline: (a, b) => {
    if (a.deadline === b.deadline) return byId(a, b);
    if (a.deadline === null) return 1;
    if (b.deadline === null) return -1;
    return Date.parse(a.deadline) - Date.parse(b.deadline) || byId(a, b);
  },
  title: (a, b) => titles.compare(a.title, b.title) || byId(a, b),
};

export function deadlineless(sort: PolicySort, summary: PolicySummary): boolean {
  return sort === 'deadline' && summary.deadline === null;
}

// ---------- statistics ----------

/** The policies part of the statistics overview, from summaries. */
export function summaryFacts(summary: PolicySummary): PolicyFacts {
  return { state: summary.state, conclusion: summary.outcome, turnaroundMs: summary.turnaroundMs, runningDeadline: summary.deadline };
}

export function summaryFindingRows(summary: PolicySummary): FindingRow[] {
  return summary.findingsByItem.flatMap((t) => [
    { itemId: t.itemId, status: 'open' as const, count: t.open },
    { itemId: t.itemId, status: 'confirmed' as const, count: t.confirmed },
    { itemId: t.itemId, status: 'dismissed' as const, count: t.dismissed },
  ]).filter((row) => row.count > 0);
}
