/**
 * The statistics overview (GET /api/v1/stats/overview) as pure functions over plain arrays. The route selects the
 * period and department with `$match` and fetches either plain documents (projected to the fields below) or
 * `$group`+`$sum` rows; everything else is computed here, so both stores give the same figures.
 *
 * Every figure is about exactly the rows passed in; which rows belong to a period is the route's `$match`.
 * Count tables list every known key in canonical order, zeros included, then any unknown key found in the data.
 */
import type { Complaint, ComplaintState } from './complaint';
import { COMPLAINT_STATES } from './complaint';
import { activeDeadlineKind } from './complaintWorkflow';
import { CONCLUSION_OUTCOMES, POLICY_STATES, type ConclusionOutcome, type Policy, type PolicyState } from './policy';
import type { SpotCheck } from './spotCheck';

const MS_PER_DAY = 86_400_000;

export interface CountRow {
  key: string;
  count: number;
}

// ---------- generic figures ----------

/** Rows for `known` keys in that order (zeros included), then unknown keys in order of first appearance. */
export function countBy(known: readonly string[], values: readonly string[]): CountRow[] {
  const counts = new Map<string, number>(known.map((key) => [key, 0]));
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([key, count]) => ({ key, count }));
}

/** The middle value; for an even count, the mean of the two middle values. null for no values. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. null for none. */
export function percentileNearestRank(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100]: ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1] as number;
}

export interface Rate {
  numerator: number;
  denominator: number;
  /** numerator / denominator, in [0, 1]; null when the denominator is 0 */
  rate: number | null;
}

export function rate(numerator: number, denominator: number): Rate {
  return { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator };
}

// ---------- policies ----------

/** What the overview needs of one policy; `policyFacts` derives it from a stored Policy. */
export interface PolicyFacts {
  state: PolicyState;
  /** the current conclusion's outcome; null before a conclusion (and again once a recheck resumes review) */
  conclusion: ConclusionOutcome | null;
  /** review turnaround of the current conclusion in ms (see `reviewTurnaroundMs`); null when not concluded */
  turnaroundMs: number | null;
  /** deadline of the running joint review or third-party evaluation (ISO instant), else null */
  runningDeadline: string | null;
}

/**
 * Review turnaround: from the event that (last) put the policy into self-review before its latest `conclude`
 * event — `start_review`, or `resume_after_recheck` for a re-review — to that `conclude` event. Time spent in
 * joint review and third-party evaluation counts; time as a draft before review starts does not.
 */
export function reviewTurnaroundMs(events: Policy['events']): number | null {
  const concludeIndex = events.map((e) => e.action).lastIndexOf('conclude');
  if (concludeIndex < 0) return null;
  const starts = events.slice(0, concludeIndex).filter((e) => e.action === 'start_review' || e.action === 'resume_after_recheck');
  const start = starts.at(-1);
  if (!start) return null;
  return Date.parse((events[concludeIndex] as Policy['events'][number]).at) - Date.parse(start.at);
}

export function policyFacts(policy: Pick<Policy, 'state' | 'conclusion' | 'events' | 'jointReview' | 'evaluations'>): PolicyFacts {
  const running =
    policy.state === 'joint_review'
      ? policy.jointReview?.deadline
      : policy.state === 'third_party_evaluation'
        ? policy.evaluations.find((e) => e.status === 'requested')?.deadline
        : undefined;
  return {
    state: policy.state,
    conclusion: policy.conclusion?.outcome ?? null,
    turnaroundMs: policy.conclusion ? reviewTurnaroundMs(policy.events) : null,
    runningDeadline: running ?? null,
  };
}

export function policiesByState(policies: readonly Pick<PolicyFacts, 'state'>[]): CountRow[] {
  return countBy(POLICY_STATES, policies.map((p) => p.state));
}

/** Policies that currently carry a conclusion, by its outcome. */
export function policiesByConclusion(policies: readonly Pick<PolicyFacts, 'conclusion'>[]): CountRow[] {
  return countBy(CONCLUSION_OUTCOMES, policies.flatMap((p) => (p.conclusion ? [p.conclusion] : [])));
}

/**
 * Revision rate: of the policies that carry a conclusion, the share concluded `compliant_after_revision`
 * (修改后出台: the draft had to be changed before it could be issued). A second uploaded version alone does not
 * count: drafts are re-uploaded for many reasons, the conclusion says whether review forced the change.
 */
export function revisionRate(policies: readonly Pick<PolicyFacts, 'conclusion'>[]): Rate {
  const concluded = policies.filter((p) => p.conclusion !== null);
  return rate(concluded.filter((p) => p.conclusion === 'compliant_after_revision').length, concluded.length);
}

export interface Turnaround {
  /** number of concluded reviews measured */
  reviews: number;
  /** in days (fractional, 24-hour days of elapsed time, not working days) */
  median: number | null;
  /** 90th percentile by nearest rank, in days */
  p90: number | null;
}

export function reviewTurnaround(policies: readonly Pick<PolicyFacts, 'turnaroundMs'>[]): Turnaround {
  const days = policies.flatMap((p) => (p.turnaroundMs === null ? [] : [p.turnaroundMs / MS_PER_DAY]));
  return { reviews: days.length, median: median(days), p90: percentileNearestRank(days, 90) };
}

/** Policies whose running joint review or third-party evaluation is past its deadline at `now`. */
export function overdueReviews(policies: readonly Pick<PolicyFacts, 'runningDeadline'>[], now: Date): number {
  return policies.filter((p) => p.runningDeadline !== null && Date.parse(p.runningDeadline) < now.getTime()).length;
}

// ---------- findings ----------

