import { Schema, Types, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { translateStoreErrors } from '../storeErrors';
import { REPORT_KINDS } from '../../../templates/index';

export const REPORT_STATUSES = ['queued', 'rendering', 'ready', 'failed'] as const;

/**
 * One rendered (or to-be-rendered) DOCX. The same (kind, subject, revision) is rendered once: the unique index
 * makes a second request find the first one's report, and a newer revision of the subject gets a new report.
 */
const reportSchema = new Schema(
  {
    kind: { type: String, enum: REPORT_KINDS, required: true },
    /** 'policy:<id>', 'complaint:<id>' or 'statistics:<from>:<to>:<department>' */
    subjectKey: { type: String, required: true },
    policyId: { type: Types.ObjectId, default: null },
    complaintId: { type: Types.ObjectId, default: null },
    /** Statistics period and filter. */
    params: { type: Schema.Types.Mixed, default: {} },
    /** The subject's revision when requested (policy/complaint rev; a data fingerprint for statistics). */
    revision: { type: String, required: true },
    status: { type: String, enum: REPORT_STATUSES, required: true, default: 'queued' },
    error: { type: String, default: null },
    attempt: { type: Number, default: 1 },
    fileId: { type: Types.ObjectId, default: null },
    filename: { type: String, default: null },
    size: { type: Number, default: null },
    requestedBy: { type: Types.ObjectId, required: true },
    renderedAt: { type: Date, default: null },
  },
  { timestamps: true, strict: 'throw' },
);
reportSchema.index({ kind: 1, subjectKey: 1, revision: 1 }, { unique: true });
translateStoreErrors(reportSchema);

export type ReportDoc = InferSchemaType<typeof reportSchema>;
export type ReportModel = Model<ReportDoc>;

export function reportModel(connection: Connection): ReportModel {
  return (connection.models.Report as ReportModel | undefined) ?? connection.model('Report', reportSchema);
}
