/**
 * Shared pieces of the policy API tests: logged-in demo users, uploads, waiting for the analysis, and the
 * request bodies a complete review needs.
 */
import { expect } from 'chai';
import { CHECKLIST_ITEM_IDS } from '../../../server/domain/policy';
import { seedDemoData } from '../../../server/db/seed';
import { makeEncryptedPdf } from '../../fixtures/makeDocuments';
import { client, login, type JsonResponse } from '../../support/http';
import { startTestApp, type TestApp } from '../../support/testApp';
import { startWorker, type WorkerProcess } from '../../support/workerProcess';
import { PATIENT_MS } from '../../support/waitFor';

export const DEMO_USERNAMES = ['drafter', 'lead', 'drafter2', 'regulator', 'member1', 'member2', 'member3', 'evaluator', 'handler', 'admin'] as const;
export type DemoUsername = (typeof DEMO_USERNAMES)[number];

export type Client = ReturnType<typeof client>;
export interface DemoUser { id: string; token: string; api: Client }
export type DemoUsers = Record<DemoUsername, DemoUser>;

/** Seeds the demo accounts and logs every one of them in. */
export async function demoUsers(app: TestApp): Promise<DemoUsers> {
  await seedDemoData(app.deps.models, 'demo1234');
  const entries = await Promise.all(DEMO_USERNAMES.map(async (username) => {
    const token = await login(app.baseUrl, username);
    const api = client(app.baseUrl, token);
    const me = await api.get<{ user: { id: string } }>('/api/v1/auth/me');
    return [username, { id: me.body.user.id, token, api }] as const;
  }));
  return Object.fromEntries(entries) as DemoUsers;
}

/** A draft with two clauses the analyser flags (local preference in procurement, a land-fee rebate). */
export const DRAFT_V1 = [
  '某市关于支持本地商贸企业发展的若干措施',
  '第一条　为促进本市商贸流通业发展，制定本措施。',
  '第二条　政府采购项目应当优先采购本地企业生产的产品。',
  '第三条　对本地纳税百强企业给予土地出让金返还。',
  '第四条　本措施自发布之日起施行。',
].join('\n');

/** The same draft revised: both concerns removed. */
export const DRAFT_V2 = [
  '某市关于支持商贸企业发展的若干措施',
  '第一条　为促进本市商贸流通业发展，制定本措施。',
  '第二条　政府采购项目依法平等对待各类经营者。',
  '第三条　本措施自发布之日起施行。',
].join('\n');

export async function upload(baseUrl: string, token: string | undefined, policyId: string, data: Buffer, filename: string, mimeType = 'application/octet-stream'): Promise<JsonResponse> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)], { type: mimeType }), filename);
  const res = await fetch(`${baseUrl}/api/v1/policies/${policyId}/versions`, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: form,
  });
  const text = await res.text();
  let body: Record<string, unknown>;
  try { body = text ? JSON.parse(text) : {}; } catch { body = { raw: text }; }
  return { status: res.status, body, headers: res.headers };
}

export interface VersionSummary {
  n: number;
  status: 'queued' | 'analysing' | 'analysed' | 'failed';
  progress: number;
  error?: string;
  errorCode?: string;
  checklistVersion?: string;
  counts: { total: number; open: number; confirmed: number; dismissed: number };
  resolvedSincePrevious: null | { previousVersion: number; items: string[]; findings: Array<{ itemId: string; path: string; text: string }> };
}

/** Polls the version until its status is one of `statuses` (default: finished either way). */
export async function waitForVersion(api: Client, policyId: string, n: number, statuses: VersionSummary['status'][] = ['analysed', 'failed'], timeoutMs = PATIENT_MS): Promise<VersionSummary> {
  const deadline = Date.now() + timeoutMs;
  let last: JsonResponse<VersionSummary> | undefined;
  while (Date.now() < deadline) {
    last = await api.get<VersionSummary>(`/api/v1/policies/${policyId}/versions/${n}`);
    expect(last.status, JSON.stringify(last.body)).to.equal(200);
    if (statuses.includes(last.body.status)) return last.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`version ${n} of ${policyId} not ${statuses.join('|')} within ${timeoutMs} ms: ${JSON.stringify(last?.body)}`);
}

