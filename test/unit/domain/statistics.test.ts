import { expect } from 'chai';
import type { Complaint, ComplaintState, TrackedDeadline } from '../../../server/domain/complaint';
import type { Conclusion, Evaluation, JointReview, Policy, PolicyEvent } from '../../../server/domain/policy';
import type { SpotCheck, SpotCheckOutcome } from '../../../server/domain/spotCheck';
import {
  computeOverview,
  flaggedByItem,
  flaggedFromSums,
  median,
  percentileNearestRank,
  policyFacts,
  reviewTurnaroundMs,
  type FindingRow,
  type PolicyFacts,
} from '../../../server/domain/statistics';
import { CN_CALENDAR, deadlineOnDate } from '../../../server/domain/workingDays';

const DAY = 86_400_000;
const NOW = new Date('2026-11-22T02:00:00Z');

function event(action: PolicyEvent['action'], dayOffset: number): PolicyEvent {
  const at = new Date(Date.parse('2026-01-05T02:00:00Z') + dayOffset * DAY).toISOString();
  return { actor: { id: 'u', username: 'u' }, action, from: null, to: 'draft', at, comment: '', data: {}, prevHash: '', hash: '' };
}

function facts(state: PolicyFacts['state'], conclusion: PolicyFacts['conclusion'] = null, turnaroundDays: number | null = null, runningDeadline: string | null = null): PolicyFacts {
  return { state, conclusion, turnaroundMs: turnaroundDays === null ? null : turnaroundDays * DAY, runningDeadline };
}

function deadlineDue(dueDate: string): TrackedDeadline {
  return deadlineOnDate(new Date('2026-10-01T02:00:00Z'), dueDate, CN_CALENDAR);
}

function complaint(state: ComplaintState, deadlines: Complaint['deadlines'] = {}): Pick<Complaint, 'state' | 'deadlines'> {
  return { state, deadlines };
}

function spotCheck(...outcomes: Array<SpotCheckOutcome | null>): Pick<SpotCheck, 'entries'> {
  return {
    entries: outcomes.map((outcome, i) => ({
      policyId: `p${i}`,
      departmentId: 'd',
      reviewerIds: ['r'],
      result: outcome && { outcome, items: outcome === 'problem' ? ['flow-3'] : [], notes: '', recordedBy: 'r', recordedAt: '' },
    })),
  };
}

