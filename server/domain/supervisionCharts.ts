/**
 * The figures behind the statistics page's charts, as pure functions over plain facts (the loader in
 * server/services/statisticsCharts.ts selects the rows): the monthly trend of review and complaint work, policies
 * by drafting department, complaint outcomes, and how complaints kept their time limit (限时办结).
 *
 * Months are Shanghai calendar months ('2026-03'). A complaint is decided when it first reaches a decision
 * (violation confirmed, no violation, not accepted, transferred); it kept its time limit when that happened by the
 * end of its verification deadline. Only cases with a verification deadline (accepted ones) count for the limit.
 * Per handler and per unit (the handler's department): cases, the limit kept, and the reporters' ratings
 * (满意度 = the share of 好评 among the rated cases).
 */
import type { ComplaintState, RatingGrade, ReplyOutcome } from './complaint';
import { countBy, rate, type CountRow, type Rate } from './statistics';
import { shanghaiDateOf } from './workingDays';

export interface ChartPolicy {
  departmentId: string;
  /** when it was registered (its `create` event) */
  registeredAt: string | null;
  /** every `conclude` event's instant */
  concludedAt: string[];
  state: string;
}

export interface ChartComplaint {
  receivedAt: string;
  state: ComplaintState;
  outcome: ReplyOutcome | null;
  /** when the case first reached a decision; null while undecided */
  decidedAt: string | null;
  /** end of the verification deadline; null when the case never had one */
  verificationDueAt: string | null;
  assigneeId: string | null;
  /** the reporter's rating of the handling (好差评), if given */
  rating: RatingGrade | null;
}

export interface MonthRow {
  month: string;
  registered: number;
  concluded: number;
  complaintsReceived: number;
  complaintsDecided: number;
}

export interface DepartmentRow {
  departmentId: string;
  name: string;
  registered: number;
  concluded: number;
  inReview: number;
}

export interface DeadlineFigures {
  /** decided by the end of the verification deadline */
  onTime: number;
  /** decided after it */
  late: number;
  /** undecided, deadline still ahead */
  open: number;
  /** undecided, deadline passed */
  openOverdue: number;
  /** on time among the decided */
  onTimeRate: Rate;
}

export const COMPLAINT_OUTCOME_KEYS = ['violation_confirmed', 'no_violation', 'not_accepted', 'transferred', 'pending'] as const;
const DECISION_STATES: readonly ComplaintState[] = ['violation_confirmed', 'no_violation', 'not_accepted', 'transferred'];
const REVIEW_STATES = ['self_review', 'joint_review', 'third_party_evaluation', 'recheck'];
/** The most months a chart spans; a longer period shows its last 36 months. */
export const MAX_MONTHS = 36;

export const monthOf = (instant: string): string => shanghaiDateOf(new Date(instant)).slice(0, 7);

/** The first instant at which the case reached a decision, from its events. */
export function decidedAt(events: readonly { to: string; at: string }[]): string | null {
  return events.find((e) => (DECISION_STATES as readonly string[]).includes(e.to))?.at ?? null;
}

const monthIndex = (month: string) => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return year * 12 + m - 1;
};
const monthName = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

/** Months from the period's first to its last (by default the twelve months up to its end or `now`), oldest first. */
export function monthsBetween(from: string | null, to: string | null, now: Date): string[] {
  const last = monthIndex(monthOf(to ?? now.toISOString()));
  const first = Math.max(from ? monthIndex(monthOf(from)) : last - 11, last - MAX_MONTHS + 1);
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, k) => monthName(first + k));
}

export function monthlyTrend(months: readonly string[], policies: readonly ChartPolicy[], complaints: readonly ChartComplaint[]): MonthRow[] {
  const rows = new Map(months.map((month) => [month, { month, registered: 0, concluded: 0, complaintsReceived: 0, complaintsDecided: 0 }]));
  const add = (instant: string | null, key: Exclude<keyof MonthRow, 'month'>) => {
    const row = instant ? rows.get(monthOf(instant)) : undefined;
    if (row) row[key]++;
  };
  for (const p of policies) {
    add(p.registeredAt, 'registered');
    for (const at of p.concludedAt) add(at, 'concluded');
  }
  for (const c of complaints) {
    add(c.receivedAt, 'complaintsReceived');
    add(c.decidedAt, 'complaintsDecided');
  }
  return [...rows.values()];
}

