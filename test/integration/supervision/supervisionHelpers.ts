/**
 * Shared pieces of the supervision tests: policies seeded straight into the store in a given state (with a valid
 * hash chain), complaint intake over HTTP, and complaint transitions that read the current rev first.
 */
import { expect } from 'chai';
import { ComplaintRepository } from '../../../server/db/complaintRepository';
import { PolicyRepository } from '../../../server/db/policyRepository';
import type { Models } from '../../../server/db/models/index';
import { sealEvent } from '../../../server/domain/eventChain';
import type { ConclusionOutcome, Policy, PolicyEvent, PolicyKind, PolicyState } from '../../../server/domain/policy';
import type { JsonResponse } from '../../support/http';
import type { Client, DemoUser } from '../api/policyHelpers';

export interface SeedPolicy {
  title: string;
  departmentId: string;
  createdBy: string;
  kind?: PolicyKind;
  state: PolicyState;
  /** registration instant (the `create` event) */
  createdAt: string;
  startedAt?: string;
  concludedAt?: string;
  outcome?: ConclusionOutcome;
  /** 'YYYY-MM-DD'; only for published (and later) policies */
  publishedOn?: string;
  /** analysis status of the versions (none when absent) */
  analysis?: 'queued' | 'analysed';
  /** how many versions were uploaded (default 1 when `analysis` is given) */
  versions?: number;
  /** deadline of a running joint review (state joint_review) */
  jointReviewDeadline?: string;
}

/** A policy as the workflow would have left it, inserted directly; returns its id. */
export async function seedPolicy(models: Models, spec: SeedPolicy): Promise<string> {
  const events: PolicyEvent[] = [];
  const actor = { id: spec.createdBy, username: 'seed' };
  const push = (action: PolicyEvent['action'], from: PolicyState | null, to: PolicyState, at: string, data: Record<string, unknown> = {}) => {
    events.push(sealEvent({ actor, action, from, to, at, comment: '', data }, events));
  };
  push('create', null, 'draft', spec.createdAt);
  if (spec.startedAt) push('start_review', 'draft', 'self_review', spec.startedAt);
  if (spec.concludedAt && spec.outcome) push('conclude', 'self_review', 'concluded', spec.concludedAt, { outcome: spec.outcome });
  if (spec.publishedOn) push('publish', 'concluded', 'published', `${spec.publishedOn}T02:00:00.000Z`, { publishedOn: spec.publishedOn });
  const policy: Omit<Policy, 'id'> = {
    title: spec.title,
    docNumber: spec.publishedOn ? `测发〔${spec.publishedOn.slice(0, 4)}〕${events.length}号` : null,
    kind: spec.kind ?? 'normative_document',
    issuingLevel: 'department',
    industries: [],
    draftingDepartmentId: spec.departmentId,
    createdBy: spec.createdBy,
    state: spec.state,
    rev: events.length,
    versions: spec.analysis
      ? Array.from({ length: spec.versions ?? 1 }, (_, i) => ({
          n: i + 1, fileId: '000000000000000000000000', filename: 'draft.txt', mimeType: 'text/plain', size: 10, sha256: 'x',
          uploadedBy: spec.createdBy, uploadedAt: spec.createdAt, analysis: { status: spec.analysis!, progress: spec.analysis === 'analysed' ? 100 : 0 },
        }))
      : [],
    selfReview: null,
    jointReview: spec.jointReviewDeadline
      ? { members: [], quorum: 2, deadline: spec.jointReviewDeadline, requestedBy: spec.createdBy, requestedAt: spec.createdAt, signOffs: [] }
      : null,
    evaluations: [],
    conclusion:
      spec.outcome && spec.concludedAt
        ? { outcome: spec.outcome, reasoning: '经审查', exception: null, versionN: 1, concludedBy: spec.createdBy, concludedAt: spec.concludedAt, jointReview: false }
        : null,
    publication: spec.publishedOn ? { docNumber: `测发〔${spec.publishedOn.slice(0, 4)}〕1号`, publishedOn: spec.publishedOn, recordedBy: spec.createdBy, recordedAt: `${spec.publishedOn}T02:00:00.000Z` } : null,
    recheck: null,
    events,
  };
  return (await new PolicyRepository(models).create(policy)).id;
}