describe('statistics', () => {
  describe('median and nearest-rank percentile', () => {
    it('median takes the middle value, or the mean of the two middle values', () => {
      expect(median([5, 1, 3])).to.equal(3);
      expect(median([4, 1, 3, 2])).to.equal(2.5);
      expect(median([7])).to.equal(7);
      expect(median([])).to.equal(null);
    });

    it('p90 by nearest rank is the value at rank ⌈0.9·n⌉', () => {
      const oneToTen = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
      expect(percentileNearestRank(oneToTen, 90)).to.equal(9);
      expect(percentileNearestRank([...oneToTen, 11], 90)).to.equal(10); // ⌈9.9⌉ = 10
      expect(percentileNearestRank(Array.from({ length: 20 }, (_, i) => i + 1), 90)).to.equal(18);
      expect(percentileNearestRank([42], 90)).to.equal(42);
      expect(percentileNearestRank([], 90)).to.equal(null);
      expect(percentileNearestRank(oneToTen, 100)).to.equal(10);
      expect(() => percentileNearestRank(oneToTen, 0)).to.throw(RangeError);
    });
  });

  describe('review turnaround', () => {
    it('runs from start_review to the conclusion, including joint review', () => {
      const events = [event('create', 0), event('upload_version', 0), event('start_review', 1), event('request_joint_review', 3), event('sign_off', 5), event('conclude', 8)];
      expect(reviewTurnaroundMs(events)).to.equal(7 * DAY);
    });

    it('after a recheck, runs from resume_after_recheck to the new conclusion', () => {
      const events = [event('start_review', 1), event('conclude', 8), event('publish', 10), event('open_recheck', 30), event('resume_after_recheck', 40), event('conclude', 45)];
      expect(reviewTurnaroundMs(events)).to.equal(5 * DAY);
    });

    it('is null without a conclusion', () => {
      expect(reviewTurnaroundMs([event('start_review', 1)])).to.equal(null);
      expect(reviewTurnaroundMs([])).to.equal(null);
    });
  });

  describe('policyFacts', () => {
    const base = { conclusion: null, events: [], jointReview: null, evaluations: [] } as Pick<Policy, 'conclusion' | 'events' | 'jointReview' | 'evaluations'>;

    it('takes the running deadline of a joint review or a requested evaluation', () => {
      const jointReview = { deadline: '2026-11-20T15:59:59.999Z' } as JointReview;
      expect(policyFacts({ ...base, state: 'joint_review', jointReview }).runningDeadline).to.equal('2026-11-20T15:59:59.999Z');
      const evaluations = [{ status: 'submitted', deadline: 'old' }, { status: 'requested', deadline: 'new' }] as Evaluation[];
      expect(policyFacts({ ...base, state: 'third_party_evaluation', evaluations }).runningDeadline).to.equal('new');
      expect(policyFacts({ ...base, state: 'self_review', jointReview }).runningDeadline).to.equal(null);
    });

    it('takes the conclusion and its turnaround', () => {
      const conclusion = { outcome: 'compliant_after_revision' } as Conclusion;
      const f = policyFacts({ ...base, state: 'published', conclusion, events: [event('start_review', 0), event('conclude', 3)] });
      expect(f).to.deep.equal({ state: 'published', conclusion: 'compliant_after_revision', turnaroundMs: 3 * DAY, runningDeadline: null });
    });
  });

  describe('flagged items', () => {
    const rows: FindingRow[] = [
      { itemId: 'flow-3', status: 'confirmed', count: 3 },
      { itemId: 'flow-3', status: 'dismissed', count: 1 },
      { itemId: 'flow-3', status: 'open', count: 2 },
      { itemId: 'entry-4' },
      { itemId: 'entry-4', status: 'confirmed' },
      { itemId: 'cost-2', status: 'open', count: 6 },
    ];
    const expected = [
      { itemId: 'cost-2', findings: 6, confirmed: 0, dismissed: 0 },
      { itemId: 'flow-3', findings: 6, confirmed: 3, dismissed: 1 },
      { itemId: 'entry-4', findings: 2, confirmed: 1, dismissed: 0 },
    ];

    it('counts findings per checklist item from single findings and $group rows alike, most flagged first', () => {
      expect(flaggedByItem(rows)).to.deep.equal(expected);
    });

    it('gives the same table from three single-accumulator sums', () => {
      const sums = {
        findings: new Map([['flow-3', 6], ['entry-4', 2], ['cost-2', 6]]),
        confirmed: new Map([['flow-3', 3], ['entry-4', 1]]),
        dismissed: new Map([['flow-3', 1]]),
      };
      expect(flaggedFromSums(sums)).to.deep.equal(expected);
    });
  });

  describe('computeOverview', () => {
    const policies = [
      facts('draft'),
      facts('self_review'),
      facts('joint_review', null, null, '2026-11-20T15:59:59.999Z'), // overdue
      facts('third_party_evaluation', null, null, '2026-12-01T15:59:59.999Z'),
      facts('concluded', 'compliant', 2),
      facts('published', 'compliant_after_revision', 10),
      facts('published', 'compliant_after_revision', 4),
      facts('recheck', 'exception', 30),
      facts('withdrawn'),
      facts('concluded', 'non_compliant', 6),
    ];
    const complaints = [
      complaint('received'),
      complaint('supplement_requested', { supplement: deadlineDue('2026-11-10') }), // lapse not yet recorded: overdue
      complaint('supplement_requested', { supplement: deadlineDue('2026-11-30') }),
      complaint('accepted', { verification: deadlineDue('2026-11-21') }), // overdue
      complaint('verifying', { verification: deadlineDue('2026-12-20') }),
      complaint('verifying', { verification: deadlineDue('2026-11-21') }), // overdue
      complaint('verifying', { verification: deadlineDue('2026-11-22') }), // due today: not yet
      complaint('violation_confirmed', { verification: deadlineDue('2026-11-01') }), // done: no running deadline
      complaint('closed'),
      complaint('transferred'),
    ];
    const overview = computeOverview({
      policies,
      findings: [{ itemId: 'flow-3', status: 'confirmed', count: 2 }],
      complaints,
      spotChecks: [spotCheck('problem', 'no_problem', null), spotCheck('no_problem', 'no_problem', 'problem')],
      now: NOW,
    });

    it('counts policies by state and by conclusion, every key listed', () => {
      expect(overview.policies.total).to.equal(10);
      expect(overview.policies.byState).to.deep.equal([
        { key: 'draft', count: 1 },
        { key: 'self_review', count: 1 },
        { key: 'joint_review', count: 1 },
        { key: 'third_party_evaluation', count: 1 },
        { key: 'concluded', count: 2 },
        { key: 'published', count: 2 },
        { key: 'recheck', count: 1 },
        { key: 'abolished', count: 0 },
        { key: 'withdrawn', count: 1 },
      ]);
      expect(overview.policies.byConclusion).to.deep.equal([
        { key: 'compliant', count: 1 },
        { key: 'compliant_after_revision', count: 2 },
        { key: 'non_compliant', count: 1 },
        { key: 'exception', count: 1 },
      ]);
    });

    it('revision rate = compliant_after_revision / policies with a conclusion', () => {
      expect(overview.revisionRate).to.deep.equal({ numerator: 2, denominator: 5, rate: 0.4 });
    });

    it('turnaround: median and nearest-rank p90 in days over concluded reviews', () => {
      // [2, 4, 6, 10, 30]: median 6; p90 rank ⌈4.5⌉ = 5 → 30
      expect(overview.turnaroundDays).to.deep.equal({ reviews: 5, median: 6, p90: 30 });
    });

    it('counts complaints by state and those past a running deadline', () => {
      const byState = Object.fromEntries(overview.complaints.byState.map((r) => [r.key, r.count]));
      expect(byState).to.deep.equal({
        received: 1,
        supplement_requested: 2,
        accepted: 1,
        not_accepted: 0,
        verifying: 3,
        violation_confirmed: 1,
        no_violation: 0,
        replied: 0,
        closed: 1,
        transferred: 1,
      });
      expect(overview.complaints.total).to.equal(10);
      expect(overview.overdue).to.deep.equal({ complaints: 3, reviews: 1 });
    });

    it('spot-check problem rate leaves out policies still awaiting a result', () => {
      expect(overview.spotChecks).to.deep.equal({ checked: 5, withProblems: 2, problemRate: 0.4 });
    });

    it('an empty period gives zeros and nulls, not NaN', () => {
      const empty = computeOverview({ policies: [], findings: [], complaints: [], spotChecks: [], now: NOW });
      expect(empty.revisionRate).to.deep.equal({ numerator: 0, denominator: 0, rate: null });
      expect(empty.turnaroundDays).to.deep.equal({ reviews: 0, median: null, p90: null });
      expect(empty.spotChecks).to.deep.equal({ checked: 0, withProblems: 0, problemRate: null });
      expect(empty.policies.byState.every((r) => r.count === 0)).to.equal(true);
      expect(empty.flaggedItems).to.deep.equal([]);
    });
  });
});
