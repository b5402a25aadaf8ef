/**
 * A year's official holiday schedule loaded by an administrator (one document per year, `_id` is the year). Years
 * without one use the schedules built into server/domain/calendars/cn-holidays.ts, or Monday–Friday (provisional).
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { translateStoreErrors } from '../storeErrors';

const sub = { _id: false, strict: 'throw' as const };

const holidayScheduleSchema = new Schema(
  {
    _id: { type: Number, required: true },
    notice: { type: String, default: '' },
    periods: [new Schema({ name: { type: String, default: '' }, from: String, to: String, adjustedWorkdays: [String] }, sub)],
    loadedBy: { type: String, required: true },
    loadedAt: { type: String, required: true },
  },
  { strict: 'throw', versionKey: false },
);

translateStoreErrors(holidayScheduleSchema);

export interface HolidayScheduleDoc {
  _id: number;
  notice: string;
  periods: Array<{ name: string; from: string; to: string; adjustedWorkdays: string[] }>;
  loadedBy: string;
  loadedAt: string;
}
export type HolidayScheduleModel = Model<HolidayScheduleDoc>;

export function holidayScheduleModel(connection: Connection): HolidayScheduleModel {
  return (
    (connection.models.HolidaySchedule as HolidayScheduleModel | undefined) ??
    connection.model<HolidayScheduleDoc>('HolidaySchedule', holidayScheduleSchema as unknown as Schema<HolidayScheduleDoc>, 'holidaySchedules')
  );
}
