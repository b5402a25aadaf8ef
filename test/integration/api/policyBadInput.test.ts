/**
 * Bad input to the policy API: malformed JSON, unknown fields, wrong types, operator injection, oversized and
 * mistyped uploads, unknown and malformed ids. Each answer is problem+json with a Chinese title and a machine
 * code, and nothing is stored: the policy, the findings, GridFS and the analysis queue are unchanged.
 */
import { expect } from 'chai';
import { countFiles } from '../../../server/db/files';
import { makeDocx, writePdf } from '../../fixtures/makeDocuments';
import { client } from '../../support/http';
import { startTestApp, type TestApp } from '../../support/testApp';
import { startWorker, type WorkerProcess } from '../../support/workerProcess';
import { PolicyFixtures, completeSelfReview, demoUsers, expectProblem, upload, type DemoUsers, type PolicyBody } from './policyHelpers';

const MAX_UPLOAD_BYTES = 64 * 1024;
const UNKNOWN_ID = '0123456789abcdef01234567';

describe('policy API bad input (problem+json, nothing stored)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let worker: WorkerProcess;
  let u: DemoUsers;
  let policyId: string;
  let findingId: string;
  let snapshot: () => Promise<Record<string, unknown>>;
  let baseline: Record<string, unknown>;

  before(async function () {
    app = await startTestApp({ label: 'badinput', env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) } });
    u = await demoUsers(app);
    worker = await startWorker(app);
    policyId = await new PolicyFixtures(app, u).selfReview();
    findingId = (await u.drafter.api.get<{ items: Array<{ id: string }> }>(`/api/v1/policies/${policyId}/findings`)).body.items[0]!.id;
    await worker.stop();
    const { models, store, queues } = app.deps;
    snapshot = async () => {
      const policy = await models.Policy.findById(policyId).lean();
      return {
        policies: await models.Policy.countDocuments(),
        rev: policy?.rev,
        events: policy?.events.length,
        versions: policy?.versions.length,
        selfReview: JSON.stringify(policy?.selfReview),
        findings: JSON.stringify(await models.Finding.find({}).sort({ _id: 1 }).lean()),
        files: await countFiles(store, 'policyVersions'),
        jobs: (await queues.analysis.getJobs()).length,
      };
    };
    baseline = await snapshot();
  });
  afterEach(async function () {
    expect(await snapshot(), `after "${this.currentTest?.title}"`).to.deep.equal(baseline);
  });
  after(async function () {
    await worker?.stop();
    await app?.close();
  });

  const rev = async () => (await u.drafter.api.get<PolicyBody>(`/api/v1/policies/${policyId}`)).body.rev;

  it('answers malformed JSON with 400 invalid_json', async function () {
    expectProblem(await u.drafter.api.post('/api/v1/policies', '{"title": "措施", '), 400, 'invalid_json');
    expectProblem(await u.drafter.api.post(`/api/v1/policies/${policyId}/transitions`, '{action: start_review}'), 400, 'invalid_json');
    expectProblem(await u.drafter.api.put(`/api/v1/policies/${policyId}/self-review`, '[1,2'), 400, 'invalid_json');
  });

  it('answers unknown fields with 400, naming each as sent and what the endpoint accepts instead', async function () {
    const created = await u.drafter.api.post('/api/v1/policies', { title: '措施', kind: 'rule', issuingLevel: 'department', state: 'published' });
    expectProblem(created, 400, 'invalid_request');
    expect(created.body.detail).to.equal('请求参数不合法：不认识的字段 "state"：本接口只接受 title、kind、issuingLevel、industries');
    expect(created.body.issues).to.deep.equal([{ path: 'body', message: '不认识的字段 "state"：本接口只接受 title、kind、issuingLevel、industries' }]);

    // of the transitions, the fields of the action asked for
    const transition = await u.drafter.api.post(`/api/v1/policies/${policyId}/transitions`, { action: 'withdraw', rev: await rev(), reason: '撤回', rev2: 1 });
    expectProblem(transition, 400, 'invalid_request');
    expect(transition.body.detail).to.equal('请求参数不合法：不认识的字段 "rev2"：本接口只接受 action、rev、comment、reason');

    // a nested object: where it is, then what is accepted there
    const answers = completeSelfReview(await rev());
    const nested = await u.drafter.api.put(`/api/v1/policies/${policyId}/self-review`, { ...answers, answers: [{ itemId: 'entry-1', answer: 'no', score: 1 }] });
    expectProblem(nested, 400, 'invalid_request');
    expect(nested.body.issues).to.deep.equal([{ path: 'body.answers.0', message: '不认识的字段 "score"：此处只接受 itemId、answer、note、findingIds、legalBasis' }]);
    expect(nested.body.detail).to.match(/^请求参数不合法：.+：不认识的字段 "score"：此处只接受 itemId、/);

    const twoFields = await u.drafter.api.patch(`/api/v1/policies/${policyId}/findings/${findingId}`, { status: 'confirmed', decidedBy: 'admin', by: 'x' });
    expectProblem(twoFields, 400, 'invalid_request');
    expect(twoFields.body.detail).to.include('不认识的字段 "decidedBy"、"by"：本接口只接受 status、reason');

    const query = await u.drafter.api.get('/api/v1/policies?owner=me');
    expectProblem(query, 400, 'invalid_request');
    expect(query.body.detail).to.include('不认识的查询参数 "owner"：本接口只接受 state、department、q、text、');
  });

  it('answers wrong types and unknown values with 400', async function () {
    expectProblem(await u.drafter.api.post('/api/v1/policies', { title: 12, kind: 'rule', issuingLevel: 'department' }), 400, 'invalid_request');
    expectProblem(await u.drafter.api.post('/api/v1/policies', { title: '措施', kind: '红头文件', issuingLevel: 'department' }), 400, 'invalid_request');
    expectProblem(await u.drafter.api.post(`/api/v1/policies/${policyId}/transitions`, { action: 'withdraw', rev: String(await rev()), reason: '撤回' }), 400, 'invalid_request');
    expectProblem(await u.drafter.api.post(`/api/v1/policies/${policyId}/transitions`, { action: 'delete_everything', rev: await rev() }), 400, 'invalid_request');
    expectProblem(await u.lead.api.post(`/api/v1/policies/${policyId}/transitions`, { action: 'request_joint_review', rev: await rev(), members: 'member1', quorum: 2 }), 400, 'invalid_request');
    expectProblem(await u.lead.api.post(`/api/v1/policies/${policyId}/transitions`, { action: 'request_joint_review', rev: await rev(), members: [u.member1.id], quorum: 1.5 }), 400, 'invalid_request');
    expectProblem(await u.drafter.api.put(`/api/v1/policies/${policyId}/self-review`, completeSelfReview(await rev(), { answers: [{ itemId: 'entry-99', answer: 'maybe' }] })), 400, 'invalid_command');
    expectProblem(await u.drafter.api.patch(`/api/v1/policies/${policyId}/findings/${findingId}`, { status: 'ignored' }), 400, 'invalid_request');
    expectProblem(await u.drafter.api.get('/api/v1/policies?state=archived'), 400, 'invalid_request');
    expectProblem(await u.drafter.api.get('/api/v1/policies?pageSize=100000'), 400, 'invalid_request');
  });

  it('never runs operators sent as values: 400 for bodies and queries, 404 for path ids, literal text search', async function () {
    expectProblem(await u.drafter.api.post('/api/v1/policies', { title: { $gt: '' }, kind: 'rule', issuingLevel: 'department' }), 400, 'invalid_request');
    expectProblem(await u.drafter.api.post(`/api/v1/policies/${policyId}/transitions`, { action: 'withdraw', rev: { $gte: 0 }, reason: '撤回' }), 400, 'invalid_request');
    expectProblem(await u.member1.api.post(`/api/v1/policies/${policyId}/joint-review/sign-offs`, { vote: { $ne: null } }), 400, 'invalid_request');
    expectProblem(await u.drafter.api.patch(`/api/v1/policies/${policyId}/findings/${findingId}`, { status: { $in: ['confirmed'] } }), 400, 'invalid_request');
    expectProblem(await u.drafter.api.get('/api/v1/policies?state[$ne]=draft'), 400, 'invalid_request');
    expectProblem(await u.drafter.api.get('/api/v1/policies?text[$regex]=.*'), 400, 'invalid_request');
    expectProblem(await u.lead.api.get('/api/v1/users?role[$ne]=admin'), 400, 'invalid_request');
    expectProblem(await u.drafter.api.get(`/api/v1/policies/${encodeURIComponent('{"$ne":null}')}`), 404, 'policy_not_found');
    // regular-expression characters in the search text are matched literally
    const literal = await u.drafter.api.get<{ total: number }>(`/api/v1/policies?text=${encodeURIComponent('.*')}`);
    expect(literal.status).to.equal(200);
    expect(literal.body.total).to.equal(0);
    expect((await u.drafter.api.get<{ total: number }>(`/api/v1/policies?text=${encodeURIComponent('本地商贸')}`)).body.total).to.equal(1);
  });

  it('refuses an oversized upload with 413 and a mistyped one with 415 (by its bytes), storing nothing', async function () {
    const docx = await makeDocx([{ paragraph: '第一条　正文。' }]);
    const tooLarge = await upload(app.baseUrl, u.drafter.token, policyId, Buffer.concat([Buffer.from('第一条　'.repeat(10)), Buffer.alloc(MAX_UPLOAD_BYTES, 0x41)]), '措施.txt', 'text/plain');
    expectProblem(tooLarge, 413, 'payload_too_large');
    expect(tooLarge.body.detail, 'the answer names the limit').to.include('文件不能超过 64 KB');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Buffer.alloc(64)]);
    expectProblem(await upload(app.baseUrl, u.drafter.token, policyId, png, '措施.docx'), 415, 'unsupported_file_type');
    expectProblem(await upload(app.baseUrl, u.drafter.token, policyId, docx, '措施.pdf', 'application/pdf'), 415, 'file_type_mismatch');
    expectProblem(await upload(app.baseUrl, u.drafter.token, policyId, writePdf([[{ text: '第一条' }]]), '措施.txt', 'text/plain'), 415, 'file_type_mismatch');
    expectProblem(await upload(app.baseUrl, u.drafter.token, policyId, docx, '措施.doc'), 415, 'legacy_word_format');
    expectProblem(await upload(app.baseUrl, u.drafter.token, policyId, Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), '措施.exe'), 415, 'unsupported_file_type');
    expectProblem(await upload(app.baseUrl, u.drafter.token, policyId, Buffer.alloc(0), '措施.txt', 'text/plain'), 422, 'document_empty');
  });

  it('answers an upload without a file, or in the wrong field, with 400', async function () {
    expectProblem(await u.drafter.api.post(`/api/v1/policies/${policyId}/versions`, {}), 400, 'file_required');
    const form = new FormData();
    form.append('document', new Blob(['第一条　正文。']), '措施.txt');
    const res = await fetch(`${app.baseUrl}/api/v1/policies/${policyId}/versions`, { method: 'POST', headers: { authorization: `Bearer ${u.drafter.token}` }, body: form });
    expect(res.status).to.equal(400);
    expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect(((await res.json()) as { code: string }).code).to.equal('invalid_upload');
    const extra = new FormData();
    extra.append('file', new Blob(['第一条　正文。']), '措施.txt');
    extra.append('version', '7');
    const withField = await fetch(`${app.baseUrl}/api/v1/policies/${policyId}/versions`, { method: 'POST', headers: { authorization: `Bearer ${u.drafter.token}` }, body: extra });
    expect(withField.status).to.equal(400);
    expect(withField.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect(((await withField.json()) as { detail: string }).detail).to.equal('请求参数不合法：不认识的字段 "version"：本接口只接受 file');
  });

  it('answers a JSON body over the size limit with 413', async function () {
    const huge = completeSelfReview(await rev(), { draftConclusion: { outcome: 'compliant', reasoning: '长'.repeat(600_000) } });
    expectProblem(await u.drafter.api.put(`/api/v1/policies/${policyId}/self-review`, huge), 413, 'payload_too_large');
  });

  it('answers unknown and malformed ids with 404 on every route, before anything is stored', async function () {
    const d = u.drafter.api;
    for (const id of [UNKNOWN_ID, 'abc', '0123456789abcdef0123456z', '1'.repeat(64)]) {
      expectProblem(await d.get(`/api/v1/policies/${id}`), 404, 'policy_not_found');
      expectProblem(await d.get(`/api/v1/policies/${id}/history`), 404, 'policy_not_found');
      expectProblem(await d.get(`/api/v1/policies/${id}/history/verify`), 404, 'policy_not_found');
      expectProblem(await d.get(`/api/v1/policies/${id}/findings`), 404, 'policy_not_found');
      expectProblem(await d.get(`/api/v1/policies/${id}/versions/1`), 404, 'policy_not_found');
      expectProblem(await d.post(`/api/v1/policies/${id}/transitions`, { action: 'start_review', rev: 0 }), 404, 'policy_not_found');
      expectProblem(await d.put(`/api/v1/policies/${id}/self-review`, { rev: 0 }), 404, 'policy_not_found');
      expectProblem(await u.member1.api.post(`/api/v1/policies/${id}/joint-review/sign-offs`, { vote: 'approve' }), 404, 'policy_not_found');
      expectProblem(await upload(app.baseUrl, u.drafter.token, id, Buffer.from('第一条　正文。'), '措施.txt', 'text/plain'), 404, 'policy_not_found');
    }
    for (const n of ['99', '0', 'abc', '1.5', '-1']) {
      expectProblem(await d.get(`/api/v1/policies/${policyId}/versions/${n}`), 404, 'version_not_found');
      expectProblem(await d.get(`/api/v1/policies/${policyId}/versions/${n}/findings`), 404, 'version_not_found');
      expectProblem(await d.get(`/api/v1/policies/${policyId}/versions/${n}/file`), 404, 'version_not_found');
      expectProblem(await d.post(`/api/v1/policies/${policyId}/versions/${n}/analysis`), 404, 'version_not_found');
    }
    for (const fid of [UNKNOWN_ID, 'nope']) {
      expectProblem(await d.patch(`/api/v1/policies/${policyId}/findings/${fid}`, { status: 'confirmed' }), 404, 'finding_not_found');
    }
    // a finding is addressed through its own policy only
    const other = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: '另一措施', kind: 'rule', issuingLevel: 'department' });
    expectProblem(await d.patch(`/api/v1/policies/${other.body.id}/findings/${findingId}`, { status: 'confirmed' }), 404, 'finding_not_found');
    await app.deps.models.Policy.deleteOne({ _id: other.body.id });
    // unknown routes too
    expectProblem(await client(app.baseUrl, u.drafter.token).get('/api/v1/policies-nope'), 404, 'route_not_found');
  });
});
