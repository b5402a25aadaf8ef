/** The screening domain: dispositions, the department of a path, the batch state machine and its progress figures. */
import { expect } from 'chai';
import type { Actor } from '../../../server/domain/roles';
import { mayScreen, screeningBatchAllowedActions, screeningDocumentAllowedActions } from '../../../server/domain/permissions/screening';
import { batchProgress, isFinished, type ScreeningBatch } from '../../../server/domain/screeningBatch';
import { decideBatchCommand, decideSystemChange } from '../../../server/domain/screeningBatchWorkflow';
import {
  CLEAR_SCORE,
  decideDocumentReview,
  departmentOfPath,
  suggestDisposition,
  type ScreenedClause,
  type ScreeningOutcome,
} from '../../../server/domain/screeningDocument';

const regulator: Actor = { id: 'r1', username: 'regulator', role: 'regulator', departmentId: 'd0' };
const admin: Actor = { id: 'a1', username: 'admin', role: 'admin', departmentId: 'd0' };
const drafter: Actor = { id: 'u1', username: 'drafter', role: 'drafter', departmentId: 'd1' };
const now = new Date('2026-12-06T01:00:00Z');

function clause(itemId: ScreenedClause['itemId'], score: number, start = 0, end = start + 40): ScreenedClause {
  return { path: '第二条', text: 'x'.repeat(end - start), start, end, itemId, score, evidence: [], basis: '', explanation: '', suggestion: '' };
}
const screened = (clauses: ScreenedClause[], chars = 10_000): ScreeningOutcome => ({ status: 'screened', format: 'docx', chars, checklistVersion: 'v', operatingPoint: 'screen', clauses });

describe('domain/screeningDocument: suggested disposition', () => {
  it('keeps a readable document with nothing flagged', () => {
    expect(suggestDisposition(screened([])).disposition).to.equal('keep');
  });

  it('asks a person about an unreadable file, and about text too short to be the measure itself', () => {
    const failed = suggestDisposition({ status: 'failed', errorCode: 'encrypted', error: '文件已加密' });
    expect(failed.disposition).to.equal('manual');
    expect(failed.reason).to.contain('文件已加密');
    expect(suggestDisposition(screened([], 20)).disposition).to.equal('manual');
  });

  it('revises a document with a clear clause, abolishes one whose restrictions run through it', () => {
    expect(suggestDisposition(screened([clause('entry-1', CLEAR_SCORE)])).disposition).to.equal('revise');
    const many = [clause('entry-1', 0.9, 0), clause('flow-2', 0.95, 100), clause('entry-1', 0.85, 200)];
    const abolish = suggestDisposition(screened(many));
    expect(abolish.disposition).to.equal('abolish');
    expect(abolish.items).to.deep.equal(['entry-1', 'flow-2']);
    // one clear clause covering most of a short text
    expect(suggestDisposition(screened([clause('cost-1', 0.9, 0, 300)], 800)).disposition).to.equal('abolish');
  });

  it('leaves low-confidence flags to a person, and ranks abolish > revise > manual > keep', () => {
    const low = suggestDisposition(screened([clause('behavior-1', CLEAR_SCORE - 0.2)]));
    expect(low.disposition).to.equal('manual');
    const risks = [
      suggestDisposition(screened([clause('entry-1', 0.9, 0), clause('flow-2', 0.9, 100), clause('flow-1', 0.9, 200)])),
      suggestDisposition(screened([clause('entry-1', 0.99)])),
      low,
      suggestDisposition(screened([])),
    ].map((s) => s.risk);
    expect([...risks].sort((a, b) => b - a)).to.deep.equal(risks);
  });
});

describe('domain/screeningDocument: department of a path', () => {
  it('takes the first folder named like an issuing body, else the top folder', () => {
    expect(departmentOfPath('存量文件/市商务局/2019/措施.docx')).to.equal('市商务局');
    expect(departmentOfPath('2019年/区发展改革委/a.pdf')).to.equal('区发展改革委');
    expect(departmentOfPath('杂项/a.pdf')).to.equal('杂项');
    expect(departmentOfPath('a.pdf')).to.equal('');
  });
});

