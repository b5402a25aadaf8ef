import { expect } from 'chai';
import { byDepartment, complaintDeadlines, complaintOutcomes, decidedAt, handlingFigures, monthlyTrend, monthsBetween, type ChartComplaint, type ChartPolicy } from '../../../server/domain/supervisionCharts';

const complaint = (over: Partial<ChartComplaint>): ChartComplaint => ({ receivedAt: '2026-03-02T02:00:00.000Z', state: 'received', outcome: null, decidedAt: null, verificationDueAt: null, assigneeId: null, rating: null, ...over });
const policy = (over: Partial<ChartPolicy>): ChartPolicy => ({ departmentId: 'd1', registeredAt: '2026-03-02T02:00:00.000Z', concludedAt: [], state: 'draft', ...over });

describe('statistics charts (pure figures)', function () {
  it('months: the period\'s months in Shanghai time, by default the twelve up to now, at most 36', function () {
    expect(monthsBetween('2026-01-31T16:00:00.000Z', '2026-03-15T00:00:00.000Z', new Date())).to.deep.equal(['2026-02', '2026-03']);
    const twelve = monthsBetween(null, null, new Date('2026-12-06T00:00:00Z'));
    expect(twelve).to.have.length(12);
    expect([twelve[0], twelve[11]]).to.deep.equal(['2026-01', '2026-12']);
    expect(monthsBetween('2020-01-01T00:00:00Z', '2026-12-01T00:00:00Z', new Date())).to.have.length(36);
  });

  it('monthly trend counts registrations, conclusions, complaints received and decided in their months', function () {
    const rows = monthlyTrend(['2026-03', '2026-04'],
      [policy({ concludedAt: ['2026-04-01T01:00:00.000Z'] }), policy({ registeredAt: '2026-05-01T00:00:00.000Z' })],
      [complaint({ decidedAt: '2026-03-31T17:00:00.000Z' })]);
    expect(rows).to.deep.equal([
      { month: '2026-03', registered: 1, concluded: 0, complaintsReceived: 1, complaintsDecided: 0 },
      { month: '2026-04', registered: 0, concluded: 1, complaintsReceived: 0, complaintsDecided: 1 },
    ]);
  });

  it('departments: every drafting department, zeros included; in review and concluded counted', function () {
    const rows = byDepartment([{ id: 'd1', name: '市商务局' }, { id: 'd2', name: '市住建局' }], [policy({ state: 'self_review' }), policy({ state: 'concluded', concludedAt: ['2026-04-01T00:00:00Z'] })]);
    expect(rows).to.deep.equal([
      { departmentId: 'd1', name: '市商务局', registered: 2, concluded: 1, inReview: 1 },
      { departmentId: 'd2', name: '市住建局', registered: 0, concluded: 0, inReview: 0 },
    ]);
  });

  it('complaints: outcomes, and the time limit kept, missed, still running or already passed', function () {
    const due = '2026-05-01T15:59:59.999Z';
    const cases = [
      complaint({ outcome: 'no_violation', decidedAt: '2026-04-01T00:00:00Z', verificationDueAt: due }),
      complaint({ outcome: 'violation_confirmed', decidedAt: '2026-05-02T00:00:00Z', verificationDueAt: due }),
      complaint({ verificationDueAt: due }),
      complaint({ verificationDueAt: '2026-04-01T00:00:00Z' }),
      complaint({ outcome: 'not_accepted', decidedAt: '2026-03-03T00:00:00Z' }),
    ];
    expect(complaintOutcomes(cases).map((r) => [r.key, r.count])).to.deep.equal([['violation_confirmed', 1], ['no_violation', 1], ['not_accepted', 1], ['transferred', 0], ['pending', 2]]);
    const limits = complaintDeadlines(cases, new Date('2026-04-15T00:00:00Z'));
    expect(limits).to.deep.include({ onTime: 1, late: 1, open: 1, openOverdue: 1 });
    expect(limits.onTimeRate.rate).to.equal(0.5);
    expect(decidedAt([{ to: 'accepted', at: 'a' }, { to: 'no_violation', at: 'b' }, { to: 'replied', at: 'c' }])).to.equal('b');
  });

  it('per handler and per unit: cases, the time limit kept, and satisfaction (好评 among the rated)', function () {
    const due = '2026-05-01T15:59:59.999Z';
    const cases = [
      complaint({ assigneeId: 'h1', decidedAt: '2026-04-01T00:00:00Z', verificationDueAt: due, rating: 'good' }),
      complaint({ assigneeId: 'h1', decidedAt: '2026-05-03T00:00:00Z', verificationDueAt: due, rating: 'poor' }),
      complaint({ assigneeId: 'h2', decidedAt: '2026-04-01T00:00:00Z', verificationDueAt: due, rating: 'good' }),
      complaint({ assigneeId: 'h3', verificationDueAt: due }),
      complaint({}),
    ];
    const who = new Map([['h1', { person: '甲', unit: '一科' }], ['h2', { person: '乙', unit: '一科' }], ['h3', { person: '丙', unit: '二科' }]]);
    const { handlers, units } = handlingFigures(cases, who, new Date('2026-04-15T00:00:00Z'));
    expect(handlers.map((h) => [h.person, h.cases, h.onTime, h.late, h.good, h.poor, h.satisfaction.rate])).to.deep.equal([
      ['甲', 2, 1, 1, 1, 1, 0.5], ['乙', 1, 1, 0, 1, 0, 1], ['丙', 1, 0, 0, 0, 0, null],
    ]);
    expect(units.map((u) => [u.unit, u.cases, u.onTimeRate.rate, u.satisfaction.rate])).to.deep.equal([['一科', 3, 2 / 3, 2 / 3], ['二科', 1, null, null]]);
  });
});
