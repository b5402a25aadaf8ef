/**
 * Working-day arithmetic and the complaint deadlines of 办法38, on Asia/Shanghai calendar dates.
 *
 * Time zone: every date here is a local date in Asia/Shanghai ('YYYY-MM-DD'). China has had a fixed UTC+8
 * offset with no daylight saving since 1991, so conversion is a constant shift, not a tz database lookup.
 * A deadline on date D ends at the end of that local day: D 23:59:59.999 +08:00 (`dueAt`).
 * Stored instants are ISO 8601 UTC strings, like the rest of the domain: they sort correctly as strings.
 *
 * Counting: the day on which something happens is not counted (期间开始的日不计算在期间内), so
 * "7 working days from a request made on D" means the 7th working day after D.
 */
import { ValidationError } from './errors';
import { CN_HOLIDAY_SCHEDULES, type HolidaySchedule } from './calendars/cn-holidays';

/** A calendar date in Asia/Shanghai, formatted 'YYYY-MM-DD'. */
export type LocalDate = string;

export interface WorkingDayCalendar {
  /** Days off that would otherwise be working days, and every day of each holiday block. */
  readonly holidays: ReadonlySet<LocalDate>;
  /** Weekend days that are working days (调休上班日). */
  readonly adjustedWorkdays: ReadonlySet<LocalDate>;
  /** Years whose official schedule is loaded; other years fall back to Monday–Friday. */
  readonly years: ReadonlySet<number>;
}

const MS_PER_DAY = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// ---------- dates ----------

/** Days since 1970-01-01 for a local date; throws ValidationError on anything that is not a real date. */
export function toDayNumber(date: LocalDate): number {
  const match = LOCAL_DATE.exec(date);
  if (!match) throw new ValidationError('invalid_date', `日期格式应为 YYYY-MM-DD：${date}`, { date });
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  if (new Date(ms).getUTCDate() !== day) {
    throw new ValidationError('invalid_date', `日期不存在：${date}`, { date });
  }
  return ms / MS_PER_DAY;
}

export function fromDayNumber(dayNumber: number): LocalDate {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false;
  try {
    toDayNumber(value);
    return true;
  } catch {
    return false;
  }
}

