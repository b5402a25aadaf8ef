import { expect } from 'chai';
import { AppError, ConflictError, ForbiddenError, PreconditionError, ValidationError } from '../../../server/domain/errors';
import { COMPLAINT_STATES, type Complaint, type ComplaintState } from '../../../server/domain/complaint';
import {
  ACCESS_CODE_ALPHABET,
  ACCESS_CODE_LENGTH,
  availableComplaintActions,
  createComplaint,
  decideComplaintTransition,
  generateAccessCode,
  generateRefNo,
  type ComplaintCommand,
  type ComplaintDecision,
} from '../../../server/domain/complaintWorkflow';
import { SYSTEM_ACTOR, reporterActor, type StaffActor, type SupervisionActor } from '../../../server/domain/supervisionActor';
import { CN_HOLIDAY_SCHEDULES, type HolidaySchedule } from '../../../server/domain/calendars/cn-holidays';
import { buildCalendar, CN_CALENDAR, supplementDeadline, verificationDeadline, type WorkingDayCalendar } from '../../../server/domain/workingDays';

const staff = (id: string, role: StaffActor['role']): StaffActor => ({ id, username: id, role, departmentId: 'dep-market' });
const handler = staff('handler-1', 'complaint_handler');
const otherHandler = staff('handler-2', 'complaint_handler');
const regulator = staff('regulator-1', 'regulator');
const admin = staff('admin-1', 'admin');
const drafter = staff('drafter-1', 'drafter');
const REF = 'JB-20260928-0001';
const reporter = reporterActor(REF);
const at = (iso: string) => new Date(iso);
/** A command without its revision: `act` adds the case's current one. */
type WithoutRev<T> = T extends unknown ? Omit<T, 'rev'> : never;
type Cmd = WithoutRev<ComplaintCommand>;

function newCase(overrides: Partial<Complaint> = {}): Complaint {
  const { complaint } = createComplaint(
    {
      id: 'c1',
      refNo: REF,
      accessCodeHash: 'hash',
      reporter: { name: '张三丰', contact: '13812345678', org: '某某科技有限公司' },
      target: { policyId: 'p1', issuingBody: '某县商务局' },
      description: '文件要求投标人在本县注册',
      attachments: [],
    },
    at('2026-09-28T02:00:00Z'),
  );
  return { ...complaint, ...overrides };
}

/** What the store holds after the conditional update succeeds. */
function apply(complaint: Complaint, decision: ComplaintDecision): Complaint {
  expect(decision.guard).to.deep.equal({ state: complaint.state, rev: complaint.rev });
  return { ...complaint, ...decision.set, events: [...complaint.events, { ...decision.event, prevHash: '', hash: '' }] };
}

function act(complaint: Complaint, actor: SupervisionActor, command: Cmd, now: string) {
  const decision = decideComplaintTransition(complaint, actor, { ...command, rev: complaint.rev } as ComplaintCommand, at(now), CN_CALENDAR);
  return { decision, next: apply(complaint, decision) };
}

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

