import { expect } from 'chai';
import { ValidationError } from '../../../server/domain/errors';
import { CN_HOLIDAY_SCHEDULES } from '../../../server/domain/calendars/cn-holidays';
import {
  CN_CALENDAR,
  addCalendarDays,
  addWorkingDays,
  buildCalendar,
  deadlineOnDate,
  endOfShanghaiDay,
  isPastDeadline,
  isWorkingDay,
  reminderMoment,
  shanghaiDateOf,
  supplementDeadline,
  toDayNumber,
  verificationDeadline,
  workingDaysBetween,
} from '../../../server/domain/workingDays';

const weekdaysOnly = buildCalendar([]);
const at = (iso: string) => new Date(iso);

describe('workingDays', () => {
  describe('calendar data (国务院办公厅 notices)', () => {
    // Day counts as printed in the notices ("共N天").
    const statedLengths: Record<number, Record<string, number>> = {
      2025: { 元旦: 1, 春节: 8, 清明节: 3, 劳动节: 5, 端午节: 3, '国庆节、中秋节': 8 },
      2026: { 元旦: 3, 春节: 9, 清明节: 3, 劳动节: 5, 端午节: 3, 中秋节: 3, 国庆节: 7 },
    };

    it('holds the 2025 and 2026 schedules, each period as long as the notice says', () => {
      expect(CN_HOLIDAY_SCHEDULES.map((s) => s.year)).to.deep.equal([2025, 2026]);
      for (const schedule of CN_HOLIDAY_SCHEDULES) {
        const lengths = Object.fromEntries(
          schedule.periods.map((p) => [p.name, toDayNumber(p.to) - toDayNumber(p.from) + 1]),
        );
        expect(lengths, String(schedule.year)).to.deep.equal(statedLengths[schedule.year]);
        for (const p of schedule.periods) {
          expect(p.from.startsWith(String(schedule.year)), p.name).to.equal(true);
        }
      }
    });

    it('every adjusted workday is a weekend day that becomes a working day', () => {
      for (const day of CN_CALENDAR.adjustedWorkdays) {
        const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
        expect([0, 6], day).to.include(weekday);
        expect(isWorkingDay(day, CN_CALENDAR), day).to.equal(true);
      }
      expect(CN_CALENDAR.adjustedWorkdays.size).to.equal(5 + 6);
    });

    it('refuses contradictory data', () => {
      const base = { year: 2030, notice: 'test', publishedOn: '2029-11-01' };
      expect(() =>
        buildCalendar([{ ...base, periods: [{ name: 'x', from: '2030-01-01', to: '2030-01-01', adjustedWorkdays: ['2030-01-02'] }] }]),
      ).to.throw(/not a weekend day/);
      expect(() =>
        buildCalendar([{ ...base, periods: [{ name: 'x', from: '2030-01-05', to: '2030-01-06', adjustedWorkdays: ['2030-01-05'] }] }]),
      ).to.throw(/both a holiday and a working day/);
      expect(() =>
        buildCalendar([{ ...base, periods: [{ name: 'x', from: '2030-01-06', to: '2030-01-05', adjustedWorkdays: [] }] }]),
      ).to.throw(/ends before it starts/);
    });
  });

  describe('isWorkingDay', () => {
    const cases: Array<[string, boolean, string]> = [
      ['2026-10-01', false, '国庆 Thursday'],
      ['2026-10-07', false, '国庆 last day, Wednesday'],
      ['2026-10-08', true, 'first working day after 国庆'],
      ['2026-10-10', true, 'adjusted Saturday'],
      ['2026-10-11', false, 'ordinary Sunday'],
      ['2026-09-20', true, 'adjusted Sunday before 国庆'],
      ['2026-09-25', false, '中秋 Friday'],
      ['2026-02-14', true, '春节 adjusted Saturday'],
      ['2026-02-23', false, '春节 last day, Monday'],
      ['2026-02-28', true, '春节 adjusted Saturday after'],
      ['2026-01-04', true, '元旦 adjusted Sunday'],
      ['2026-05-09', true, '劳动节 adjusted Saturday'],
      ['2026-11-23', true, 'ordinary Monday'],
      ['2025-01-26', true, '2025 春节 adjusted Sunday'],
      ['2025-10-08', false, '2025 国庆中秋 Wednesday'],
      ['2025-10-11', true, '2025 adjusted Saturday'],
    ];
    for (const [date, expected, why] of cases) {
      it(`${date} is ${expected ? 'a working day' : 'a day off'} (${why})`, () => {
        expect(isWorkingDay(date, CN_CALENDAR)).to.equal(expected);
      });
    }

    it('falls back to Monday–Friday for a year without a schedule', () => {
      expect(isWorkingDay('2027-01-01', CN_CALENDAR)).to.equal(true); // a Friday; 2027 notice not loaded
      expect(isWorkingDay('2027-01-02', CN_CALENDAR)).to.equal(false);
    });
  });

  describe('addWorkingDays', () => {
    it('jumps the 2026 国庆 block and counts the adjusted Saturday', () => {
      // 09-30 (1), 10-01..07 off, 10-08 (2), 10-09 (3), Sat 10-10 (4), 10-12 (5), 10-13 (6), 10-14 (7)
      expect(addWorkingDays('2026-09-29', 7, CN_CALENDAR)).to.equal('2026-10-14');
      expect(addWorkingDays('2026-09-29', 7, weekdaysOnly)).to.equal('2026-10-08');
    });

    it('counts the adjusted Sunday before 中秋 and skips 中秋', () => {
      // Sun 09-20 (1), 09-21..24 (2..5), 09-25..27 off, 09-28 (6), 09-29 (7)
      expect(addWorkingDays('2026-09-18', 7, CN_CALENDAR)).to.equal('2026-09-29');
    });

    it('can end on an adjusted Saturday (春节 2026)', () => {
      // 02-13 (1), Sat 02-14 (2), 02-15..23 off, 02-24..27 (3..6), Sat 02-28 (7)
      expect(addWorkingDays('2026-02-12', 7, CN_CALENDAR)).to.equal('2026-02-28');
    });

    it('crosses the 2025/2026 year boundary', () => {
      // 12-31 (1), 01-01..03 off, Sun 01-04 (2), 01-05..09 (3..7)
      expect(addWorkingDays('2025-12-30', 7, CN_CALENDAR)).to.equal('2026-01-09');
    });

    it('does not count the start day, even when it is a working day', () => {
      expect(addWorkingDays('2026-11-23', 1, CN_CALENDAR)).to.equal('2026-11-24');
      expect(addWorkingDays('2026-10-03', 1, CN_CALENDAR)).to.equal('2026-10-08');
    });

    it('goes backwards for negative n and returns the date for n = 0', () => {
      expect(addWorkingDays('2026-10-14', -3, CN_CALENDAR)).to.equal('2026-10-10');
      expect(addWorkingDays('2026-10-08', -1, CN_CALENDAR)).to.equal('2026-09-30');
      expect(addWorkingDays('2026-10-04', 0, CN_CALENDAR)).to.equal('2026-10-04');
    });

    it('rejects a fractional count and a malformed date', () => {
      expect(() => addWorkingDays('2026-10-01', 1.5, CN_CALENDAR)).to.throw(ValidationError);
      expect(() => addWorkingDays('2026-02-30', 1, CN_CALENDAR)).to.throw(ValidationError);
      expect(() => addWorkingDays('2026/10/01', 1, CN_CALENDAR)).to.throw(ValidationError);
    });
  });

  describe('workingDaysBetween', () => {
    it('counts working days in (from, to] forwards and in [to, from) backwards', () => {
      expect(workingDaysBetween('2026-09-30', '2026-10-08', CN_CALENDAR)).to.equal(1);
      expect(workingDaysBetween('2026-09-29', '2026-10-14', CN_CALENDAR)).to.equal(7);
      expect(workingDaysBetween('2026-10-14', '2026-09-29', CN_CALENDAR)).to.equal(-7);
      expect(workingDaysBetween('2026-10-01', '2026-10-07', CN_CALENDAR)).to.equal(0);
      expect(workingDaysBetween('2026-11-23', '2026-11-23', CN_CALENDAR)).to.equal(0);
      // one step back from a holiday reaches the last working day before it
      expect(workingDaysBetween('2026-10-01', '2026-09-30', CN_CALENDAR)).to.equal(-1);
    });

    it('is the inverse of addWorkingDays for every day of 2025–2026 and several n', () => {
      for (let day = toDayNumber('2025-01-01'); day <= toDayNumber('2026-12-15'); day += 3) {
        const start = addCalendarDays('1970-01-01', day);
        for (const n of [1, 3, 7, 22, -1, -3, -10]) {
          expect(workingDaysBetween(start, addWorkingDays(start, n, CN_CALENDAR), CN_CALENDAR), `${start} ${n}`).to.equal(n);
        }
      }
    });

    it('counts 2026 working days: 365 − 104 weekend days − 19 holiday weekdays + 6 adjusted = 248', () => {
      // holiday weekdays in 2026: 元旦 2, 春节 6, 清明 1, 劳动 3, 端午 1, 中秋 1, 国庆 5 = 19;
      // adjusted workdays: 01-04, 02-14, 02-28, 05-09, 09-20, 10-10 = 6.
      expect(workingDaysBetween('2025-12-31', '2026-12-31', CN_CALENDAR)).to.equal(365 - 104 - 19 + 6);
    });
  });

  describe('time zone (Asia/Shanghai, UTC+8)', () => {
    it('takes the Shanghai date of an instant', () => {
      expect(shanghaiDateOf(at('2026-09-29T15:59:59.999Z'))).to.equal('2026-09-29');
      expect(shanghaiDateOf(at('2026-09-29T16:00:00Z'))).to.equal('2026-09-30');
    });

    it('ends a day at 23:59:59.999 Shanghai time', () => {
      expect(endOfShanghaiDay('2026-10-14').toISOString()).to.equal('2026-10-14T15:59:59.999Z');
    });
  });

  describe('deadlines', () => {
    it('supplement: 7 working days across 国庆, due at the end of the Shanghai day, reminded 3 working days before', () => {
      const d = supplementDeadline(at('2026-09-29T02:00:00Z'), CN_CALENDAR);
      expect(d).to.deep.include({ startDate: '2026-09-29', unit: 'working_days', length: 7, dueDate: '2026-10-14', provisional: false });
      expect(d.dueAt).to.equal('2026-10-14T15:59:59.999Z');
      // 10-13 (1), 10-12 (2), adjusted Saturday 10-10 (3), at 09:00 +08:00
      expect(d.remindAt).to.equal('2026-10-10T01:00:00.000Z');
    });

    it('supplement: a request late in the Shanghai evening starts from that Shanghai date', () => {
      // 2026-09-29 23:30 in Shanghai is still 09-29 there, though 09-29 15:30 UTC
      expect(supplementDeadline(at('2026-09-29T15:30:00Z'), CN_CALENDAR).dueDate).to.equal('2026-10-14');
      // 2026-09-30 00:30 Shanghai: 10-08 (1) … 10-15 (7)
      expect(supplementDeadline(at('2026-09-29T16:30:00Z'), CN_CALENDAR).dueDate).to.equal('2026-10-15');
    });

    it('verification: 60 calendar days from acceptance, not moved off a holiday', () => {
      const d = verificationDeadline(at('2026-08-05T03:00:00Z'), CN_CALENDAR);
      expect(d).to.deep.include({ startDate: '2026-08-05', unit: 'calendar_days', length: 60, dueDate: '2026-10-04' });
      // three working days before Sunday 10-04 (in 国庆): 09-30, 09-29, 09-28
      expect(d.remindAt).to.equal('2026-09-28T01:00:00.000Z');
    });

    it('is provisional when it reaches into a year without an official schedule', () => {
      expect(supplementDeadline(at('2026-12-28T02:00:00Z'), CN_CALENDAR).provisional).to.equal(true);
      expect(verificationDeadline(at('2026-11-22T02:00:00Z'), CN_CALENDAR).provisional).to.equal(true);
      expect(verificationDeadline(at('2026-09-01T02:00:00Z'), CN_CALENDAR).provisional).to.equal(false);
    });

    it('a fixed-date deadline (extension) reminds 3 working days before its date', () => {
      const d = deadlineOnDate(at('2026-10-20T02:00:00Z'), '2026-11-30', CN_CALENDAR);
      expect(d).to.deep.include({ unit: 'fixed_date', dueDate: '2026-11-30' });
      expect(d.remindAt).to.equal('2026-11-25T01:00:00.000Z');
    });

    it('has passed only after the last millisecond of the due date', () => {
      const d = supplementDeadline(at('2026-09-29T02:00:00Z'), CN_CALENDAR);
      expect(isPastDeadline(d, at('2026-10-14T15:59:59.999Z'))).to.equal(false);
      expect(isPastDeadline(d, at('2026-10-14T16:00:00.000Z'))).to.equal(true);
    });

    it('reminderMoment is on a working day', () => {
      for (const due of ['2026-10-04', '2026-10-14', '2026-02-28', '2026-01-05']) {
        expect(isWorkingDay(shanghaiDateOf(reminderMoment(due, CN_CALENDAR)), CN_CALENDAR), due).to.equal(true);
      }
    });
  });
});