describe('domain/screeningDocument: review', () => {
  const doc = { id: 'x', status: 'screened' as const, clauseCount: 2, review: { status: 'pending' as const }, recheckPolicyId: null };
  it('confirms, and dismisses only with a reason', () => {
    expect(decideDocumentReview(doc, regulator, { decision: 'confirm' }, now).review.status).to.equal('confirmed');
    expect(() => decideDocumentReview(doc, regulator, { decision: 'dismiss' }, now)).to.throw().with.property('status', 422);
  });
  it('refuses documents not screened, with nothing flagged, or already a policy (409)', () => {
    expect(() => decideDocumentReview({ ...doc, status: 'failed' }, regulator, { decision: 'confirm' }, now)).to.throw().with.property('status', 409);
    expect(() => decideDocumentReview({ ...doc, clauseCount: 0 }, regulator, { decision: 'confirm' }, now)).to.throw().with.property('status', 409);
    expect(() => decideDocumentReview({ ...doc, recheckPolicyId: 'p' }, regulator, { decision: 'confirm' }, now)).to.throw().with.property('status', 409);
  });
});

describe('domain/screeningBatch: state machine', () => {
  const batch: ScreeningBatch = {
    id: 'b1', name: 'n', source: { kind: 'dir', dir: '/x' }, state: 'running', rev: 3, generation: 1,
    ingest: { status: 'done', files: 10, error: null, finishedAt: null }, createdBy: { id: 'a1', username: 'admin' }, createdAt: now.toISOString(), finishedAt: null, events: [],
  };

  it('pause, resume (a new generation of jobs) and cancel, each from its states', () => {
    const paused = decideBatchCommand(batch, admin, { action: 'pause', rev: 3 }, now);
    expect(paused).to.include({ from: 'running', to: 'paused', rev: 3 });
    const resumed = decideBatchCommand({ ...batch, state: 'paused' }, regulator, { action: 'resume', rev: 3 }, now);
    expect(resumed.to).to.equal('running');
    expect(resumed.set.generation).to.equal(2);
    expect(decideBatchCommand({ ...batch, state: 'paused' }, regulator, { action: 'cancel', rev: 3 }, now).set.finishedAt).to.equal(now.toISOString());
    expect(() => decideBatchCommand({ ...batch, state: 'completed' }, admin, { action: 'cancel', rev: 3 }, now)).to.throw().with.property('code', 'wrong_state');
    expect(() => decideBatchCommand(batch, admin, { action: 'pause', rev: 2 }, now)).to.throw().with.property('code', 'stale_rev');
    expect(() => decideBatchCommand(batch, drafter, { action: 'pause', rev: 3 }, now)).to.throw().with.property('status', 403);
  });

  it('answers who may do what in one place', () => {
    const names = (actions: Array<{ action: string }>) => actions.map((a) => a.action);
    expect(names(screeningBatchAllowedActions(batch, admin))).to.deep.equal(['pause', 'cancel']);
    expect(names(screeningBatchAllowedActions({ ...batch, state: 'paused' }, regulator))).to.deep.equal(['resume', 'cancel']);
    expect(screeningBatchAllowedActions(batch, drafter)).to.deep.equal([]);
    const flagged = { status: 'screened' as const, clauseCount: 2, review: { status: 'pending' as const }, recheckPolicyId: null };
    expect(screeningDocumentAllowedActions(flagged, regulator)).to.deep.include({ action: 'create_recheck_policy', allowed: false, reason: '请先确认该文件存在问题' });
    expect(screeningDocumentAllowedActions({ ...flagged, review: { status: 'confirmed' } }, regulator)).to.deep.include({ action: 'create_recheck_policy', allowed: true });
    expect(screeningDocumentAllowedActions(flagged, admin)).to.deep.equal([]);
    expect(mayScreen(admin, 'review_document')).to.equal(false);
    expect(mayScreen(regulator, 'create_recheck_policy')).to.equal(true);
  });

  it('completes only when unpacked and nothing is queued', () => {
    expect(isFinished(batch, 0)).to.equal(true);
    expect(isFinished(batch, 1)).to.equal(false);
    expect(isFinished({ ...batch, ingest: { ...batch.ingest, status: 'running' } }, 0)).to.equal(false);
    expect(isFinished({ ...batch, state: 'paused' }, 0)).to.equal(false);
    expect(decideSystemChange(batch, 'complete', now).to).to.equal('completed');
  });

  it('progress: rate from the recent window, time left from the rate', () => {
    const p = batchProgress({ documents: 90, files: 100, queued: 60, screened: 25, failed: 5, cancelled: 0, recent: 30, windowSeconds: 60 });
    expect(p).to.include({ done: 30, duplicates: 10, ratePerHour: 1800, secondsLeft: 120 });
    expect(batchProgress({ documents: 5, files: 5, queued: 5, screened: 0, failed: 0, cancelled: 0, recent: 0, windowSeconds: 60 })).to.include({ ratePerHour: null, secondsLeft: null });
  });
});