/** Two monthly tables of the same months added up (the policies' columns and the complaints', computed apart). */
export function addMonthly(a: readonly MonthRow[], b: readonly MonthRow[]): MonthRow[] {
  return a.map((row, i) => {
    const other = b[i]!;
    return {
      month: row.month,
      registered: row.registered + other.registered,
      concluded: row.concluded + other.concluded,
      complaintsReceived: row.complaintsReceived + other.complaintsReceived,
      complaintsDecided: row.complaintsDecided + other.complaintsDecided,
    };
  });
}

/** Every drafting department in the given order (zeros included), then any other department a policy names. */
export function byDepartment(departments: readonly { id: string; name: string }[], policies: readonly ChartPolicy[]): DepartmentRow[] {
  const rows = new Map(departments.map((d) => [d.id, { departmentId: d.id, name: d.name, registered: 0, concluded: 0, inReview: 0 }]));
  for (const p of policies) {
    let row = rows.get(p.departmentId);
    if (!row) rows.set(p.departmentId, row = { departmentId: p.departmentId, name: '其他单位', registered: 0, concluded: 0, inReview: 0 });
    row.registered++;
    if (p.concludedAt.length > 0) row.concluded++;
    if (REVIEW_STATES.includes(p.state)) row.inReview++;
  }
  return [...rows.values()];
}

export function complaintOutcomes(complaints: readonly ChartComplaint[]): CountRow[] {
  return countBy(COMPLAINT_OUTCOME_KEYS, complaints.map((c) => c.outcome ?? 'pending'));
}

export function complaintDeadlines(complaints: readonly ChartComplaint[], now: Date): DeadlineFigures {
  const figures = { onTime: 0, late: 0, open: 0, openOverdue: 0 };
  for (const c of complaints) {
    if (!c.verificationDueAt) continue;
    if (c.decidedAt) figures[c.decidedAt <= c.verificationDueAt ? 'onTime' : 'late']++;
    else figures[now.toISOString() <= c.verificationDueAt ? 'open' : 'openOverdue']++;
  }
  return { ...figures, onTimeRate: rate(figures.onTime, figures.onTime + figures.late) };
}

export interface HandlingRow {
  /** the handler's user id (per handler), or the unit's name (per unit) */
  key: string;
  person: string;
  unit: string;
  cases: number;
  onTime: number;
  late: number;
  onTimeRate: Rate;
  good: number;
  fair: number;
  poor: number;
  /** 好评 among the rated cases */
  satisfaction: Rate;
}

function handlingRow(key: string, person: string, unit: string, complaints: readonly ChartComplaint[], now: Date): HandlingRow {
  const limits = complaintDeadlines(complaints, now);
  const count = (grade: RatingGrade) => complaints.filter((c) => c.rating === grade).length;
  const [good, fair, poor] = [count('good'), count('fair'), count('poor')];
  return { key, person, unit, cases: complaints.length, onTime: limits.onTime, late: limits.late, onTimeRate: limits.onTimeRate, good, fair, poor, satisfaction: rate(good, good + fair + poor) };
}

/** On-time completion and satisfaction per handler (assigned cases only) and per unit, busiest first. */
export function handlingFigures(complaints: readonly ChartComplaint[], responsible: ReadonlyMap<string, { person: string; unit: string }>, now: Date): { handlers: HandlingRow[]; units: HandlingRow[] } {
  const byHandler = new Map<string, ChartComplaint[]>();
  for (const c of complaints) if (c.assigneeId) byHandler.set(c.assigneeId, [...(byHandler.get(c.assigneeId) ?? []), c]);
  const byUnit = new Map<string, ChartComplaint[]>();
  const handlers = [...byHandler].map(([id, cases]) => {
    const who = responsible.get(id) ?? { person: '（已删除的账号）', unit: '' };
    byUnit.set(who.unit, [...(byUnit.get(who.unit) ?? []), ...cases]);
    return handlingRow(id, who.person, who.unit, cases, now);
  });
  const units = [...byUnit].map(([unit, cases]) => handlingRow(unit, '', unit, cases, now));
  const busiestFirst = (a: HandlingRow, b: HandlingRow) => b.cases - a.cases || a.key.localeCompare(b.key);
  return { handlers: handlers.sort(busiestFirst), units: units.sort(busiestFirst) };
}