/** One finding (count omitted) or a `$group` row of findings by item and status. */
export interface FindingRow {
  itemId: string;
  status?: 'open' | 'confirmed' | 'dismissed';
  count?: number;
}

export interface FlaggedItemRow {
  itemId: string;
  /** findings the engine raised for this checklist item, whatever their review status */
  findings: number;
  /** of which a reviewer confirmed */
  confirmed: number;
  /** of which a reviewer dismissed */
  dismissed: number;
}

/** Flagged items by checklist item, most flagged first (ties by item id). */
export function flaggedByItem(rows: readonly FindingRow[]): FlaggedItemRow[] {
  const byItem = new Map<string, FlaggedItemRow>();
  for (const row of rows) {
    const n = row.count ?? 1;
    const item = byItem.get(row.itemId) ?? { itemId: row.itemId, findings: 0, confirmed: 0, dismissed: 0 };
    item.findings += n;
    if (row.status === 'confirmed') item.confirmed += n;
    if (row.status === 'dismissed') item.dismissed += n;
    byItem.set(row.itemId, item);
  }
  return [...byItem.values()].sort((a, b) => b.findings - a.findings || (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
}

/**
 * The same table from three single-accumulator sums per item (FerretDB v1 computes only the first accumulator of
 * a `$group`, so the route asks for all findings, confirmed ones and dismissed ones separately).
 */
export function flaggedFromSums(sums: {
  findings: ReadonlyMap<string, number>;
  confirmed: ReadonlyMap<string, number>;
  dismissed: ReadonlyMap<string, number>;
}): FlaggedItemRow[] {
  return flaggedByItem(
    [...sums.findings].flatMap(([itemId, findings]) => {
      const confirmed = sums.confirmed.get(itemId) ?? 0;
      const dismissed = sums.dismissed.get(itemId) ?? 0;
      return [
        { itemId, status: 'confirmed' as const, count: confirmed },
        { itemId, status: 'dismissed' as const, count: dismissed },
        { itemId, status: 'open' as const, count: findings - confirmed - dismissed },
      ];
    }),
  );
}

// ---------- complaints ----------

export type ComplaintFacts = Pick<Complaint, 'state' | 'deadlines'>;

export function complaintsByState(complaints: readonly Pick<Complaint, 'state'>[]): CountRow[] {
  return countBy(COMPLAINT_STATES, complaints.map((c) => c.state as ComplaintState));
}

/**
 * Complaints whose running deadline has passed at `now`: the verification deadline while accepted or
 * verifying, the supplement deadline while waiting for a supplement (a lapse the job has not yet recorded).
 * Computed from the deadlines, not the `overdue` flag, so the figure is right even when the job runs late.
 */
export function overdueComplaints(complaints: readonly ComplaintFacts[], now: Date): number {
  return complaints.filter((c) => {
    const kind = activeDeadlineKind(c.state);
    const deadline = kind ? c.deadlines[kind] : undefined;
    return deadline !== undefined && Date.parse(deadline.dueAt) < now.getTime();
  }).length;
}

// ---------- spot checks ----------

export interface SpotCheckFigures {
  /** drawn policies with a recorded result */
  checked: number;
  withProblems: number;
  /** withProblems / checked; policies still awaiting a result are left out; null when none is checked */
  problemRate: number | null;
}

export function spotCheckProblemRate(spotChecks: readonly Pick<SpotCheck, 'entries'>[]): SpotCheckFigures {
  const results = spotChecks.flatMap((s) => s.entries.flatMap((e) => (e.result ? [e.result.outcome] : [])));
  const withProblems = results.filter((outcome) => outcome === 'problem').length;
  return { checked: results.length, withProblems, problemRate: rate(withProblems, results.length).rate };
}

// ---------- the overview ----------

export interface OverviewInput {
  policies: readonly PolicyFacts[];
  findings: readonly FindingRow[];
  complaints: readonly ComplaintFacts[];
  spotChecks: readonly Pick<SpotCheck, 'entries'>[];
  now: Date;
}

export interface Overview {
  policies: { total: number; byState: CountRow[]; byConclusion: CountRow[] };
  flaggedItems: FlaggedItemRow[];
  revisionRate: Rate;
  turnaroundDays: Turnaround;
  complaints: { total: number; byState: CountRow[] };
  overdue: { complaints: number; reviews: number };
  spotChecks: SpotCheckFigures;
}

export function computeOverview({ policies, findings, complaints, spotChecks, now }: OverviewInput): Overview {
  return overviewOf(policyFigures(policies, findings), overdueReviews(policies, now), { complaints, spotChecks, now });
}

/** The figures about policies that do not change with time (so they can be kept until a policy changes). */
export type PolicyFigures = Pick<Overview, 'policies' | 'flaggedItems' | 'revisionRate' | 'turnaroundDays'>;

export function policyFigures(policies: readonly PolicyFacts[], findings: readonly FindingRow[]): PolicyFigures {
  return {
    policies: { total: policies.length, byState: policiesByState(policies), byConclusion: policiesByConclusion(policies) },
    flaggedItems: flaggedByItem(findings),
    revisionRate: revisionRate(policies),
    turnaroundDays: reviewTurnaround(policies),
  };
}

/** The overview from its policy figures, the policies' overdue reviews at `now`, and the complaints and spot checks. */
export function overviewOf(figures: PolicyFigures, overdueReviewCount: number, { complaints, spotChecks, now }: Omit<OverviewInput, 'policies' | 'findings'>): Overview {
  return {
    ...figures,
    complaints: { total: complaints.length, byState: complaintsByState(complaints) },
    overdue: { complaints: overdueComplaints(complaints, now), reviews: overdueReviewCount },
    spotChecks: spotCheckProblemRate(spotChecks),
  };
}
