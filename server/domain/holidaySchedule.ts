/**
 * A year's official holiday schedule as an administrator loads it (国务院办公厅's notice: holiday blocks and the
 * weekend days worked instead), checked before it may change any deadline: every date real and inside that
 * year, no day listed twice, a block that does not end before it starts, adjusted workdays on weekends and never
 * also a holiday. Pure: returns the problems, each naming the field in Chinese.
 */
import type { HolidayPeriod, HolidaySchedule } from './calendars/cn-holidays';
import { fromDayNumber, isLocalDate, toDayNumber } from './workingDays';

export interface ScheduleInput {
  notice: string;
  periods: HolidayPeriod[];
}

export interface ScheduleProblem { path: string; message: string }

const isWeekendDay = (date: string) => [0, 6].includes(new Date(toDayNumber(date) * 86_400_000).getUTCDay());

export function scheduleProblems(year: number, input: ScheduleInput): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  const seen = new Map<string, string>();
  const claim = (date: string, path: string, label: string) => {
    const earlier = seen.get(date);
    if (earlier) problems.push({ path, message: `${label} ${date} 与${earlier}重复` });
    else seen.set(date, label);
  };
  const inYear = (date: string, path: string, label: string): boolean => {
    if (!isLocalDate(date)) {
      problems.push({ path, message: `${label}不是有效日期（应为 YYYY-MM-DD）：${date}` });
      return false;
    }
    if (!date.startsWith(`${year}-`)) {
      problems.push({ path, message: `${label} ${date} 不在 ${year} 年内` });
      return false;
    }
    return true;
  };
  input.periods.forEach((period, i) => {
    const at = `periods.${i}`;
    const name = period.name || `第 ${i + 1} 个假期`;
    const fromOk = inYear(period.from, `${at}.from`, `${name}的放假开始日期`);
    const toOk = inYear(period.to, `${at}.to`, `${name}的放假结束日期`);
    if (fromOk && toOk) {
      const [first, last] = [toDayNumber(period.from), toDayNumber(period.to)];
      if (last < first) problems.push({ path: `${at}.to`, message: `${name}的放假结束日期早于开始日期` });
      for (let day = first; day <= last; day++) claim(fromDayNumber(day), `${at}.from`, `${name}的放假日`);
    }
    period.adjustedWorkdays.forEach((workday, j) => {
      const path = `${at}.adjustedWorkdays.${j}`;
      if (!inYear(workday, path, `${name}的调休上班日`)) return;
      if (!isWeekendDay(workday)) problems.push({ path, message: `${name}的调休上班日 ${workday} 不是周六或周日` });
      claim(workday, path, `${name}的调休上班日`);
    });
  });
  return problems;
}

/** The schedule as the working-day calendar reads it. */
export function toHolidaySchedule(year: number, input: ScheduleInput, publishedOn = ''): HolidaySchedule {
  return { year, notice: input.notice, publishedOn, periods: input.periods.map((p) => ({ name: p.name, from: p.from, to: p.to, adjustedWorkdays: [...p.adjustedWorkdays] })) };
}
