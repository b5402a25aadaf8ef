import { expect } from 'chai';
import { AppError, ConflictError, ForbiddenError, PreconditionError, ValidationError } from '../../../server/domain/errors';
import {
  assignReviewers,
  createSpotCheck,
  decideSpotCheckResult,
  drawSample,
  seededRandom,
  sfc32,
  xmur3,
  type RecordResultCommand,
  type Reviewer,
  type SpotCheck,
  type SpotCheckPolicy,
} from '../../../server/domain/spotCheck';
import type { StaffActor } from '../../../server/domain/supervisionActor';

/** Five drafting departments of unequal size: 3 + 5 + 8 + 12 + 20 = 48 policies. */
const DEPARTMENT_SIZES: Record<string, number> = { d1: 3, d2: 5, d3: 8, d4: 12, d5: 20 };
const POLICIES: SpotCheckPolicy[] = Object.entries(DEPARTMENT_SIZES).flatMap(([departmentId, size]) =>
  Array.from({ length: size }, (_, i) => ({ id: `${departmentId}-p${String(i).padStart(2, '0')}`, departmentId })),
);
const POOL: Reviewer[] = ['d1', 'd2', 'd3', 'd4', 'd5'].flatMap((departmentId) => [
  { id: `${departmentId}-r1`, departmentId },
  { id: `${departmentId}-r2`, departmentId },
]);

function expectError(fn: () => unknown, type: new (...args: never[]) => AppError, code: string): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(type);
    expect((err as AppError).code).to.equal(code);
    return err as AppError;
  }
  throw new Error(`expected ${type.name} ${code}`);
}

/** Pearson's statistic Σ (observed − expected)² / expected. */
function chiSquare(observed: number[], expected: number[]): number {
  return observed.reduce((sum, o, i) => sum + (o - (expected[i] as number)) ** 2 / (expected[i] as number), 0);
}

