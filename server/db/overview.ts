/**
 * Loads the rows of the statistics overview for a period and, optionally, one drafting department, and computes
 * it with the pure `computeOverview`. Shared by GET /api/v1/stats/overview and the `statistics` DOCX report.
 * Policies and their findings are counted from the summaries each process holds (policyDirectory.ts), once per
 * change of the summaries; complaints and spot checks are read with `$match`-style finds; everything is computed
 * here, so both stores agree.
 *
 * What belongs to the period:
 * - policies registered in it (their `create` event), with their current state, conclusion and turnaround;
 * - the findings of those policies' latest analysed version;
 * - complaints received in it; with a department, only those about one of its policies;
 * - spot checks started in it; with a department, only the drawn policies of that department.
 * Overdue counts are as of `now`.
 */
import mongoose from 'mongoose';
import type { Complaint } from '../domain/complaint';
import type { SpotCheck } from '../domain/spotCheck';
import { summaryFacts, summaryFindingRows } from '../domain/policySummary';
import { overdueReviews, overviewOf, policyFigures, type Overview } from '../domain/statistics';
import { endOfShanghaiDay, shanghaiInstant } from '../domain/workingDays';
import type { Models } from './models/index';
import { policyDirectoryFor } from './policyDirectory';

export interface OverviewParams {
  /** 'YYYY-MM-DD' (a Shanghai date, from its first moment) or an ISO instant; open-ended when absent */
  from?: string;
  /** 'YYYY-MM-DD' (to the last moment of that Shanghai date) or an ISO instant; open-ended when absent */
  to?: string;
  departmentId?: string;
}

/** Overview parameters from stored, untyped report parameters. */
export function statisticsParams(params: Record<string, unknown> = {}): OverviewParams {
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return { from: text(params.from), to: text(params.to), departmentId: text(params.departmentId) };
}

export interface OverviewResult extends Overview {
  period: { from: string | null; to: string | null };
  departmentId: string | null;
  generatedAt: string;
}

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The instants bounding the period, as ISO strings (stored timestamps compare correctly as strings). */
export function periodBounds(params: Pick<OverviewParams, 'from' | 'to'>): { from: string | null; to: string | null } {
  const at = (value: string | undefined, end: boolean) => {
    if (!value) return null;
    if (LOCAL_DATE.test(value)) return (end ? endOfShanghaiDay(value) : shanghaiInstant(value)).toISOString();
    return new Date(value).toISOString();
  };
  return { from: at(params.from, false), to: at(params.to, true) };
}

function inPeriod(instant: string | undefined, bounds: { from: string | null; to: string | null }): boolean {
  if (!instant) return false;
  return (bounds.from === null || instant >= bounds.from) && (bounds.to === null || instant <= bounds.to);
}

function rangeFilter(bounds: { from: string | null; to: string | null }) {
  const range = { ...(bounds.from ? { $gte: bounds.from } : {}), ...(bounds.to ? { $lte: bounds.to } : {}) };
  return Object.keys(range).length > 0 ? mongoose.trusted(range) : undefined;
}

export async function loadOverview(models: Models, params: OverviewParams, now: Date): Promise<OverviewResult> {
  const bounds = periodBounds(params);
  const directory = policyDirectoryFor(models);
  await directory.sync();
  const fromPolicies = directory.derive(`overview:${JSON.stringify([params.departmentId, bounds])}`, (summaries) => {
    const ofDepartment = [...summaries].filter((s) => !params.departmentId || s.draftingDepartmentId === params.departmentId);
    const policies = ofDepartment.filter((s) => inPeriod(s.registeredAt, bounds));
    const facts = policies.map(summaryFacts);
    return {
      figures: policyFigures(facts, policies.flatMap(summaryFindingRows)),
      // whether a running review is overdue depends on `now`: only these are looked at again per request
      running: facts.filter((f) => f.runningDeadline !== null),
      departmentPolicyIds: ofDepartment.map((s) => s.id),
    };
  });

  const complaintFilter: Record<string, unknown> = {};
  const received = rangeFilter(bounds);
  if (received) complaintFilter.receivedAt = received;
  if (params.departmentId) complaintFilter['target.policyId'] = mongoose.trusted({ $in: fromPolicies.departmentPolicyIds });
  const complaints = await models.Complaint.find(complaintFilter, { state: 1, deadlines: 1 }).lean<Array<Pick<Complaint, 'state' | 'deadlines'>>>();

  const spotCheckFilter: Record<string, unknown> = {};
  if (received) spotCheckFilter.createdAt = received;
  const spotChecks = (await models.SpotCheck.find(spotCheckFilter, { entries: 1 }).lean<Array<Pick<SpotCheck, 'entries'>>>()).map((s) => ({
    entries: params.departmentId ? s.entries.filter((e) => e.departmentId === params.departmentId) : s.entries,
  }));

  const overview = overviewOf(fromPolicies.figures, overdueReviews(fromPolicies.running, now), {
    complaints: complaints.map((c) => ({ state: c.state, deadlines: c.deadlines ?? {} })),
    spotChecks,
    now,
  });
  return { ...overview, period: bounds, departmentId: params.departmentId ?? null, generatedAt: now.toISOString() };
}