export function addCalendarDays(date: LocalDate, days: number): LocalDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** The Asia/Shanghai date on which an instant falls. */
export function shanghaiDateOf(instant: Date): LocalDate {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of a local wall-clock time on a Shanghai date. */
export function shanghaiInstant(date: LocalDate, hour = 0, minute = 0): Date {
  return new Date(toDayNumber(date) * MS_PER_DAY + (hour * 60 + minute) * 60_000 - SHANGHAI_OFFSET_MS);
}

/** Last millisecond of a Shanghai date: a deadline on `date` is met by anything up to and including this. */
export function endOfShanghaiDay(date: LocalDate): Date {
  return new Date(shanghaiInstant(date).getTime() + MS_PER_DAY - 1);
}

function yearOf(date: LocalDate): number {
  return Number(date.slice(0, 4));
}

function isWeekend(date: LocalDate): boolean {
  const weekday = new Date(toDayNumber(date) * MS_PER_DAY).getUTCDay();
  return weekday === 0 || weekday === 6;
}

// ---------- calendar ----------

/** Expands the notices into day sets, refusing data that contradicts itself. */
export function buildCalendar(schedules: readonly HolidaySchedule[]): WorkingDayCalendar {
  const holidays = new Set<LocalDate>();
  const adjustedWorkdays = new Set<LocalDate>();
  const years = new Set<number>();
  for (const schedule of schedules) {
    years.add(schedule.year);
    for (const period of schedule.periods) {
      const [first, last] = [toDayNumber(period.from), toDayNumber(period.to)];
      if (last < first) throw new Error(`calendar: ${period.name} ${period.from} ends before it starts`);
      for (let day = first; day <= last; day++) holidays.add(fromDayNumber(day));
      for (const workday of period.adjustedWorkdays) {
        if (!isWeekend(workday)) throw new Error(`calendar: adjusted workday ${workday} is not a weekend day`);
        adjustedWorkdays.add(workday);
      }
    }
  }
  for (const day of adjustedWorkdays) {
    if (holidays.has(day)) throw new Error(`calendar: ${day} is both a holiday and a working day`);
  }
  return { holidays, adjustedWorkdays, years };
}

/** The official 2025–2026 schedule from `calendars/cn-holidays.ts`. */
export const CN_CALENDAR: WorkingDayCalendar = buildCalendar(CN_HOLIDAY_SCHEDULES);

export function isWorkingDay(date: LocalDate, calendar: WorkingDayCalendar): boolean {
  if (calendar.adjustedWorkdays.has(date)) return true;
  if (calendar.holidays.has(date)) return false;
  return !isWeekend(date);
}

/** Whether the official schedule is loaded for every year from `from` to `to`. */
export function calendarCovers(from: LocalDate, to: LocalDate, calendar: WorkingDayCalendar): boolean {
  const [low, high] = [yearOf(from), yearOf(to)].sort((a, b) => a - b) as [number, number];
  for (let year = low; year <= high; year++) if (!calendar.years.has(year)) return false;
  return true;
}

/**
 * The |n|-th working day after (n > 0) or before (n < 0) `date`; `date` itself is not counted.
 * n = 0 returns `date` unchanged, working day or not.
 */
export function addWorkingDays(date: LocalDate, n: number, calendar: WorkingDayCalendar): LocalDate {
  if (!Number.isInteger(n)) throw new ValidationError('invalid_day_count', `工作日数必须为整数：${n}`, { n });
  const step = n < 0 ? -1 : 1;
  let day = toDayNumber(date);
  for (let remaining = Math.abs(n); remaining > 0; ) {
    day += step;
    if (isWorkingDay(fromDayNumber(day), calendar)) remaining--;
  }
  return fromDayNumber(day);
}

/**
 * The signed number of working-day steps from `from` to `to`, so that
 * workingDaysBetween(d, addWorkingDays(d, n)) === n for every n ≠ 0:
 * forwards it counts working days in (from, to]; backwards, minus those in [to, from).
 */
export function workingDaysBetween(from: LocalDate, to: LocalDate, calendar: WorkingDayCalendar): number {
  const [start, end] = [toDayNumber(from), toDayNumber(to)];
  const [first, last, sign] = start <= end ? [start + 1, end, 1] : [end, start - 1, -1];
  let count = 0;
  for (let day = first; day <= last; day++) if (isWorkingDay(fromDayNumber(day), calendar)) count++;
  return sign * count;
}

// ---------- deadlines (办法37–38) ----------

/** 办法38: the reporter supplements an incomplete report within 7 working days (七个工作日). */
export const SUPPLEMENT_WORKING_DAYS = 7;
/** 办法38: verification concludes within 60 days (日) — calendar days — of a conforming report. */
export const VERIFICATION_CALENDAR_DAYS = 60;
/** The assignee is reminded this many working days before a deadline. */
export const REMINDER_WORKING_DAYS_BEFORE = 3;
/** Reminders go out at the start of office hours, not at midnight. */
export const REMINDER_LOCAL_HOUR = 9;

export type DeadlineUnit = 'working_days' | 'calendar_days' | 'fixed_date';

export interface Deadline {
  /** Shanghai date the period starts from (not itself counted). */
  startDate: LocalDate;
  unit: DeadlineUnit;
  /** Length of the period in `unit`; 0 for a fixed date set by an extension. */
  length: number;
  /** Last Shanghai date on which the deadline is met. */
  dueDate: LocalDate;
  /** End of `dueDate` in Shanghai as an ISO UTC instant: the deadline has passed once `now` is later. */
  dueAt: string;
  /** When the assignee is reminded (see reminderMoment), ISO UTC instant. */
  remindAt: string;
  /** True when a year between start and reminder/due date has no official schedule loaded yet. */
  provisional: boolean;
}

/** 09:00 Shanghai time on the working day REMINDER_WORKING_DAYS_BEFORE working days before `dueDate`. */
export function reminderMoment(dueDate: LocalDate, calendar: WorkingDayCalendar): Date {
  return shanghaiInstant(addWorkingDays(dueDate, -REMINDER_WORKING_DAYS_BEFORE, calendar), REMINDER_LOCAL_HOUR);
}

/** A deadline that falls on a given Shanghai date (used for extensions, whose new date the regulator sets). */
export function deadlineOnDate(startedAt: Date, dueDate: LocalDate, calendar: WorkingDayCalendar): Deadline {
  return makeDeadline(shanghaiDateOf(startedAt), 'fixed_date', 0, dueDate, calendar);
}

export function deadlineAfterWorkingDays(startedAt: Date, workingDays: number, calendar: WorkingDayCalendar): Deadline {
  const startDate = shanghaiDateOf(startedAt);
  const dueDate = addWorkingDays(startDate, workingDays, calendar);
  return makeDeadline(startDate, 'working_days', workingDays, dueDate, calendar);
}

/**
 * A period in calendar days. A due date that lands on a weekend or holiday is NOT moved to the next working day:
 * 办法38 says nothing about it, and for a duty the regulator owes, the earlier date is the safe reading.
 */
export function deadlineAfterCalendarDays(startedAt: Date, calendarDays: number, calendar: WorkingDayCalendar): Deadline {
  const startDate = shanghaiDateOf(startedAt);
  const dueDate = addCalendarDays(startDate, calendarDays);
  return makeDeadline(startDate, 'calendar_days', calendarDays, dueDate, calendar);
}

/** 办法38: 7 working days from the day the handler asks the reporter to supplement. */
export function supplementDeadline(requestedAt: Date, calendar: WorkingDayCalendar): Deadline {
  return deadlineAfterWorkingDays(requestedAt, SUPPLEMENT_WORKING_DAYS, calendar);
}

/** 办法38: 60 calendar days from the day the report is accepted as conforming. */
export function verificationDeadline(acceptedAt: Date, calendar: WorkingDayCalendar): Deadline {
  return deadlineAfterCalendarDays(acceptedAt, VERIFICATION_CALENDAR_DAYS, calendar);
}

/**
 * The same period counted again on `calendar` (e.g. once the official schedule of a year it touches is loaded):
 * same start, unit and length. The due date never moves earlier than the one already given: the reporter or
 * handler was told that date, and 调休上班日 could otherwise shorten a period they are already relying on.
 */
export function recountDeadline(deadline: Deadline, calendar: WorkingDayCalendar): Deadline {
  const counted =
    deadline.unit === 'working_days'
      ? addWorkingDays(deadline.startDate, deadline.length, calendar)
      : deadline.unit === 'calendar_days'
        ? addCalendarDays(deadline.startDate, deadline.length)
        : deadline.dueDate;
  const dueDate = counted > deadline.dueDate ? counted : deadline.dueDate;
  return makeDeadline(deadline.startDate, deadline.unit, deadline.length, dueDate, calendar);
}

export function isPastDeadline(deadline: Pick<Deadline, 'dueAt'>, now: Date): boolean {
  return now.getTime() > Date.parse(deadline.dueAt);
}

function makeDeadline(
  startDate: LocalDate,
  unit: DeadlineUnit,
  length: number,
  dueDate: LocalDate,
  calendar: WorkingDayCalendar,
): Deadline {
  const remindAt = reminderMoment(dueDate, calendar);
  const remindDate = shanghaiDateOf(remindAt);
  const earliest = remindDate < startDate ? remindDate : startDate;
  return {
    startDate,
    unit,
    length,
    dueDate,
    dueAt: endOfShanghaiDay(dueDate).toISOString(),
    remindAt: remindAt.toISOString(),
    provisional: !calendarCovers(earliest, dueDate, calendar),
  };
}
