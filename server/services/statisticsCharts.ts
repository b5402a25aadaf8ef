/**
 * Use case: the figures the statistics page charts (GET /api/v1/stats/charts), for the same period and department
 * as the overview: monthly trend, policies by drafting department, complaint outcomes and time limits, and
 * on-time completion and satisfaction per handler and unit. Policies are counted from the summaries each process
 * holds (server/db/policyDirectory.ts), complaints with plain finds; the figures are computed by
 * server/domain/supervisionCharts.ts, so both stores agree.
 *
 * What belongs to the period is what the overview counts: policies registered in it, complaints received in it
 * (with a department, only those about one of its policies).
 */
import mongoose from 'mongoose';
import type { Complaint } from '../domain/complaint';
import { replyOutcome } from '../domain/complaint';
import type { PolicySummary } from '../domain/policySummary';
import {
  addMonthly,
  byDepartment,
  complaintDeadlines,
  complaintOutcomes,
  decidedAt,
  handlingFigures,
  monthlyTrend,
  monthsBetween,
  type ChartComplaint,
  type ChartPolicy,
  type DeadlineFigures,
  type DepartmentRow,
  type HandlingRow,
  type MonthRow,
} from '../domain/supervisionCharts';
import type { CountRow } from '../domain/statistics';
import type { Models } from '../db/models/index';
import { periodBounds, type OverviewParams } from '../db/overview';
import { policyDirectoryFor } from '../db/policyDirectory';
import { responsibleByUser } from './complaintLedger';

export interface ChartFigures {
  period: { from: string | null; to: string | null };
  departmentId: string | null;
  monthly: MonthRow[];
  byDepartment: DepartmentRow[];
  complaintOutcomes: CountRow[];
  complaintDeadlines: DeadlineFigures;
  /** 限时办结 and 满意度 per handler and per unit */
  handling: { handlers: HandlingRow[]; units: HandlingRow[] };
  generatedAt: string;
}

type ComplaintRow = Pick<Complaint, 'receivedAt' | 'state' | 'notAccepted' | 'finding' | 'deadlines' | 'events' | 'assigneeId' | 'rating'> & { _id: unknown };

const within = (instant: string | null | undefined, bounds: { from: string | null; to: string | null }) =>
  !!instant && (bounds.from === null || instant >= bounds.from) && (bounds.to === null || instant <= bounds.to);

function chartPolicy(s: PolicySummary): ChartPolicy {
  return { departmentId: s.draftingDepartmentId, registeredAt: s.registeredAt || null, concludedAt: s.concludedAt, state: s.state };
}

export function chartComplaint(c: ComplaintRow): ChartComplaint {
  return {
    receivedAt: c.receivedAt,
    state: c.state,
    outcome: replyOutcome(c),
    decidedAt: decidedAt(c.events),
    verificationDueAt: c.deadlines?.verification?.dueAt ?? null,
    assigneeId: c.assigneeId ?? null,
    rating: c.rating?.grade ?? null,
  };
}

export async function loadChartFigures(models: Models, params: OverviewParams, now: Date): Promise<ChartFigures> {
  const bounds = periodBounds(params);
  const months = monthsBetween(bounds.from, bounds.to, now);
  const directory = policyDirectoryFor(models);
  const [departments] = await Promise.all([
    models.Department.find({ kind: 'drafting', ...(params.departmentId ? { _id: params.departmentId } : {}) }, { name: 1 }).sort({ name: 1 }).lean(),
    directory.sync(),
  ]);
  const departmentRows = departments.map((d) => ({ id: String(d._id), name: d.name }));
  // The policies' figures come from the summaries in memory, computed once per change of them.
  const fromPolicies = directory.derive(`charts:${JSON.stringify([params.departmentId, bounds, months, departmentRows])}`, (summaries) => {
    const ofDepartment = [...summaries].filter((s) => !params.departmentId || s.draftingDepartmentId === params.departmentId);
    const policies = ofDepartment.filter((s) => within(s.registeredAt, bounds)).map(chartPolicy);
    return {
      monthly: monthlyTrend(months, policies, []),
      byDepartment: byDepartment(departmentRows, policies),
      departmentPolicyIds: ofDepartment.map((s) => s.id),
    };
  });

  const complaintFilter: Record<string, unknown> = {};
  const range = { ...(bounds.from ? { $gte: bounds.from } : {}), ...(bounds.to ? { $lte: bounds.to } : {}) };
  if (Object.keys(range).length) complaintFilter.receivedAt = mongoose.trusted(range);
  if (params.departmentId) complaintFilter['target.policyId'] = mongoose.trusted({ $in: fromPolicies.departmentPolicyIds });
  const complaints = (await models.Complaint.find(complaintFilter, { receivedAt: 1, state: 1, notAccepted: 1, finding: 1, deadlines: 1, assigneeId: 1, rating: 1, 'events.to': 1, 'events.at': 1 }).lean<ComplaintRow[]>())
    .map(chartComplaint);

  return {
    period: bounds,
    departmentId: params.departmentId ?? null,
    monthly: addMonthly(fromPolicies.monthly, monthlyTrend(months, [], complaints)),
    byDepartment: fromPolicies.byDepartment,
    complaintOutcomes: complaintOutcomes(complaints),
    complaintDeadlines: complaintDeadlines(complaints, now),
    handling: handlingFigures(complaints, await responsibleByUser(models, complaints.flatMap((c) => (c.assigneeId ? [c.assigneeId] : []))), now),
    generatedAt: now.toISOString(),
  };
}
