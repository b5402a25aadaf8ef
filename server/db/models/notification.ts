/**
 * Notifications to a user: a complaint deadline is 3 working days away, or a policy was handed over to them
 * (sign-off requested, evaluation assigned, conclusion recorded). `key` names what the
 * notification is about, e.g. `deadline:<complaintId>:verification:<dueAt>`; its unique index makes a repeated
 * or concurrent reminder job insert nothing the second time.
 */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { translateStoreErrors } from '../storeErrors';

export const NOTIFICATION_KINDS = ['complaint_deadline', 'handover'] as const;

const notificationSchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    userId: { type: String, required: true },
    kind: { type: String, enum: NOTIFICATION_KINDS, required: true },
    title: { type: String, required: true },
    complaintId: { type: String, default: null },
    policyId: { type: String, default: null },
    refNo: { type: String, default: null },
    deadline: { type: String, default: null },
    dueDate: { type: String, default: null },
    at: { type: String, required: true },
    readAt: { type: String, default: null },
  },
  { strict: 'throw', versionKey: false },
);

notificationSchema.index({ userId: 1, at: -1 });

translateStoreErrors(notificationSchema);

export type NotificationDoc = InferSchemaType<typeof notificationSchema>;
export type NotificationModel = Model<NotificationDoc>;

export function notificationModel(connection: Connection): NotificationModel {
  return (connection.models.Notification as NotificationModel | undefined) ?? connection.model('Notification', notificationSchema);
}
