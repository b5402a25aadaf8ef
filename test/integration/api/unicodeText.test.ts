/**
 * Property test over real HTTP, the real store and the event chain: random Unicode (lone surrogate halves, NUL,
 * bidirectional marks, combining characters, astral characters, decomposed Hangul) sent through the text fields
 * of policies and complaints. Text with a lone surrogate is refused with 400 naming the field and nothing is
 * stored; any other text is stored in NFC, exactly as hashed, and every history still verifies.
 * The seed is printed on failure; FAIRREVIEW_TEST_SEED=<n> replays a run.
 */
import { expect } from 'chai';
import { verifyChain } from '../../../server/domain/eventChain';
import { ComplaintRepository } from '../../../server/db/complaintRepository';
import { client } from '../../support/http';
import { startTestApp, type TestApp } from '../../support/testApp';
import { demoUsers, type DemoUsers, type PolicyBody } from './policyHelpers';

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, pick };
}

const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff'];
const PIECES = [
  '政策', '措施', '本地企业', 'abc', 'Z', '1', ' ', '\n', '\t',
  '\u0000', '\u0001', // NUL and another control character
  '\u200f', '\u202e', '\u2066', '\u200e', // RTL mark, right-to-left override, isolate, LTR mark
  'e\u0301', '\u0041\u030a', '\u1100\u1161', // decomposed é, Å and Hangul 가: NFC composes them
  '\u00e9', '\u212b', // precomposed é; the Ångström sign, which NFC maps to Å
  '\u{20000}', '\u{1f600}', '\ufeff', '\u200d', // astral CJK, emoji, BOM, zero-width joiner
];

describe('random Unicode through every text field, and the audit chain (real store)', function () {
  this.timeout(240_000);
  const seed = Number(process.env.FAIRREVIEW_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const random = generator(seed);
  let app: TestApp;
  let u: DemoUsers;

  before(async function () {
    app = await startTestApp({ label: 'unicode' });
    u = await demoUsers(app);
  });
  after(async function () {
    await app?.close();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(`  unicode property test seed: FAIRREVIEW_TEST_SEED=${seed}`);
  });

  /** Random text starting with a CJK word (so it is never blank); with `lone`, one lone surrogate somewhere. */
  function text(lone: boolean, maxPieces = 12): string {
    const parts = ['审查'];
    const count = 1 + Math.floor(random.next() * maxPieces);
    for (let i = 0; i < count; i++) parts.push(random.pick(PIECES));
    if (lone) parts.splice(1 + Math.floor(random.next() * parts.length), 0, random.pick(LONE_SURROGATES));
    return parts.join('');
  }

  function expectMalformed(res: { status: number; body: unknown }, field: string) {
    expect(res.status, JSON.stringify(res.body)).to.equal(400);
    const body = res.body as { code: string; detail: string; issues: Array<{ path: string }> };
    expect(body.code).to.equal('malformed_text');
    expect(body.issues.map((i) => i.path)).to.include(field);
    expect(body.detail).to.contain(field);
  }

  it('stores policy titles, industries and withdrawal reasons in NFC exactly as hashed, and refuses lone surrogates', async function () {
    for (let round = 0; round < 25; round++) {
      const lone = random.pick(['none', 'title', 'industry', 'reason'] as const);
      const title = text(lone === 'title');
      const industries = [text(false, 3), text(lone === 'industry', 3)];
      const before = await app.deps.models.Policy.countDocuments();
      const created = await u.drafter.api.post<PolicyBody & { title: string; industries: string[] }>('/api/v1/policies', { title, kind: 'normative_document', issuingLevel: 'department', industries });
      if (lone === 'title' || lone === 'industry') {
        expectMalformed(created, lone === 'title' ? 'body.title' : 'body.industries.1');
        expect(await app.deps.models.Policy.countDocuments(), 'nothing stored').to.equal(before);
        continue;
      }
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      expect(created.body.title).to.equal(title.normalize('NFC').trim());
      expect(created.body.industries).to.deep.equal(industries.map((i) => i.normalize('NFC')));

      const reason = text(lone === 'reason');
      const withdrawn = await u.drafter.api.post(`/api/v1/policies/${created.body.id}/transitions`, { action: 'withdraw', rev: created.body.rev, reason });
      if (lone === 'reason') expectMalformed(withdrawn, 'body.reason');
      else expect(withdrawn.status, JSON.stringify(withdrawn.body)).to.equal(200);

      const history = await u.drafter.api.get<{ events: Array<{ action: string; data: Record<string, unknown> }> }>(`/api/v1/policies/${created.body.id}/history`);
      expect(history.body.events[0]!.data.title).to.equal(title.normalize('NFC').trim());
      if (lone !== 'reason') expect(history.body.events.at(-1)!.data.reason).to.equal(reason.normalize('NFC'));
      expect(history.body.events).to.have.length(lone === 'reason' ? 1 : 2);
      const verified = await u.drafter.api.get(`/api/v1/policies/${created.body.id}/history/verify`);
      expect(verified.body, JSON.stringify(history.body.events)).to.include({ ok: true });
    }
  });

  it('stores every complaint intake field as hashed, and refuses lone surrogates naming the field', async function () {
    const fields = ['reporterName', 'reporterContact', 'reporterOrg', 'measureText', 'issuingBody', 'description'] as const;
    const anonymous = client(app.baseUrl);
    // Intake is limited to 20 per hour and client; 15 rounds stay below it.
    for (let round = 0; round < 15; round++) {
      const lone = random.next() < 0.4 ? random.pick(fields) : null;
      const body = Object.fromEntries(fields.map((f) => [f, text(f === lone, f === 'reporterName' ? 4 : 12)]));
      const before = await app.deps.models.Complaint.countDocuments();
      const res = await anonymous.post<{ refNo: string }>('/api/v1/complaints', body);
      if (lone) {
        expectMalformed(res, `body.${lone}`);
        expect(await app.deps.models.Complaint.countDocuments(), 'nothing stored').to.equal(before);
        continue;
      }
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const stored = await app.deps.models.Complaint.findOne({ refNo: res.body.refNo }).lean();
      const complaint = (await new ComplaintRepository(app.deps.models).findById(String(stored!._id)))!;
      expect(complaint.description).to.equal(body.description!.normalize('NFC').trim());
      expect(JSON.stringify(complaint), 'no replacement character: nothing was mangled on the way').not.to.contain('\ufffd');
      expect(verifyChain(complaint.events)).to.deep.equal({ ok: true, length: complaint.events.length });
    }
  });

  it('refuses a lone surrogate in an object key with 400, and keeps NUL and bidi marks in search', async function () {
    const title = '公平\u0000竞争\u202e审查\u0301';
    const created = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title, kind: 'normative_document', issuingLevel: 'department' });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const found = await u.drafter.api.get<{ items: Array<{ id: string }> }>(`/api/v1/policies?text=${encodeURIComponent('竞争\u202e审')}`);
    expect(found.body.items.map((p) => p.id)).to.include(created.body.id);

    const badKey = await u.drafter.api.post('/api/v1/policies', '{"title":"标题","kind":"normative_document","issuingLevel":"department","\\ud800":1}');
    expect(badKey.status, JSON.stringify(badKey.body)).to.equal(400);
    expect((badKey.body as { code: string }).code).to.equal('malformed_text');
  });
});
