/**
 * Loads what a report kind needs from the store and shapes it with the pure mappings. Used by the renderReport
 * processor; each loader returns the builder's view model and the download file name.
 */
import type { Connection } from 'mongoose';
import { loadChecklists } from '../../../checklists/index';
import type { Models } from '../../db/models/index';
import { PolicyRepository } from '../../db/policyRepository';
import { readFile } from '../../db/files';
import { NotFoundError, PreconditionError } from '../../domain/errors';
import { REPORT_FILE_NAMES, type ReportDataByKind, type ReportKind } from '../../../templates/index';
import { extractDocument } from '../../../workers/analysis/extract/index';
import { statisticsParams } from '../../db/overview';
import { toActor } from '../../domain/roles';
import { loadComplaintReplyData } from './complaintReplyData';
import { loadStatisticsData } from './statisticsData';
import {
  annotatedDraftData, evaluationSummaryData, jointReviewOpinionData, reportVersion, reviewFormData,
  type ChecklistTitle, type Directory, type ReportFinding,
} from './policyReportData';

export interface ReportSubject {
  kind: ReportKind;
  policyId?: string | null;
  complaintId?: string | null;
  params?: Record<string, unknown>;
  /** Who asked for it: a reply letter names the reporter only when the requester may see them (params.named). */
  requestedBy?: string | null;
}

export interface LoadedReport<K extends ReportKind = ReportKind> {
  data: ReportDataByKind[K];
  filename: string;
}

let checklistTitles: ChecklistTitle[] | undefined;
function titles(): ChecklistTitle[] {
  checklistTitles ??= loadChecklists().items.map((item) => ({
    id: item.id,
    title: item.title,
    basis: [item.basis.regulation, ...item.basis.measures].join('；'),
  }));
  return checklistTitles;
}

export async function loadReportData(subject: ReportSubject, models: Models, store: Connection, now: Date): Promise<LoadedReport> {
  switch (subject.kind) {
    case 'review_form':
    case 'annotated_draft':
    case 'joint_review_opinion':
    case 'evaluation_summary':
      return loadPolicyReport(subject.kind, String(subject.policyId), models, store, now);
    case 'complaint_reply': {
      const requester = subject.params?.named && subject.requestedBy ? await models.User.findById(subject.requestedBy).lean() : null;
      const data = await loadComplaintReplyData(models, String(subject.complaintId), now, { reader: requester ? toActor(requester) : undefined });
      return { data, filename: `${REPORT_FILE_NAMES.complaint_reply}-${data.referenceNumber ?? subject.complaintId}.docx` };
    }
    case 'statistics': {
      const params = statisticsParams(subject.params);
      const data = await loadStatisticsData(models, params, now);
      return { data, filename: `${REPORT_FILE_NAMES.statistics}-${params.from ?? '起'}至${params.to ?? '今'}.docx` };
    }
  }
}


async function loadPolicyReport(kind: ReportKind, policyId: string, models: Models, store: Connection, now: Date): Promise<LoadedReport> {
  const policy = await new PolicyRepository(models).findById(policyId);
  if (!policy) throw new NotFoundError('policy_not_found', '政策措施不存在');
  const dir = await directory(models);
  const findings = await reportFindings(models, policy.id);
  const filename = `${REPORT_FILE_NAMES[kind]}-${policy.title}.docx`;
  switch (kind) {
    case 'review_form':
      return { data: reviewFormData(policy, titles(), findings, dir, now), filename };
    case 'annotated_draft': {
      const n = reportVersion(policy);
      const version = policy.versions.find((v) => v.n === n);
      if (!version?.fileId) throw new PreconditionError('no_document', '该政策措施尚未上传文档', { missing: ['version'] });
      const file = await readFile(store, 'policyVersions', version.fileId);
      const { text } = await extractDocument(file, { filename: version.filename, mimeType: version.mimeType });
      return { data: annotatedDraftData(policy, version.n, text, titles(), findings, dir, now), filename };
    }
    case 'joint_review_opinion':
      if (!policy.jointReview) throw new PreconditionError('no_joint_review', '该政策措施未进行会审', { missing: ['jointReview'] });
      return { data: jointReviewOpinionData(policy, dir), filename };
    case 'evaluation_summary':
      if (policy.evaluations.length === 0) throw new PreconditionError('no_evaluation', '该政策措施未委托第三方评估', { missing: ['evaluation'] });
      return { data: evaluationSummaryData(policy, dir), filename };
    default:
      throw new PreconditionError('report_kind_unavailable', `暂不支持生成该类报告: ${kind}`);
  }
}

async function reportFindings(models: Models, policyId: string): Promise<ReportFinding[]> {
  const docs = await models.Finding.find({ policyId }).sort({ versionN: 1, start: 1 }).lean();
  return docs.map((f) => ({
    id: String(f._id),
    versionN: f.versionN,
    itemId: f.itemId,
    path: f.path,
    text: f.text,
    start: f.start,
    end: f.end,
    basis: f.basis,
    explanation: f.explanation,
    suggestion: f.suggestion,
    status: f.decision?.status ?? 'pending',
    decisionReason: f.decision?.reason ?? undefined,
    decidedBy: f.decision?.by ?? undefined,
    decidedAt: f.decision?.at ?? undefined,
  }));
}

/** Names of the departments and of the users the policy mentions. */
async function directory(models: Models): Promise<Directory> {
  const departments = new Map((await models.Department.find().lean()).map((d) => [String(d._id), d]));
  const users = new Map((await models.User.find().lean()).map((u) => [String(u._id), u]));
  return {
    userName: (id) => (id ? users.get(id)?.displayName ?? '' : ''),
    userDepartmentName: (id) => (id ? departments.get(String(users.get(id)?.departmentId))?.name ?? '' : ''),
    departmentName: (id) => (id ? departments.get(id)?.name ?? '' : ''),
    departmentContact: (id) => (id ? departments.get(id)?.contact ?? '' : ''),
  };
}
