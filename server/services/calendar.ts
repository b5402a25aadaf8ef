/**
 * The working-day calendar deadlines are counted on: the years an administrator loaded (stored), else the
 * schedules built into the code (2025, 2026), else Monday–Friday — a deadline touching such a year is marked
 * provisional (暂按周一至周五计算). Administrators load or replace a year's schedule here; the provisional deadlines of
 * running complaints are then counted again on it.
 */
import { CN_HOLIDAY_SCHEDULES, type HolidaySchedule } from '../domain/calendars/cn-holidays';
import { ForbiddenError, ValidationError } from '../domain/errors';
import { scheduleProblems, toHolidaySchedule, type ScheduleInput } from '../domain/holidaySchedule';
import { manageCalendarRefusal } from '../domain/permissions/accounts';
import type { Actor } from '../domain/roles';
import { buildCalendar, type WorkingDayCalendar } from '../domain/workingDays';
import { recountProvisionalDeadlines } from './deadlineRecount';
import type { ServiceDeps } from './deps';

type Deps = Pick<ServiceDeps, 'models' | 'clock' | 'queues' | 'logger'>;

interface YearEntry { year: number; source: 'loaded' | 'built_in'; schedule: HolidaySchedule; loadedBy?: string; loadedAt?: string }

/** Every year with a schedule: a loaded one replaces the built-in one of its year. */
async function scheduleYears(deps: Pick<Deps, 'models'>): Promise<YearEntry[]> {
  const stored = await deps.models.HolidaySchedule.find({}).lean();
  const byYear = new Map<number, YearEntry>(CN_HOLIDAY_SCHEDULES.map((s) => [s.year, { year: s.year, source: 'built_in', schedule: s }]));
  for (const s of stored) {
    byYear.set(s._id, { year: s._id, source: 'loaded', schedule: toHolidaySchedule(s._id, { notice: s.notice, periods: s.periods }), loadedBy: s.loadedBy, loadedAt: s.loadedAt });
  }
  return [...byYear.values()].sort((a, b) => a.year - b.year);
}

/** The calendar to count deadlines on now. */
export async function workingDayCalendar(deps: Pick<Deps, 'models'>): Promise<WorkingDayCalendar> {
  return buildCalendar((await scheduleYears(deps)).map((y) => y.schedule));
}

/** The years with an official schedule, each with its holidays (for the calendar screen). */
export async function listCalendarYears(deps: Pick<Deps, 'models'>) {
  const years = await scheduleYears(deps);
  return {
    items: years.map((y) => ({ year: y.year, source: y.source, notice: y.schedule.notice, periods: y.schedule.periods, loadedBy: y.loadedBy ?? null, loadedAt: y.loadedAt ?? null })),
    note: '未载入放假安排的年份暂按周一至周五计算工作日，涉及这些年份的期限标为“暂按周一至周五计算”',
  };
}

/** Loads (or replaces) a year's official schedule, refused whole when any date is wrong; recounts provisional deadlines. */
export async function loadCalendarYear(deps: Deps, actor: Actor, year: number, input: ScheduleInput) {
  const refusal = manageCalendarRefusal(actor);
  if (refusal) throw new ForbiddenError('forbidden', refusal);
  const problems = scheduleProblems(year, input);
  if (problems.length) {
    throw new ValidationError('invalid_schedule', `${year} 年放假安排有误：${problems.map((p) => p.message).join('；')}`, {
      issues: problems.map((p) => ({ path: `body.${p.path}`, message: p.message })),
    });
  }
  const loadedAt = deps.clock().toISOString();
  await deps.models.HolidaySchedule.updateOne(
    { _id: year },
    { $set: { notice: input.notice, periods: input.periods, loadedBy: actor.id, loadedAt } },
    { upsert: true },
  );
  const recountedDeadlines = await recountProvisionalDeadlines(deps, await workingDayCalendar(deps), deps.clock());
  return { year, source: 'loaded' as const, notice: input.notice, periods: input.periods, loadedBy: actor.id, loadedAt, recountedDeadlines };
}