/** A published policy of `departmentId`. */
export function publishedPolicy(title: string, departmentId: string, createdBy: string, publishedOn = '2026-03-02', kind: PolicyKind = 'normative_document'): SeedPolicy {
  return {
    title,
    departmentId,
    createdBy,
    kind,
    state: 'published',
    createdAt: '2026-01-05T02:00:00.000Z',
    startedAt: '2026-01-06T02:00:00.000Z',
    concludedAt: '2026-01-20T02:00:00.000Z',
    outcome: 'compliant',
    publishedOn,
    analysis: 'analysed',
  };
}

export interface IntakeAnswer { refNo: string; accessCode: string; receivedAt: string }

export const REPORTER = { reporterName: '王小明', reporterContact: '13812345678', reporterOrg: '某某商贸有限公司' };

export async function fileComplaint(api: Client, fields: Record<string, string>): Promise<IntakeAnswer> {
  const res = await api.post<IntakeAnswer>('/api/v1/complaints', { ...REPORTER, description: '该文件要求政府采购优先采购本地企业产品，排斥外地经营者。', ...fields });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body;
}

/** A multipart intake (or reporter supplement) with one attachment. */
export async function postMultipart(baseUrl: string, path: string, fields: Record<string, string>, file?: { data: Buffer; name: string; type?: string }): Promise<JsonResponse> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('attachment', new Blob([new Uint8Array(file.data)], { type: file.type ?? 'application/octet-stream' }), file.name);
  const res = await fetch(baseUrl + path, { method: 'POST', body: form });
  const text = await res.text();
  let body: Record<string, unknown>;
  try { body = text ? JSON.parse(text) : {}; } catch { body = { raw: text }; }
  return { status: res.status, body, headers: res.headers };
}

export interface ComplaintBody {
  id: string;
  refNo: string;
  state: string;
  rev: number;
  assigneeId: string | null;
  overdue: boolean;
  reporter: { name: string; contact: string; org?: string; masked: boolean };
  reporterReads?: Array<{ actorId: string; username: string; role: string; at: string; purpose: string }>;
  deadlines: Record<string, { dueDate: string; dueAt: string; remindAt: string; remindedAt?: string; extension?: { approvedBy: string; previousDueDate: string } }>;
  deadline: { kind: string; dueDate: string } | null;
  events: Array<{ action: string; from: string | null; to: string; actor: { id: string; username: string }; data: Record<string, unknown>; prevHash: string; hash: string }>;
  availableActions: string[];
  finding: { outcome: string; policyId: string | null } | null;
  [key: string]: unknown;
}

export async function complaintIdOf(staff: DemoUser, refNo: string): Promise<string> {
  const list = await staff.api.get<{ items: Array<{ id: string; refNo: string }> }>('/api/v1/complaints?pageSize=100');
  const row = list.body.items.find((c) => c.refNo === refNo);
  if (!row) throw new Error(`complaint ${refNo} not in the list`);
  return row.id;
}

export type TransitionAnswer = JsonResponse<{ complaint: ComplaintBody; effects: Array<Record<string, unknown>> }>;

/**
 * Posts a transition with the case's current rev, read from the store: reading the detail as the assigned
 * handler would record a read of the reporter's identity, which the confidentiality tests count.
 */
export async function act(models: Models, who: DemoUser, id: string, body: Record<string, unknown>): Promise<TransitionAnswer> {
  const current = await new ComplaintRepository(models).findById(id);
  if (!current) throw new Error(`complaint ${id} not found`);
  return who.api.post(`/api/v1/complaints/${id}/transitions`, { rev: current.rev, ...body });
}

export function expectStatus(res: JsonResponse<unknown>, status: number, code?: string): void {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  if (code) expect((res.body as { code?: string }).code, JSON.stringify(res.body)).to.equal(code);
}
