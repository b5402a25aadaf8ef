/**
 * China's official public-holiday schedule (全国年节及纪念日放假), as DATA: one entry per 国务院办公厅 notice,
 * transcribed period by period so each line can be checked against the notice's numbered paragraphs.
 *
 * - `from`..`to` (inclusive) are days off (放假调休), whatever their weekday.
 * - `adjustedWorkdays` are weekend days that are working days (调休上班日).
 * - Any other Saturday/Sunday is a day off; any other Monday–Friday is a working day.
 *
 * A year that is not listed here is treated as Monday–Friday only, and deadlines that touch it are marked
 * provisional (see workingDays.ts). Add the next year as soon as its notice is published (usually November).
 */
export interface HolidayPeriod {
  name: string;
  from: string;
  to: string;
  adjustedWorkdays: string[];
}

export interface HolidaySchedule {
  year: number;
  notice: string;
  publishedOn: string;
  periods: HolidayPeriod[];
}

export const CN_HOLIDAY_SCHEDULES: readonly HolidaySchedule[] = [
  {
    year: 2025,
    notice: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）',
    publishedOn: '2024-11-12',
    periods: [
      { name: '元旦', from: '2025-01-01', to: '2025-01-01', adjustedWorkdays: [] },
      { name: '春节', from: '2025-01-28', to: '2025-02-04', adjustedWorkdays: ['2025-01-26', '2025-02-08'] },
      { name: '清明节', from: '2025-04-04', to: '2025-04-06', adjustedWorkdays: [] },
      { name: '劳动节', from: '2025-05-01', to: '2025-05-05', adjustedWorkdays: ['2025-04-27'] },
      { name: '端午节', from: '2025-05-31', to: '2025-06-02', adjustedWorkdays: [] },
      { name: '国庆节、中秋节', from: '2025-10-01', to: '2025-10-08', adjustedWorkdays: ['2025-09-28', '2025-10-11'] },
    ],
  },
  {
    year: 2026,
    notice: '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日，新华社全文发布）',
    publishedOn: '2025-11-04',
    periods: [
      { name: '元旦', from: '2026-01-01', to: '2026-01-03', adjustedWorkdays: ['2026-01-04'] },
      { name: '春节', from: '2026-02-15', to: '2026-02-23', adjustedWorkdays: ['2026-02-14', '2026-02-28'] },
      { name: '清明节', from: '2026-04-04', to: '2026-04-06', adjustedWorkdays: [] },
      { name: '劳动节', from: '2026-05-01', to: '2026-05-05', adjustedWorkdays: ['2026-05-09'] },
      { name: '端午节', from: '2026-06-19', to: '2026-06-21', adjustedWorkdays: [] },
      { name: '中秋节', from: '2026-09-25', to: '2026-09-27', adjustedWorkdays: [] },
      { name: '国庆节', from: '2026-10-01', to: '2026-10-07', adjustedWorkdays: ['2026-09-20', '2026-10-10'] },
    ],
  },
];
