import type { Connection } from 'mongoose';
import { complaintModel } from './complaint';
import { counterModel } from './counter';
import { departmentModel } from './department';
import { findingModel } from './finding';
import { holidayScheduleModel } from './holidaySchedule';
import { notificationModel } from './notification';
import { policyModel } from './policy';
import { policySummaryChangeModel, policySummaryModel } from './policySummary';
import { reportModel } from './report';
import { screeningBatchModel, screeningDocumentModel, screeningFileChunkModel, screeningOutcomeModel } from './screening';
import { spotCheckModel } from './spotCheck';
import { userModel } from './user';

/** Every model bound to one connection; routes and processors receive this, never the global mongoose. */
export function bindModels(connection: Connection) {
  return {
    Department: departmentModel(connection),
    User: userModel(connection),
    Policy: policyModel(connection),
    PolicySummary: policySummaryModel(connection),
    PolicySummaryChange: policySummaryChangeModel(connection),
    Finding: findingModel(connection),
    Report: reportModel(connection),
    Complaint: complaintModel(connection),
    SpotCheck: spotCheckModel(connection),
    Counter: counterModel(connection),
    Notification: notificationModel(connection),
    HolidaySchedule: holidayScheduleModel(connection),
    ScreeningBatch: screeningBatchModel(connection),
    ScreeningDocument: screeningDocumentModel(connection),
    ScreeningFileChunk: screeningFileChunkModel(connection),
    ScreeningOutcome: screeningOutcomeModel(connection),
  };
}

export type Models = ReturnType<typeof bindModels>;

/** Builds indexes (unique constraints) before the app serves requests. */
export async function syncIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models)) await model.init();
}
