import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { GENESIS_HASH, canonicalJson, hashEvent, sealEvent, verifyChain } from '../../../server/domain/eventChain';
import type { PolicyEvent } from '../../../server/domain/policy';
import { actors, storyIn } from './policyFixtures';

/** A real history: created, uploaded, reviewed, joint review with sign-offs, concluded. */
function history(): PolicyEvent[] {
  const story = storyIn('joint_review').signOff(actors.member1).signOff(actors.member2, 'reject', '第三条限定本地企业');
  story.act(actors.regulator, { action: 'conclude', outcome: 'compliant', reasoning: '会审通过，可以出台' });
  return story.policy.events;
}

const copy = (events: PolicyEvent[]) => structuredClone(events);

describe('event hash chain', () => {
  it('verifies a history built by the workflow', () => {
    const events = history();
    expect(events.map((e) => e.action)).to.deep.equal([
      'create', 'upload_version', 'start_review', 'update_self_review', 'request_joint_review', 'sign_off', 'sign_off', 'conclude',
    ]);
    expect(events[0]?.prevHash).to.equal(GENESIS_HASH);
    expect(verifyChain(events)).to.deep.equal({ ok: true, length: 8 });
  });

  it('verifies an empty history', () => {
    expect(verifyChain([])).to.deep.equal({ ok: true, length: 0 });
  });

  it('hashes the canonical JSON of the event fields and the previous hash with sha256', () => {
    const event = sealEvent(
      { actor: { id: 'u1', username: 'lead' }, action: 'start_review', from: 'draft', to: 'self_review', at: '2025-05-06T02:00:00.000Z', comment: '', data: { versionN: 1 } },
      [],
    );
    const canonical =
      '{"action":"start_review","actor":{"id":"u1","username":"lead"},"at":"2025-05-06T02:00:00.000Z","comment":"",' +
      `"data":{"versionN":1},"from":"draft","prevHash":"${GENESIS_HASH}","to":"self_review"}`;
    expect(event.hash).to.equal(createHash('sha256').update(canonical, 'utf8').digest('hex'));
  });

  describe('detects tampering', () => {
    const cases: [string, (events: PolicyEvent[]) => void, number, string][] = [
      ['a changed comment', (e) => { e[5]!.comment = '同意（已改）'; }, 5, 'hash_mismatch'],
      ['a changed vote deep in data', (e) => { e[6]!.data.vote = 'approve'; }, 6, 'hash_mismatch'],
      ['a changed actor', (e) => { e[7]!.actor.id = actors.lead.id; }, 7, 'hash_mismatch'],
      ['a changed time', (e) => { e[2]!.at = '2024-01-01T00:00:00.000Z'; }, 2, 'hash_mismatch'],
      ['a changed target state', (e) => { e[4]!.to = 'concluded'; }, 4, 'hash_mismatch'],
      ['a removed event', (e) => { e.splice(3, 1); }, 3, 'prev_hash_mismatch'],
      ['swapped events', (e) => { [e[5], e[6]] = [e[6]!, e[5]!]; }, 5, 'prev_hash_mismatch'],
      ['a rewritten event with its hash recomputed', (e) => { e[1]!.comment = 'x'; e[1]!.hash = hashEvent(e[1]!); }, 2, 'prev_hash_mismatch'],
      ['a forged first event', (e) => { e[0]!.prevHash = 'f'.repeat(64); e[0]!.hash = hashEvent(e[0]!); }, 0, 'prev_hash_mismatch'],
    ];
    for (const [what, tamper, brokenAt, reason] of cases) {
      it(what, () => {
        const events = copy(history());
        tamper(events);
        expect(verifyChain(events)).to.deep.equal({ ok: false, brokenAt, reason });
      });
    }

    it('an event appended at the end without linking', () => {
      const events = copy(history());
      const stray = sealEvent({ ...events[7]!, comment: 'stray' }, events.slice(0, 3));
      expect(verifyChain([...events, stray])).to.deep.equal({ ok: false, brokenAt: 8, reason: 'prev_hash_mismatch' });
    });
  });

  describe('survives a round trip through the store', () => {
    it('whatever order the keys come back in', () => {
      const reversed = history().map((e) => Object.fromEntries(Object.entries(e).reverse()) as unknown as PolicyEvent);
      expect(verifyChain(reversed).ok).to.equal(true);
    });

    it('with an empty data object minimised away, or `at` read back as a Date', () => {
      const events = copy(history());
      const bare = sealEvent({ actor: { id: 'u', username: 'u' }, action: 'start_review', from: 'draft', to: 'self_review', at: '2025-06-01T00:00:00.000Z', comment: '', data: {} }, events);
      delete (bare as Partial<PolicyEvent>).data;
      events.push(bare);
      for (const e of events) (e as unknown as { at: Date }).at = new Date(e.at);
      expect(verifyChain(events).ok).to.equal(true);
    });
  });

  it('chains sealed events to the end of the history', () => {
    const events = history();
    const next = sealEvent({ actor: { id: 'u', username: 'u' }, action: 'publish', from: 'concluded', to: 'published', at: '2025-06-01T00:00:00.000Z', comment: '', data: {} }, events);
    expect(next.prevHash).to.equal(events.at(-1)?.hash);
    expect(verifyChain([...events, next]).ok).to.equal(true);
  });

  it('seals a lone surrogate as the U+FFFD the store keeps, so the stored event still verifies', () => {
    const sealed = sealEvent({ actor: { id: 'u', username: 'u\udc00' }, action: 'withdraw', from: 'draft', to: 'withdrawn', at: '2025-06-01T00:00:00.000Z', comment: 'a\ud800b', data: { reason: ['x\udbff'] } }, []);
    expect(sealed.comment).to.equal('a\ufffdb');
    expect(sealed.data).to.deep.equal({ reason: ['x\ufffd'] });
    // what the store gives back: every string re-encoded as UTF-8
    const stored = JSON.parse(Buffer.from(JSON.stringify(sealed), 'utf8').toString('utf8')) as PolicyEvent;
    expect(verifyChain([stored])).to.deep.equal({ ok: true, length: 1 });
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).to.equal('{"a":{"c":null,"d":[3,1]},"b":1}');
  });

  it('drops undefined members and writes Dates as ISO strings', () => {
    expect(canonicalJson({ a: undefined, t: new Date('2025-01-02T03:04:05.000Z') })).to.equal('{"t":"2025-01-02T03:04:05.000Z"}');
  });

  it('distinguishes values that differ only in type', () => {
    expect(canonicalJson({ n: 1 })).to.not.equal(canonicalJson({ n: '1' }));
  });
});
