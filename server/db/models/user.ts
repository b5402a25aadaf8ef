import { Schema, Types, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { translateStoreErrors } from '../storeErrors';

export const roles = ['drafter', 'drafting_lead', 'regulator', 'committee_member', 'evaluator', 'complaint_handler', 'admin'] as const;
export type Role = (typeof roles)[number];

const userSchema = new Schema(
  {
    username: { type: String, required: true, unique: true },
    displayName: { type: String, required: true },
    passwordHash: { type: String, required: true },
    role: { type: String, enum: roles, required: true },
    departmentId: { type: Types.ObjectId, ref: 'Department', required: true },
    active: { type: Boolean, default: true },
    /** Moved on by logout and password change: tokens carry the epoch they were issued in (server/auth/tokens.ts). */
    sessionEpoch: { type: Number, default: 0 },
  },
  { timestamps: true, strict: 'throw' },
);

translateStoreErrors(userSchema);

export type UserDoc = InferSchemaType<typeof userSchema>;
export type UserModel = Model<UserDoc>;

export function userModel(connection: Connection): UserModel {
  return (connection.models.User as UserModel | undefined) ?? connection.model('User', userSchema);
}
