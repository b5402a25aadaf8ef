import { expect } from 'chai';
import type { Complaint } from '../../../server/domain/complaint';
import { createComplaint } from '../../../server/domain/complaintWorkflow';
import {
  complaintViewFor,
  maskContact,
  maskEmail,
  maskName,
  maskPhone,
  readReporter,
} from '../../../server/domain/confidentiality';
import { SYSTEM_ACTOR, reporterActor, type StaffActor, type SupervisionActor } from '../../../server/domain/supervisionActor';

const staff = (id: string, role: StaffActor['role']): StaffActor => ({ id, username: `u-${id}`, role, departmentId: 'dep-1' });
const assigned = staff('h1', 'complaint_handler');
const now = new Date('2026-11-22T02:00:00Z');

function complaint(): Complaint {
  const { complaint } = createComplaint(
    {
      id: 'c1',
      refNo: 'JB-20261122-0001',
      accessCodeHash: 'secret-hash',
      reporter: { name: '张三丰', contact: '13812345678', org: '某某科技有限公司' },
      target: { policyId: 'p1' },
      description: '限定本地企业',
      attachments: [],
    },
    now,
  );
  return { ...complaint, assigneeId: assigned.id };
}

describe('confidentiality', () => {
  describe('who sees the reporter', () => {
    const maskedReporter = { name: '张**', contact: '138****5678', org: '某****', masked: true };

    it('the assigned handler and an admin see it in the detail, and the read must be recorded', () => {
      for (const actor of [assigned, staff('a1', 'admin')]) {
        const read = readReporter(complaint(), actor, 'detail', now);
        expect(read.reporter).to.deep.equal({ name: '张三丰', contact: '13812345678', org: '某某科技有限公司', masked: false });
        expect(read.mustRecordRead).to.equal(true);
        expect(read.record).to.deep.equal({ actorId: actor.id, username: actor.username, role: actor.role, at: '2026-11-22T02:00:00.000Z', purpose: 'detail' });
      }
    });

    it('everyone else gets a masked copy and nothing is recorded', () => {
      const others: SupervisionActor[] = [
        staff('h2', 'complaint_handler'),
        staff('r1', 'regulator'),
        staff('d1', 'drafter'),
        staff('l1', 'drafting_lead'),
        staff('m1', 'committee_member'),
        staff('e1', 'evaluator'),
        SYSTEM_ACTOR,
        reporterActor('JB-20261122-0001'),
      ];
      for (const actor of others) {
        const read = readReporter(complaint(), actor, 'detail', now);
        expect(read.reporter, actor.role).to.deep.equal(maskedReporter);
        expect(read.mustRecordRead).to.equal(false);
        expect(read.record).to.equal(null);
      }
    });

    it('a list is masked even for the assigned handler, so it records nothing', () => {
      const read = readReporter(complaint(), assigned, 'list', now);
      expect(read.reporter).to.deep.equal(maskedReporter);
      expect(read.mustRecordRead).to.equal(false);
    });

    it('the reply letter shows the identity to the assigned handler and is recorded', () => {
      expect(readReporter(complaint(), assigned, 'reply_letter', now)).to.deep.include({ mustRecordRead: true });
    });
  });

  describe('complaintViewFor', () => {
    it('never exposes the access code hash, and shows the read log only to those who may see the identity', () => {
      const forHandler = complaintViewFor({ ...complaint(), reporterReads: [{ actorId: 'a1', username: 'x', role: 'admin', at: 't', purpose: 'detail' }] }, assigned, 'detail', now);
      expect(forHandler.view).not.to.have.property('accessCodeHash');
      expect(forHandler.view.reporterReads).to.have.length(1);
      expect(forHandler.record?.actorId).to.equal(assigned.id);

      const forRegulator = complaintViewFor(complaint(), staff('r1', 'regulator'), 'detail', now);
      expect(forRegulator.view).not.to.have.property('accessCodeHash');
      expect(forRegulator.view).not.to.have.property('reporterReads');
      expect(forRegulator.view.reporter.masked).to.equal(true);
      expect(forRegulator.record).to.equal(null);
      expect(JSON.stringify(forRegulator.view)).not.to.match(/张三丰|13812345678|某某科技/);
    });
  });

  describe('masks', () => {
    it('names keep the first character and two stars', () => {
      expect(maskName('张三丰')).to.equal('张**');
      expect(maskName('欧阳娜娜')).to.equal('欧**');
      expect(maskName('李')).to.equal('*');
      expect(maskName('𠮷田')).to.equal('𠮷**'); // a character outside the BMP stays whole
      expect(maskName('  ')).to.equal('');
    });

    it('phones keep 3 + 4 digits of a mobile, the last 4 of a shorter number', () => {
      expect(maskPhone('13812345678')).to.equal('138****5678');
      expect(maskPhone('+86 138-1234-5678')).to.equal('138****5678');
      expect(maskPhone('010-12345678')).to.equal('010****5678');
      expect(maskPhone('8765432')).to.equal('****5432');
      expect(maskPhone('12345')).to.equal('****');
    });

    it('emails keep the first character and the domain', () => {
      expect(maskEmail('alice@x.com')).to.equal('a***@x.com');
      expect(maskEmail('a@x.com')).to.equal('a***@x.com');
    });

    it('a contact is masked by what it looks like', () => {
      expect(maskContact(' zhang.san@example.cn ')).to.equal('z***@example.cn');
      expect(maskContact('138 1234 5678')).to.equal('138****5678');
      expect(maskContact('微信 zs2026')).to.equal('微***');
    });
  });
});