export function completeSelfReview(rev: number, overrides: Record<string, unknown> = {}) {
  return {
    rev,
    answers: CHECKLIST_ITEM_IDS.map((itemId) => ({ itemId, answer: 'no' })),
    consultation: {
      audiences: ['stakeholders', 'public'],
      channel: '座谈会、政府网站公开征求意见',
      startDate: '2025-03-01',
      endDate: '2025-03-31',
      feedback: '收到意见12条',
      adoption: '采纳9条，未采纳3条并说明理由',
    },
    draftConclusion: { outcome: 'compliant', reasoning: '经逐项对照审查标准，未发现排除、限制竞争的情形。' },
    ...overrides,
  };
}

/** An ISO instant `days` from now (deadlines must lie in the future). */
export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}

export function today(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export interface PolicyBody {
  id: string;
  state: string;
  rev: number;
  availableActions: string[];
  availableRecordActions: string[];
  latestVersion: number | null;
  jointReviewStatus: null | { signed: number; reached: boolean; approvals: number; approvalsWithChanges: number; rejections: number; pending: string[] };
  [key: string]: unknown;
}

/** Expects a problem+json answer with this status and (optionally) code. */
export function expectProblem(res: JsonResponse, status: number, code?: string): void {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
  expect(res.body).to.have.property('title').that.is.a('string').and.matches(/[\u4e00-\u9fff]/);
  if (code) expect(res.body.code).to.equal(code);
}

/**
 * Builds policies in a given state through the API (a worker process must be running: each draft is uploaded
 * and analysed for real). Every builder returns a fresh policy.
 */
export class PolicyFixtures {
  constructor(private readonly app: TestApp, private readonly u: DemoUsers) {}

  async transition(who: DemoUsername, id: string, body: Record<string, unknown>): Promise<PolicyBody> {
    const current = await this.u[who].api.get<PolicyBody>(`/api/v1/policies/${id}`);
    const res = await this.u[who].api.post<PolicyBody>(`/api/v1/policies/${id}/transitions`, { rev: current.body.rev, ...body });
    expect(res.status, `${who} ${String(body.action)}: ${JSON.stringify(res.body)}`).to.equal(200);
    return res.body;
  }

  /** A draft with version 1 analysed (it has findings). */
  async draft(issuingLevel: 'department' | 'government' = 'department'): Promise<string> {
    const created = await this.u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: '某市关于支持本地商贸企业发展的若干措施', kind: 'normative_document', issuingLevel });
    expect(created.status).to.equal(201);
    const uploaded = await upload(this.app.baseUrl, this.u.drafter.token, created.body.id, Buffer.from(DRAFT_V1, 'utf8'), '措施.txt', 'text/plain');
    expect(uploaded.status, JSON.stringify(uploaded.body)).to.equal(202);
    expect((await waitForVersion(this.u.drafter.api, created.body.id, 1)).status).to.equal('analysed');
    return created.body.id;
  }

  async selfReview(issuingLevel: 'department' | 'government' = 'department'): Promise<string> {
    const id = await this.draft(issuingLevel);
    await this.transition('drafter', id, { action: 'start_review' });
    return id;
  }

  /** Confirms the first finding of the latest version and dismisses the others, as a reviewer would. */
  async decideFindings(id: string, who: DemoUsername = 'drafter'): Promise<void> {
    const findings = await this.u[who].api.get<{ items: Array<{ id: string }> }>(`/api/v1/policies/${id}/findings?status=pending`);
    for (const [i, f] of findings.body.items.entries()) {
      const body = i === 0 ? { status: 'confirmed' } : { status: 'dismissed', reason: '该条款不涉及排除、限制竞争' };
      const res = await this.u[who].api.patch(`/api/v1/policies/${id}/findings/${f.id}`, body);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
    }
  }

  /** In self-review with every finding decided, every item answered, the consultation recorded and a draft conclusion. */
  async completeSelfReview(issuingLevel: 'department' | 'government' = 'department'): Promise<string> {
    const id = await this.selfReview(issuingLevel);
    await this.decideFindings(id);
    const current = await this.u.drafter.api.get<PolicyBody>(`/api/v1/policies/${id}`);
    const saved = await this.u.drafter.api.put(`/api/v1/policies/${id}/self-review`, completeSelfReview(current.body.rev));
    expect(saved.status, JSON.stringify(saved.body)).to.equal(200);
    return id;
  }

  /** A government measure in joint review: member1–3, quorum 2. */
  async jointReview(): Promise<string> {
    const id = await this.completeSelfReview('government');
    const members = [this.u.member1.id, this.u.member2.id, this.u.member3.id];
    await this.transition('lead', id, { action: 'request_joint_review', members, quorum: 2, deadline: daysFromNow(30) });
    return id;
  }

  /** A department measure out for a third-party evaluation from self-review. */
  async evaluation(): Promise<string> {
    const id = await this.completeSelfReview();
    await this.transition('lead', id, { action: 'request_evaluation', evaluatorId: this.u.evaluator.id, scope: '对本地企业的影响', deadline: daysFromNow(30) });
    return id;
  }

  /** A department measure concluded by its lead and published. */
  async published(): Promise<string> {
    const id = await this.completeSelfReview();
    await this.transition('lead', id, { action: 'conclude', outcome: 'compliant', reasoning: '符合公平竞争审查标准' });
    await this.transition('drafter', id, { action: 'publish', docNumber: '某商发〔2025〕9号', publishedOn: today() });
    return id;
  }

  /** A government measure that went through a joint review and a third-party evaluation, then was published. */
  async publishedAfterJointReview(): Promise<string> {
    const id = await this.jointReview();
    for (const member of ['member1', 'member2'] as const) {
      const signed = await this.u[member].api.post(`/api/v1/policies/${id}/joint-review/sign-offs`, { vote: 'approve' });
      expect(signed.status).to.equal(201);
    }
    await this.transition('regulator', id, { action: 'request_evaluation', evaluatorId: this.u.evaluator.id, scope: '竞争影响', deadline: daysFromNow(30) });
    await this.transition('evaluator', id, { action: 'submit_evaluation', summary: '影响有限' });
    await this.transition('regulator', id, { action: 'conclude', outcome: 'compliant', reasoning: '会审通过' });
    await this.transition('drafter', id, { action: 'publish', docNumber: '某政发〔2025〕3号', publishedOn: today() });
    return id;
  }

  /** In self-review, with a version 2 that the worker could not read (an encrypted PDF). */
  async failedVersion(): Promise<string> {
    const id = await this.selfReview();
    const uploaded = await upload(this.app.baseUrl, this.u.drafter.token, id, makeEncryptedPdf(), '加密.pdf');
    expect(uploaded.status).to.equal(202);
    expect((await waitForVersion(this.u.drafter.api, id, 2)).status).to.equal('failed');
    return id;
  }
}

export interface PolicyTestbed { app: TestApp; u: DemoUsers; worker: WorkerProcess; fixtures: PolicyFixtures }

/**
 * Registers the suite's hooks: an app, the demo users logged in and a worker process before, everything stopped
 * after. The returned object is filled in by the time the tests run.
 */
export function usePolicyTestbed(label: string, workerEnv: Record<string, string> = {}): PolicyTestbed {
  const bed = {} as PolicyTestbed;
  before(async function () {
    bed.app = await startTestApp({ label });
    bed.u = await demoUsers(bed.app);
    bed.worker = await startWorker(bed.app, workerEnv);
    bed.fixtures = new PolicyFixtures(bed.app, bed.u);
  });
  after(async function () {
    await bed.worker?.stop();
    await bed.app?.close();
  });
  return bed;
}