describe('complaintWorkflow', () => {
  describe('a full case life', () => {
    it('goes from intake through a supplement, acceptance, extension and confirmed violation to closed', () => {
      let c = newCase();
      expect(c).to.deep.include({ state: 'received', rev: 0, assigneeId: null, overdue: false });

      c = act(c, regulator, { action: 'assign', assignee: { id: handler.id, role: 'complaint_handler' } }, '2026-09-28T03:00:00Z').next;
      expect(c.assigneeId).to.equal(handler.id);

      const requested = act(c, handler, { action: 'request_supplement', items: [' 文件全文 ', ''] }, '2026-09-29T02:00:00Z');
      c = requested.next;
      expect(c.state).to.equal('supplement_requested');
      expect(c.supplementRequest?.items).to.deep.equal(['文件全文']);
      expect(c.deadlines.supplement?.dueDate).to.equal('2026-10-14'); // 7 working days across 国庆
      expect(requested.decision.effects).to.deep.equal([
        { kind: 'schedule_deadline_jobs', complaintId: 'c1', deadline: 'supplement', remindAt: '2026-10-10T01:00:00.000Z', dueAt: '2026-10-14T15:59:59.999Z' },
      ]);

      // 23:00 on the last day in Shanghai is still in time
      const attachment = { fileId: 'f1', filename: '文件.pdf', mimeType: 'application/pdf', size: 10, sha256: 'x' };
      c = act(c, reporter, { action: 'submit_supplement', note: '附文件全文', attachments: [attachment] }, '2026-10-14T15:00:00Z').next;
      expect(c.state).to.equal('received');
      expect(c.attachments).to.deep.equal([attachment]);

      const accepted = act(c, handler, { action: 'accept' }, '2026-10-15T02:00:00Z');
      c = accepted.next;
      expect(c.state).to.equal('accepted');
      expect(c.deadlines.verification).to.deep.include({ unit: 'calendar_days', length: 60, dueDate: '2026-12-14', remindAt: '2026-12-09T01:00:00.000Z' });
      expect(accepted.decision.effects[0]).to.deep.include({ kind: 'schedule_deadline_jobs', deadline: 'verification' });

      c = act(c, handler, { action: 'start_verification' }, '2026-10-16T02:00:00Z').next;
      expect(c.state).to.equal('verifying');

      const extended = act(c, regulator, { action: 'extend', newDueDate: '2027-01-15', reason: '需调取外地材料' }, '2026-12-01T02:00:00Z');
      c = extended.next;
      expect(c.state).to.equal('verifying');
      expect(c.deadlines.verification).to.deep.include({ unit: 'fixed_date', dueDate: '2027-01-15', provisional: true });
      expect(c.deadlines.verification?.extension).to.deep.include({ approvedBy: regulator.id, previousDueDate: '2026-12-14', reason: '需调取外地材料' });
      expect(extended.decision.effects[0]).to.deep.include({ dueAt: '2027-01-15T15:59:59.999Z' });

      const confirmed = act(c, handler, { action: 'conclude_violation', summary: '要求本地注册，违反条例9(3)' }, '2026-12-20T02:00:00Z');
      c = confirmed.next;
      expect(c.state).to.equal('violation_confirmed');
      expect(c.finding).to.deep.include({ outcome: 'violation', policyId: 'p1' });
      expect(confirmed.decision.effects).to.deep.equal([
        { kind: 'open_policy_recheck', policyId: 'p1', source: 'complaint', refId: 'c1', reason: `举报 ${REF} 核查属实：要求本地注册，违反条例9(3)` },
      ]);

      c = act(c, handler, { action: 'reply', text: '经核查，举报属实，已督促整改。' }, '2026-12-21T02:00:00Z').next;
      c = act(c, handler, { action: 'close' }, '2026-12-22T02:00:00Z').next;
      expect(c.state).to.equal('closed');
      expect(c.rev).to.equal(9);
      expect(c.events.map((e) => `${e.action}:${e.from}->${e.to}`)).to.deep.equal([
        'assign:received->received',
        'request_supplement:received->supplement_requested',
        'submit_supplement:supplement_requested->received',
        'accept:received->accepted',
        'start_verification:accepted->verifying',
        'extend:verifying->verifying',
        'conclude_violation:verifying->violation_confirmed',
        'reply:violation_confirmed->replied',
        'close:replied->closed',
      ]);
      expect(c.events.map((e) => e.actor.id)).to.include.members([regulator.id, handler.id, reporter.id]);
    });

    it('never writes the reporter identity into an event', () => {
      let c = newCase({ assigneeId: handler.id });
      c = act(c, handler, { action: 'request_supplement', items: ['联系方式确认'] }, '2026-09-29T02:00:00Z').next;
      c = act(c, reporter, { action: 'submit_supplement', note: '补充说明' }, '2026-09-30T02:00:00Z').next;
      c = act(c, handler, { action: 'reject', reason: '不属于本机关管辖' }, '2026-09-30T03:00:00Z').next;
      const serialised = JSON.stringify(c.events) + JSON.stringify(createComplaint({ ...newCase(), attachments: [] }, at('2026-09-28T02:00:00Z')).event);
      for (const secret of ['张三丰', '13812345678', '某某科技']) expect(serialised).not.to.include(secret);
    });
  });

  describe('supplement lapse (办法38)', () => {
    const requested = () => act(newCase({ assigneeId: handler.id }), handler, { action: 'request_supplement', items: ['证据'] }, '2026-09-29T02:00:00Z').next;

    it('the system lapses the case to not_accepted once the last day has ended in Shanghai', () => {
      const c = requested();
      expectError(() => act(c, SYSTEM_ACTOR, { action: 'lapse' }, '2026-10-14T15:59:59.999Z'), ConflictError, 'deadline_not_passed');
      const { next } = act(c, SYSTEM_ACTOR, { action: 'lapse' }, '2026-10-14T16:00:00Z');
      expect(next.state).to.equal('not_accepted');
      expect(next.notAccepted).to.deep.include({ lapsed: true });
      expect(next.notAccepted?.reason).to.include('2026-10-14');
    });

    it('refuses a supplement after the deadline', () => {
      expectError(() => act(requested(), reporter, { action: 'submit_supplement', note: '迟到的材料' }, '2026-10-14T16:00:00Z'), ConflictError, 'supplement_deadline_passed');
    });

    it('only the system lapses a case', () => {
      const c = requested();
      for (const actor of [handler, admin, regulator]) {
        expectError(() => act(c, actor, { action: 'lapse' }, '2026-10-20T02:00:00Z'), ForbiddenError, 'forbidden');
      }
    });

    it('a supplement needs a note or an attachment', () => {
      const err = expectError(() => act(requested(), reporter, { action: 'submit_supplement', note: '  ' }, '2026-10-01T02:00:00Z'), PreconditionError, 'missing_preconditions');
      expect(err.details.missing).to.deep.equal(['note']);
    });
  });

  describe('who may act', () => {
    const assigned = () => newCase({ assigneeId: handler.id });

    it('the assigned handler and an admin may triage; another handler, a regulator, a drafter and the system may not', () => {
      expect(act(assigned(), handler, { action: 'accept' }, '2026-09-29T02:00:00Z').next.state).to.equal('accepted');
      expect(act(assigned(), admin, { action: 'accept' }, '2026-09-29T02:00:00Z').next.state).to.equal('accepted');
      for (const actor of [otherHandler, regulator, drafter, SYSTEM_ACTOR, reporter]) {
        expectError(() => act(assigned(), actor, { action: 'accept' }, '2026-09-29T02:00:00Z'), ForbiddenError, 'forbidden');
      }
    });

    it('only a regulator or an admin approves an extension', () => {
      const accepted = act(assigned(), handler, { action: 'accept' }, '2026-09-29T02:00:00Z').next;
      const extend = { action: 'extend', newDueDate: '2026-12-31', reason: '案情复杂' } as const;
      expectError(() => act(accepted, handler, extend, '2026-10-01T02:00:00Z'), ForbiddenError, 'forbidden');
      expect(act(accepted, regulator, extend, '2026-10-01T02:00:00Z').next.deadlines.verification?.dueDate).to.equal('2026-12-31');
      expect(act(accepted, admin, extend, '2026-10-01T02:00:00Z').next.deadlines.verification?.dueDate).to.equal('2026-12-31');
    });

    it('a handler may claim an unassigned case for themselves only', () => {
      const claim = (who: StaffActor, forId: string, c = newCase()) =>
        act(c, who, { action: 'assign', assignee: { id: forId, role: 'complaint_handler' } }, '2026-09-28T03:00:00Z');
      expect(claim(handler, handler.id).next.assigneeId).to.equal(handler.id);
      expectError(() => claim(handler, otherHandler.id), ForbiddenError, 'forbidden');
      expectError(() => claim(otherHandler, otherHandler.id, assigned()), ForbiddenError, 'forbidden');
      expect(claim(regulator, otherHandler.id, assigned()).next.assigneeId).to.equal(otherHandler.id);
      expectError(() => claim(regulator, handler.id, assigned()), ConflictError, 'already_assigned');
    });

    it('assigns only complaint handlers', () => {
      const err = expectError(
        () => act(newCase(), admin, { action: 'assign', assignee: { id: 'd1', role: 'drafter' } }, '2026-09-28T03:00:00Z'),
        ValidationError,
        'invalid_command',
      );
      expect(err.details.problems).to.deep.equal([{ path: 'assignee.role', message: '只能指派给举报处理人员' }]);
    });

    it('the reporter of another case may not supplement this one', () => {
      const c = act(assigned(), handler, { action: 'request_supplement', items: ['证据'] }, '2026-09-29T02:00:00Z').next;
      expectError(() => act(c, reporterActor('JB-20260928-0002'), { action: 'submit_supplement', note: 'x' }, '2026-09-30T02:00:00Z'), ForbiddenError, 'forbidden');
    });
  });

  describe('availableComplaintActions', () => {
    it('lists what each actor may attempt in the current state', () => {
      const c = newCase({ state: 'verifying', assigneeId: handler.id });
      expect(availableComplaintActions(c, handler)).to.deep.equal(['transfer', 'conclude_violation', 'conclude_no_violation']);
      expect(availableComplaintActions(c, regulator)).to.deep.equal(['assign', 'extend']);
      expect(availableComplaintActions(c, otherHandler)).to.deep.equal([]);
      expect(availableComplaintActions(c, SYSTEM_ACTOR)).to.deep.equal(['mark_reminded', 'mark_overdue', 'recount_deadline']);
      expect(availableComplaintActions(newCase(), otherHandler)).to.deep.equal(['assign']);
    });
  });

  describe('concurrency and state', () => {
    it('a stale revision is a 409 and decides nothing', () => {
      const c = newCase({ assigneeId: handler.id, rev: 3 });
      expectError(
        () => decideComplaintTransition(c, handler, { action: 'accept', rev: 2 }, at('2026-09-29T02:00:00Z'), CN_CALENDAR),
        ConflictError,
        'stale_rev',
      );
    });

    // The spec of the state machine: which actions each state allows.
    const allowed: Record<ComplaintState, string[]> = {
      received: ['assign', 'request_supplement', 'accept', 'reject', 'transfer'],
      supplement_requested: ['assign', 'submit_supplement', 'lapse', 'transfer', 'mark_reminded', 'recount_deadline'],
      accepted: ['assign', 'transfer', 'start_verification', 'extend', 'mark_reminded', 'mark_overdue', 'recount_deadline'],
      verifying: ['assign', 'transfer', 'extend', 'conclude_violation', 'conclude_no_violation', 'mark_reminded', 'mark_overdue', 'recount_deadline'],
      not_accepted: ['assign', 'reply', 'close'],
      violation_confirmed: ['assign', 'reply', 'close'],
      no_violation: ['assign', 'reply', 'close'],
      replied: ['assign', 'close'],
      closed: [],
      transferred: [],
    };
    const commands: Array<[SupervisionActor, Cmd]> = [
      [admin, { action: 'assign', assignee: { id: otherHandler.id, role: 'complaint_handler' } }],
      [admin, { action: 'request_supplement', items: ['x'] }],
      [admin, { action: 'submit_supplement', note: 'x' }],
      [SYSTEM_ACTOR, { action: 'lapse' }],
      [admin, { action: 'accept' }],
      [admin, { action: 'reject', reason: 'x' }],
      [admin, { action: 'transfer', toAuthority: 'x', reason: 'x' }],
      [admin, { action: 'start_verification' }],
      [regulator, { action: 'extend', newDueDate: '2027-03-01', reason: 'x' }],
      [admin, { action: 'conclude_violation', summary: 'x' }],
      [admin, { action: 'conclude_no_violation', summary: 'x' }],
      [admin, { action: 'reply', text: 'x' }],
      [admin, { action: 'close' }],
      [SYSTEM_ACTOR, { action: 'mark_reminded', deadline: 'supplement', dueAt: 'x' }],
      [SYSTEM_ACTOR, { action: 'mark_overdue', dueAt: 'x' }],
      [SYSTEM_ACTOR, { action: 'recount_deadline', deadline: 'verification' }],
    ];

    for (const state of COMPLAINT_STATES) {
      it(`in ${state}, exactly [${allowed[state].join(', ')}] pass the state check`, () => {
        const c = newCase({ state, assigneeId: handler.id });
        const passing = commands
          .filter(([actor, command]) => {
            try {
              act(c, actor, command, '2026-10-01T02:00:00Z');
              return true;
            } catch (err) {
              return !(err instanceof ConflictError && err.code === 'wrong_state');
            }
          })
          .map(([, command]) => command.action);
        expect(passing.sort()).to.deep.equal([...allowed[state]].sort());
      });
    }
  });

  describe('preconditions', () => {
    const verifying = (target: Complaint['target'] = { policyId: 'p1' }) =>
      newCase({ state: 'verifying', assigneeId: handler.id, target, deadlines: { verification: verificationDeadline(at('2026-09-29T02:00:00Z'), CN_CALENDAR) } });

    it('name what is missing', () => {
      const cases: Array<[Complaint, Cmd, string]> = [
        [newCase({ assigneeId: handler.id }), { action: 'reject', reason: ' ' }, 'reason'],
        [newCase({ assigneeId: handler.id }), { action: 'request_supplement', items: [] }, 'items'],
        [newCase({ assigneeId: handler.id }), { action: 'transfer', toAuthority: '', reason: '属法规' }, 'toAuthority'],
        [newCase(), { action: 'accept' }, 'assignee'],
        [verifying({ measureText: '某通知' }), { action: 'conclude_violation', summary: '属实' }, 'policyId'],
        [verifying(), { action: 'conclude_no_violation', summary: '' }, 'summary'],
      ];
      for (const [c, command, field] of cases) {
        const err = expectError(() => act(c, admin, command, '2026-10-01T02:00:00Z'), PreconditionError, 'missing_preconditions');
        expect(err.details.missing, command.action).to.deep.equal([field]);
      }
    });

    it('a violation on a free-text target links the policy named in the command', () => {
      const { next, decision } = act(verifying({ measureText: '某通知', issuingBody: '某局' }), handler, { action: 'conclude_violation', summary: '属实', policyId: 'p9' }, '2026-10-01T02:00:00Z');
      expect(next.target).to.deep.equal({ measureText: '某通知', issuingBody: '某局', policyId: 'p9' });
      expect(decision.effects[0]).to.deep.include({ kind: 'open_policy_recheck', policyId: 'p9' });
    });

    it('no violation opens nothing', () => {
      const { next, decision } = act(verifying(), handler, { action: 'conclude_no_violation', summary: '不属实' }, '2026-10-01T02:00:00Z');
      expect(next.finding).to.deep.include({ outcome: 'no_violation' });
      expect(decision.effects).to.deep.equal([]);
    });

    it('an extension must be a real date, later than the current one, and not in the past', () => {
      const c = verifying(); // due 2026-11-28
      const extend = (newDueDate: string, now = '2026-10-01T02:00:00Z') => act(c, regulator, { action: 'extend', newDueDate, reason: '复杂' }, now);
      const problem = (newDueDate: string, now?: string) =>
        (expectError(() => extend(newDueDate, now), ValidationError, 'invalid_command').details.problems as Array<{ path: string; message: string }>)[0];
      expect(problem('2026-11-31')).to.deep.equal({ path: 'newDueDate', message: '应为 YYYY-MM-DD 格式的日期' });
      expect(problem('2026-11-28')).to.deep.equal({ path: 'newDueDate', message: '应晚于当前期限 2026-11-28' });
      expect(problem('2026-12-01', '2026-12-02T02:00:00Z')).to.deep.equal({ path: 'newDueDate', message: '不能早于今天 2026-12-02' });
      expectError(() => act(c, regulator, { action: 'extend', newDueDate: '2026-12-31', reason: '' }, '2026-10-01T02:00:00Z'), PreconditionError, 'missing_preconditions');
      expect(extend('2026-11-29').next.deadlines.verification?.dueDate).to.equal('2026-11-29');
    });

    it('transfer is recorded and ends the case here', () => {
      const { next } = act(verifying(), handler, { action: 'transfer', toAuthority: '省市场监管局', reason: '上级提级办理' }, '2026-10-01T02:00:00Z');
      expect(next.state).to.equal('transferred');
      expect(next.transfer).to.deep.equal({ toAuthority: '省市场监管局', reason: '上级提级办理', at: '2026-10-01T02:00:00.000Z' });
      expectError(() => act(next, admin, { action: 'close' }, '2026-10-02T02:00:00Z'), ConflictError, 'wrong_state');
    });
  });

  describe('reminders and overdue (system)', () => {
    const accepted = () => act(newCase({ assigneeId: handler.id }), handler, { action: 'accept' }, '2026-10-15T02:00:00Z').next; // due 12-14, remind 12-09 09:00
    const dueAt = '2026-12-14T15:59:59.999Z';

    it('records a reminder once, not before its moment', () => {
      const c = accepted();
      const remind = (x: Complaint, now: string) => act(x, SYSTEM_ACTOR, { action: 'mark_reminded', deadline: 'verification', dueAt }, now);
      expectError(() => remind(c, '2026-12-09T00:59:59Z'), ConflictError, 'reminder_not_due');
      const reminded = remind(c, '2026-12-09T01:00:00Z').next;
      expect(reminded.deadlines.verification?.remindedAt).to.equal('2026-12-09T01:00:00.000Z');
      expectError(() => remind(reminded, '2026-12-09T01:00:05Z'), ConflictError, 'already_reminded');
    });

    it('refuses a job for a deadline that has since been extended, or that is not running', () => {
      const extended = act(accepted(), regulator, { action: 'extend', newDueDate: '2026-12-31', reason: '复杂' }, '2026-12-01T02:00:00Z').next;
      expectError(() => act(extended, SYSTEM_ACTOR, { action: 'mark_reminded', deadline: 'verification', dueAt }, '2026-12-10T02:00:00Z'), ConflictError, 'deadline_changed');
      expectError(() => act(extended, SYSTEM_ACTOR, { action: 'mark_reminded', deadline: 'supplement', dueAt }, '2026-12-10T02:00:00Z'), ConflictError, 'deadline_not_active');
    });

    it('marks overdue only after the deadline, once; an extension or a conclusion clears it', () => {
      const c = act(accepted(), handler, { action: 'start_verification' }, '2026-10-16T02:00:00Z').next;
      const overdue = (x: Complaint, now: string) => act(x, SYSTEM_ACTOR, { action: 'mark_overdue', dueAt }, now);
      expectError(() => overdue(c, '2026-12-14T15:59:59.999Z'), ConflictError, 'deadline_not_passed');
      const late = overdue(c, '2026-12-14T16:00:00Z').next;
      expect(late.overdue).to.equal(true);
      expectError(() => overdue(late, '2026-12-15T16:00:00Z'), ConflictError, 'already_overdue');
      expect(act(late, regulator, { action: 'extend', newDueDate: '2027-01-10', reason: '补充调查' }, '2026-12-15T02:00:00Z').next.overdue).to.equal(false);
      expect(act(late, handler, { action: 'conclude_no_violation', summary: '不属实' }, '2026-12-15T02:00:00Z').next.overdue).to.equal(false);
    });

    it('reminds before the supplement deadline too', () => {
      const c = act(newCase({ assigneeId: handler.id }), handler, { action: 'request_supplement', items: ['证据'] }, '2026-09-29T02:00:00Z').next;
      const due = supplementDeadline(at('2026-09-29T02:00:00Z'), CN_CALENDAR);
      const { next } = act(c, SYSTEM_ACTOR, { action: 'mark_reminded', deadline: 'supplement', dueAt: due.dueAt }, '2026-10-10T01:00:00Z');
      expect(next.deadlines.supplement?.remindedAt).to.equal('2026-10-10T01:00:00.000Z');
      expectError(() => act(c, SYSTEM_ACTOR, { action: 'mark_overdue', dueAt: due.dueAt }, '2026-10-20T01:00:00Z'), ConflictError, 'wrong_state');
    });
  });

  describe('recounting a provisional deadline once its year is loaded', () => {
    const schedule2027 = (period: HolidaySchedule['periods'][number]): WorkingDayCalendar =>
      buildCalendar([...CN_HOLIDAY_SCHEDULES, { year: 2027, notice: '测试', publishedOn: '2026-11-01', periods: [period] }]);
    // 元旦 Fri 01-01 to Sun 01-03 off
    const with2027 = schedule2027({ name: '元旦', from: '2027-01-01', to: '2027-01-03', adjustedWorkdays: [] });
    // requested Thu 2026-12-24; Monday–Friday: 12-25, 28, 29, 30, 31, 01-01, 01-04
    const requested = () => act(newCase({ assigneeId: handler.id }), handler, { action: 'request_supplement', items: ['文件全文'] }, '2026-12-24T02:00:00Z').next;
    const recount = (c: Complaint, calendar: WorkingDayCalendar) =>
      decideComplaintTransition(c, SYSTEM_ACTOR, { action: 'recount_deadline', rev: c.rev, deadline: 'supplement' }, at('2026-12-28T02:00:00Z'), calendar);

    it('counts it on the loaded schedule, keeps the reminder already sent, records what changed and schedules new jobs', () => {
      const c = requested();
      expect(c.deadlines.supplement).to.include({ dueDate: '2027-01-04', provisional: true });
      const reminded: Complaint = { ...c, deadlines: { supplement: { ...c.deadlines.supplement!, remindedAt: '2026-12-28T01:00:00.000Z' } } };
      const decision = recount(reminded, with2027);
      const next = apply(reminded, decision);
      // 01-01 is now a holiday: 12-25, 28, 29, 30, 31, 01-04, 01-05
      expect(next.deadlines.supplement).to.include({ dueDate: '2027-01-05', dueAt: '2027-01-05T15:59:59.999Z', provisional: false, remindedAt: '2026-12-28T01:00:00.000Z', unit: 'working_days', length: 7 });
      expect(next.state).to.equal('supplement_requested');
      expect(decision.event).to.deep.include({ action: 'recount_deadline', actor: { id: 'system', username: 'system' }, comment: '按已载入的放假安排重新计算：期限由 2027-01-04 改为 2027-01-05' });
      expect(decision.event.data).to.deep.equal({ deadline: 'supplement', previousDueDate: '2027-01-04', dueDate: '2027-01-05', provisional: false });
      expect(decision.effects).to.deep.equal([
        { kind: 'schedule_deadline_jobs', complaintId: 'c1', deadline: 'supplement', remindAt: next.deadlines.supplement!.remindAt, dueAt: '2027-01-05T15:59:59.999Z' },
      ]);
      expectError(() => recount(next, with2027), ConflictError, 'deadline_not_provisional');
    });

    it('changes nothing while the calendar still does not cover it', () => {
      expectError(() => recount(requested(), CN_CALENDAR), ConflictError, 'deadline_unchanged');
    });

    it('never moves the due date earlier than the one already given', () => {
      // two weekend days worked instead would make the 7th working day Sun 01-03
      const shorter = schedule2027({ name: '测试', from: '2027-02-01', to: '2027-02-01', adjustedWorkdays: ['2027-01-02', '2027-01-03'] });
      const next = apply(requested(), recount(requested(), shorter));
      expect(next.deadlines.supplement).to.include({ dueDate: '2027-01-04', provisional: false });
    });

    it('only the system recounts, and only the running deadline', () => {
      const c = requested();
      expectError(() => decideComplaintTransition(c, admin, { action: 'recount_deadline', rev: c.rev, deadline: 'supplement' }, at('2026-12-28T02:00:00Z'), with2027), ForbiddenError, 'forbidden');
      expectError(() => decideComplaintTransition(c, SYSTEM_ACTOR, { action: 'recount_deadline', rev: c.rev, deadline: 'verification' }, at('2026-12-28T02:00:00Z'), with2027), ConflictError, 'deadline_not_active');
    });
  });

  describe('intake helpers', () => {
    it('createComplaint starts in received with one unsealed event and refuses an incomplete report', () => {
      const { complaint, event } = createComplaint(
        { id: 'c2', refNo: REF, accessCodeHash: 'h', reporter: { name: '李四', contact: 'li@example.com' }, target: { measureText: '某通知第三条' }, description: ' 限定本地企业 ', attachments: [] },
        at('2026-11-22T01:00:00Z'),
      );
      expect(complaint).to.deep.include({ state: 'received', rev: 0, description: '限定本地企业', receivedAt: '2026-11-22T01:00:00.000Z', events: [] });
      expect(event).to.deep.include({ action: 'receive', from: null, to: 'received', actor: { id: reporter.id, username: 'reporter' } });
      const err = expectError(
        () => createComplaint({ id: 'c3', refNo: REF, accessCodeHash: 'h', reporter: { name: '', contact: '1' }, target: {}, description: 'x', attachments: [] }, at('2026-11-22T01:00:00Z')),
        ValidationError,
        'invalid_command',
      );
      expect(err.details.problems).to.deep.equal([
        { path: 'reporter.name', message: '必填' },
        { path: 'target.policyId|target.measureText', message: '必填' },
      ]);
    });

    it('generateRefNo uses the Shanghai date of receipt', () => {
      expect(generateRefNo(at('2026-11-21T16:30:00Z'), 7)).to.equal('JB-20261122-0007');
      expect(generateRefNo(at('2026-11-21T15:30:00Z'), 12345)).to.equal('JB-20261121-12345');
      expect(() => generateRefNo(at('2026-11-21T15:30:00Z'), 0)).to.throw(RangeError);
    });

    it('generateAccessCode uses the unambiguous alphabet and discards biased bytes', () => {
      const bytes = [255, 248, 0, 30, 31, 247, ...Array.from({ length: 40 }, (_, i) => i)];
      let offset = 0;
      const fake = (size: number) => Uint8Array.from(bytes.slice(offset, (offset += size)));
      const code = generateAccessCode(fake);
      expect(code).to.have.length(ACCESS_CODE_LENGTH);
      // 255 and 248 are dropped; 0 → '2', 30 → 'Z', 31 → '2', 247 (= 7·31+30) → 'Z'
      expect(code.slice(0, 4)).to.equal('2Z2Z');
      expect(code).to.match(new RegExp(`^[${ACCESS_CODE_ALPHABET}]+$`));
      expect(code).not.to.match(/[01OIL]/);
    });
  });
});
