import { expect } from 'chai';
import { ConflictError, ForbiddenError, ValidationError, type AppError } from '../../../server/domain/errors';
import type { Complaint } from '../../../server/domain/complaint';
import { availableComplaintActions, createComplaint, decideComplaintTransition, type ComplaintCommand } from '../../../server/domain/complaintWorkflow';
import { ledgerOrder, ledgerRow } from '../../../server/domain/complaintLedger';
import { reporterActor, type StaffActor, type SupervisionActor } from '../../../server/domain/supervisionActor';
import { CN_CALENDAR, verificationDeadline } from '../../../server/domain/workingDays';

const REF = 'JB-20260928-0001';
const reporter = reporterActor(REF);
const handler: StaffActor = { id: 'handler-1', username: 'handler-1', role: 'complaint_handler', departmentId: 'dep-market' };
const now = new Date('2026-11-02T02:00:00Z');

function replied(overrides: Partial<Complaint> = {}): Complaint {
  const { complaint } = createComplaint(
    { id: 'c1', refNo: REF, accessCodeHash: 'hash', reporter: { name: '张三', contact: '13812345678' }, target: { measureText: '某措施第三条' }, description: '排斥外地企业', attachments: [] },
    new Date('2026-09-28T02:00:00Z'),
  );
  return { ...complaint, state: 'replied', assigneeId: handler.id, reply: { text: '经核查，已整改。', at: '2026-10-30T02:00:00Z' }, ...overrides };
}
const rate = (c: Complaint, command: Partial<Extract<ComplaintCommand, { action: 'rate' }>> = {}, actor: SupervisionActor = reporter) =>
  decideComplaintTransition(c, actor, { action: 'rate', rev: c.rev, grade: 'good', ...command }, now, CN_CALENDAR);
function expectError(fn: () => unknown, type: new (...args: never[]) => AppError, code: string) {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(type);
    expect((err as AppError).code).to.equal(code);
    expect((err as AppError).message).to.match(/[\u4e00-\u9fff]/);
    return;
  }
  expect.fail(`expected ${code}`);
}

describe('好差评: the reporter rates the handling once, after the reply', function () {
  it('records the grade and comment on the case and as an event, without changing its state', function () {
    const decision = rate(replied(), { grade: 'poor', remark: '  答复太慢  ' });
    expect(decision.set).to.deep.include({ state: 'replied', rating: { grade: 'poor', comment: '答复太慢', at: now.toISOString() } });
    expect(decision.event).to.deep.include({ action: 'rate', from: 'replied', to: 'replied', comment: '答复太慢', data: { grade: 'poor' } });
    expect(rate(replied({ state: 'closed' })).set.state).to.equal('closed');
  });

  it('one rating per case (一事一评): a second is a 409', function () {
    expectError(() => rate(replied({ rating: { grade: 'good', comment: '', at: '2026-11-01T00:00:00Z' } })), ConflictError, 'already_rated');
  });

  it('only after the reply, only by the reporter, only 好/中/差', function () {
    expectError(() => rate(replied({ state: 'verifying', reply: null })), ConflictError, 'wrong_state');
    expectError(() => rate(replied({ state: 'closed', reply: null })), ConflictError, 'not_replied');
    expectError(() => rate(replied(), {}, handler), ForbiddenError, 'forbidden');
    expectError(() => rate(replied(), { grade: 'excellent' as never }), ValidationError, 'invalid_command');
    expect(availableComplaintActions(replied(), reporter)).to.include('rate');
    expect(availableComplaintActions(replied(), handler)).not.to.include('rate');
  });
});

describe('问题台账 rows', function () {
  it('the running limit, the days left (negative once passed) and overdue; overdue rows first', function () {
    const deadline = verificationDeadline(new Date('2026-09-01T02:00:00Z'), CN_CALENDAR);
    const verifying = replied({ state: 'verifying', reply: null, deadlines: { verification: deadline } });
    const late = ledgerRow(verifying, { person: '举报处理员', unit: '市市场监管局' }, new Date(Date.parse(deadline.dueAt) + 3 * 86_400_000));
    expect(late).to.deep.include({ responsibleUnit: '市市场监管局', responsiblePerson: '举报处理员', deadlineKind: 'verification', dueDate: deadline.dueDate, daysLeft: -3, overdue: true });
    const early = ledgerRow({ ...verifying, id: 'c2' }, null, new Date('2026-09-02T02:00:00Z'));
    expect(early.overdue).to.equal(false);
    expect(early.daysLeft).to.be.greaterThan(50);
    expect(early.responsiblePerson).to.equal('');
    const waiting = ledgerRow({ ...verifying, id: 'c3', state: 'received' }, null, now);
    expect(waiting).to.deep.include({ deadlineKind: null, dueDate: null, daysLeft: null, overdue: false });
    expect([waiting, early, late].sort(ledgerOrder).map((r) => r.id)).to.deep.equal(['c1', 'c2', 'c3']);
  });
});