describe('spotCheck', () => {
  describe('PRNG', () => {
    it('sfc32 seeded by xmur3 is deterministic per seed and differs between seeds', () => {
      const a = seededRandom('2026-Q4');
      const b = seededRandom('2026-Q4');
      const c = seededRandom('2026-Q4 ');
      const first = Array.from({ length: 5 }, () => a());
      expect(Array.from({ length: 5 }, () => b())).to.deep.equal(first);
      expect(Array.from({ length: 5 }, () => c())).not.to.deep.equal(first);
      for (const x of first) expect(x).to.be.within(0, 1 - Number.EPSILON);
    });

    it('matches the published xmur3 and sfc32', () => {
      // Regression guard: outputs of the published xmur3 (bryc, "PRNGs.md"), computed once outside this module.
      const seed = xmur3('apples');
      expect([seed(), seed(), seed(), seed()]).to.deep.equal([3453500757, 525147136, 2278772549, 1068107389]);
      // sfc32's first output is a + b + (d + 1) mod 2^32, straight from its definition.
      const random = sfc32(0x9e3779b9, 0x243f6a88, 0xb7e15162, 0);
      expect(random() * 2 ** 32).to.equal((0x9e3779b9 + 0x243f6a88 + 1) % 2 ** 32);
    });
  });

  describe('drawSample', () => {
    it('the same seed gives the same draw, whatever order the policies arrive in', () => {
      const first = drawSample({ policies: POLICIES, sampleSize: 10, seed: 'seed-42' });
      const shuffled = [...POLICIES].reverse();
      const again = drawSample({ policies: shuffled, sampleSize: 10, seed: 'seed-42' });
      expect(again.sample.map((p) => p.id)).to.deep.equal(first.sample.map((p) => p.id));
      expect(drawSample({ policies: POLICIES, sampleSize: 10, seed: 'seed-43' }).sample.map((p) => p.id)).not.to.deep.equal(
        first.sample.map((p) => p.id),
      );
    });

    it('draws distinct policies from the population, sized by count or by rate (rounded up)', () => {
      const draw = drawSample({ policies: POLICIES, rate: 0.1, seed: 's' });
      expect(draw).to.deep.include({ seed: 's', populationSize: 48, sampleSize: 5 });
      expect(new Set(draw.sample.map((p) => p.id)).size).to.equal(5);
      for (const p of draw.sample) expect(POLICIES).to.deep.include(p);
      expect(drawSample({ policies: POLICIES, rate: 1, seed: 's' }).sampleSize).to.equal(48);
    });

    it('takes the whole population when it is smaller than the sample', () => {
      const draw = drawSample({ policies: POLICIES.slice(0, 3), sampleSize: 10, seed: 's' });
      expect(draw.sampleSize).to.equal(3);
      expect(draw.sample.map((p) => p.id).sort()).to.deep.equal(POLICIES.slice(0, 3).map((p) => p.id));
    });

    it('needs exactly one of sampleSize and rate, valid, and a seed', () => {
      const paths = (input: Parameters<typeof drawSample>[0]) =>
        (expectError(() => drawSample(input), ValidationError, 'invalid_command').details.problems as Array<{ path: string }>).map((p) => p.path);
      expect(paths({ policies: POLICIES, seed: 's' })).to.deep.equal(['sampleSize']);
      expect(paths({ policies: POLICIES, sampleSize: 3, rate: 0.1, seed: 's' })).to.deep.equal(['sampleSize']);
      expect(paths({ policies: POLICIES, sampleSize: 0, seed: 's' })).to.deep.equal(['sampleSize']);
      expect(paths({ policies: POLICIES, rate: 1.5, seed: 's' })).to.deep.equal(['rate']);
      expect(paths({ policies: POLICIES, sampleSize: 2, seed: ' ' })).to.deep.equal(['seed']);
    });

    /*
     * Department bias test. H0: the draw is a simple random sample, so a drawn policy comes from department d
     * with probability n_d / N. Over 10,000 draws (seeds "bias-0" … "bias-9999") we count drawn policies per
     * department and compute Pearson's χ² goodness-of-fit statistic against the expected counts. With 5
     * departments there are 4 degrees of freedom; we reject H0 at significance α = 0.001, i.e. if χ² ≥ 18.467
     * (the 0.999 quantile of χ²₄). The seeds are fixed, so the test is deterministic, not flaky.
     */
    const CRITICAL_CHI2_DF4_ALPHA_0_001 = 18.467;
    const departments = Object.keys(DEPARTMENT_SIZES);

    function departmentCounts(sampleSize: number): number[] {
      const counts = new Map(departments.map((d) => [d, 0]));
      for (let i = 0; i < 10_000; i++) {
        for (const p of drawSample({ policies: POLICIES, sampleSize, seed: `bias-${i}` }).sample) {
          counts.set(p.departmentId, (counts.get(p.departmentId) ?? 0) + 1);
        }
      }
      return departments.map((d) => counts.get(d) ?? 0);
    }

    it('10,000 single draws show no department bias (χ² goodness of fit, df = 4, α = 0.001)', () => {
      const observed = departmentCounts(1);
      const expected = departments.map((d) => (10_000 * (DEPARTMENT_SIZES[d] as number)) / POLICIES.length);
      expect(chiSquare(observed, expected)).to.be.below(CRITICAL_CHI2_DF4_ALPHA_0_001);
    });

    it('10,000 draws of 6 show no department bias either (same test on 60,000 drawn policies)', () => {
      // Within one draw the policies are drawn without replacement, so department counts vary a little less
      // than multinomially; that makes χ² slightly smaller under H0, so the same critical value is conservative.
      const observed = departmentCounts(6);
      const expected = departments.map((d) => (60_000 * (DEPARTMENT_SIZES[d] as number)) / POLICIES.length);
      expect(chiSquare(observed, expected)).to.be.below(CRITICAL_CHI2_DF4_ALPHA_0_001);
    });

    it('every policy is equally likely to be drawn (χ² over 48 policies, df = 47, α = 0.001: 82.720)', () => {
      const counts = new Map(POLICIES.map((p) => [p.id, 0]));
      for (let i = 0; i < 10_000; i++) {
        const [p] = drawSample({ policies: POLICIES, sampleSize: 1, seed: `uniform-${i}` }).sample;
        counts.set(p!.id, (counts.get(p!.id) ?? 0) + 1);
      }
      const observed = [...counts.values()];
      expect(chiSquare(observed, observed.map(() => 10_000 / 48))).to.be.below(82.72);
    });
  });

  describe('assignReviewers', () => {
    it('never assigns a reviewer from the drafting department, over 2,000 seeds and sample sizes', () => {
      for (let i = 0; i < 2_000; i++) {
        const sample = drawSample({ policies: POLICIES, sampleSize: 1 + (i % 30), seed: `prop-${i}` }).sample;
        const reviewersPerPolicy = 1 + (i % 3);
        const assignments = assignReviewers({ sample, pool: POOL, seed: `prop-${i}`, reviewersPerPolicy });
        expect(assignments.map((a) => a.policyId)).to.deep.equal(sample.map((p) => p.id));
        for (const a of assignments) {
          expect(new Set(a.reviewerIds).size, `seed prop-${i}`).to.equal(reviewersPerPolicy);
          for (const id of a.reviewerIds) {
            const reviewer = POOL.find((r) => r.id === id);
            expect(reviewer?.departmentId, `seed prop-${i} ${a.policyId}`).to.not.equal(a.departmentId);
          }
        }
      }
    });

    it('is reproducible from the seed and independent of pool order', () => {
      const sample = drawSample({ policies: POLICIES, sampleSize: 12, seed: 'rep' }).sample;
      const a = assignReviewers({ sample, pool: POOL, seed: 'rep' });
      expect(assignReviewers({ sample, pool: [...POOL].reverse(), seed: 'rep' })).to.deep.equal(a);
      expect(assignReviewers({ sample, pool: POOL, seed: 'other' })).not.to.deep.equal(a);
    });

    it('balances the load: no reviewer has more than one policy more than another', () => {
      for (let i = 0; i < 500; i++) {
        const sample = drawSample({ policies: POLICIES, sampleSize: 5 + (i % 40), seed: `load-${i}` }).sample;
        const load = new Map(POOL.map((r) => [r.id, 0]));
        for (const a of assignReviewers({ sample, pool: POOL, seed: `load-${i}`, reviewersPerPolicy: 1 + (i % 2) })) {
          for (const id of a.reviewerIds) load.set(id, (load.get(id) ?? 0) + 1);
        }
        const loads = [...load.values()];
        expect(Math.max(...loads) - Math.min(...loads), `seed load-${i}`).to.be.at.most(1);
      }
    });

    it('when the department rule forbids balance, it still assigns as evenly as the rule allows', () => {
      const pool: Reviewer[] = [
        { id: 'r1', departmentId: 'd1' },
        { id: 'r2', departmentId: 'd2' },
        { id: 'r3', departmentId: 'd2' },
      ];
      // four d2 policies only r1 may review; two d1 policies go one each to r2 and r3
      const sample = [...['a', 'b', 'c', 'd'].map((x) => ({ id: `d2-${x}`, departmentId: 'd2' })), { id: 'd1-a', departmentId: 'd1' }, { id: 'd1-b', departmentId: 'd1' }];
      const byPolicy = Object.fromEntries(assignReviewers({ sample, pool, seed: 's' }).map((a) => [a.policyId, a.reviewerIds]));
      for (const x of ['a', 'b', 'c', 'd']) expect(byPolicy[`d2-${x}`]).to.deep.equal(['r1']);
      expect([...byPolicy['d1-a']!, ...byPolicy['d1-b']!].sort()).to.deep.equal(['r2', 'r3']);
    });

    it('refuses with a 422 naming the policies when only their own department could review them', () => {
      const pool: Reviewer[] = [
        { id: 'r1', departmentId: 'd1' },
        { id: 'r2', departmentId: 'd2' },
      ];
      const sample = [
        { id: 'p1', departmentId: 'd1' },
        { id: 'p2', departmentId: 'd3' },
      ];
      const err = expectError(() => assignReviewers({ sample, pool, seed: 's', reviewersPerPolicy: 2 }), PreconditionError, 'missing_preconditions');
      expect(err.status).to.equal(422);
      expect(err.details).to.deep.include({ missing: ['eligible_reviewer'], policyIds: ['p1'] });
      const onlyOwn = expectError(
        () => assignReviewers({ sample: [{ id: 'p1', departmentId: 'd1' }], pool: [{ id: 'r1', departmentId: 'd1' }], seed: 's' }),
        PreconditionError,
        'missing_preconditions',
      );
      expect(onlyOwn.details.policyIds).to.deep.equal(['p1']);
    });
  });

  describe('spot check results', () => {
    const regulator: StaffActor = { id: 'reg', username: 'reg', role: 'regulator', departmentId: 'market' };
    const now = new Date('2026-11-22T02:00:00Z');

    function newCheck(): SpotCheck {
      return createSpotCheck({ id: 'sc1', scope: { departmentIds: ['d1', 'd2'] }, policies: POLICIES, sampleSize: 2, seed: 'sc', pool: POOL }, regulator, now).spotCheck;
    }
    const reviewerOf = (check: SpotCheck, i: number): StaffActor => {
      const id = check.entries[i]!.reviewerIds[0]!;
      return { id, username: id, role: 'committee_member', departmentId: id.slice(0, 2) };
    };
    const record = (check: SpotCheck, i: number, cmd: Omit<RecordResultCommand, 'action' | 'rev' | 'policyId'>, actor = reviewerOf(check, i)) =>
      decideSpotCheckResult(check, actor, { action: 'record_result', rev: check.rev, policyId: check.entries[i]!.policyId, ...cmd }, now);

    it('only a regulator or an admin starts one; it records the seed and its draw', () => {
      const { spotCheck, event } = createSpotCheck({ id: 'sc1', scope: {}, policies: POLICIES, sampleSize: 2, seed: 'sc', pool: POOL }, regulator, now);
      const draw = drawSample({ policies: POLICIES, sampleSize: 2, seed: 'sc' });
      expect(spotCheck).to.deep.include({ seed: 'sc', populationSize: 48, sampleSize: 2, state: 'in_progress', rev: 0 });
      expect(spotCheck.entries.map((e) => e.policyId)).to.deep.equal(draw.sample.map((p) => p.id));
      expect(event.data).to.deep.include({ seed: 'sc', policyIds: draw.sample.map((p) => p.id) });
      const drafter: StaffActor = { ...regulator, role: 'drafter' };
      expectError(() => createSpotCheck({ id: 'x', scope: {}, policies: POLICIES, sampleSize: 2, seed: 'sc', pool: POOL }, drafter, now), ForbiddenError, 'forbidden');
      expectError(() => createSpotCheck({ id: 'x', scope: {}, policies: [], sampleSize: 2, seed: 'sc', pool: POOL }, regulator, now), PreconditionError, 'missing_preconditions');
    });

    it('a problem opens the recheck; the last result completes the check', () => {
      const check = newCheck();
      const first = record(check, 0, { outcome: 'problem', items: ['flow-3', 'entry-3a', 'flow-3'], notes: '要求本地注册' });
      expect(first.set.state).to.equal('in_progress');
      expect(first.set.entries[0]!.result).to.deep.include({ outcome: 'problem', items: ['flow-3', 'entry-3a'], notes: '要求本地注册' });
      expect(first.effects).to.deep.equal([
        { kind: 'open_policy_recheck', policyId: check.entries[0]!.policyId, source: 'spot_check', refId: 'sc1', reason: '抽查发现问题（flow-3、entry-3a）：要求本地注册' },
      ]);
      const after = { ...check, ...first.set };
      const second = record(after, 1, { outcome: 'no_problem' });
      expect(second.set.state).to.equal('completed');
      expect(second.effects).to.deep.equal([]);
      expect(second.event).to.deep.include({ action: 'record_result', from: 'in_progress', to: 'completed' });
    });

    it('refuses others, a second result, a stale revision and bad items', () => {
      const check = newCheck();
      expectError(() => record(check, 0, { outcome: 'no_problem' }, regulator), ForbiddenError, 'forbidden');
      expectError(() => record(check, 0, { outcome: 'no_problem' }, { ...regulator, id: 'admin', role: 'admin' }), ForbiddenError, 'forbidden');
      const done = { ...check, ...record(check, 0, { outcome: 'no_problem' }).set };
      expectError(() => record(done, 0, { outcome: 'no_problem' }), ConflictError, 'result_already_recorded');
      expectError(() => decideSpotCheckResult(done, reviewerOf(done, 1), { action: 'record_result', rev: 0, policyId: done.entries[1]!.policyId, outcome: 'no_problem' }, now), ConflictError, 'stale_rev');
      expect(expectError(() => record(check, 0, { outcome: 'problem', items: [] }), PreconditionError, 'missing_preconditions').details.missing).to.deep.equal(['items', 'notes']);
      expectError(() => record(check, 0, { outcome: 'problem', items: ['entry-9'], notes: 'x' }), ValidationError, 'invalid_command');
      expectError(() => record(check, 0, { outcome: 'no_problem', items: ['flow-3'] }), ValidationError, 'invalid_command');
      expectError(() => decideSpotCheckResult(check, reviewerOf(check, 0), { action: 'record_result', rev: 0, policyId: 'nope', outcome: 'no_problem' }, now), ValidationError, 'invalid_command');
      const completed: SpotCheck = { ...check, state: 'completed' };
      expectError(() => record(completed, 0, { outcome: 'no_problem' }), ConflictError, 'wrong_state');
    });
  });
});
