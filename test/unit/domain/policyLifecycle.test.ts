/**
 * Whole lives of a policy through the pure rules (the integration tests repeat them over HTTP), plus the
 * record-level decisions that do not move the state: registering a policy and uploading versions.
 */
import { expect } from 'chai';
import { ConflictError, ForbiddenError, ValidationError } from '../../../server/domain/errors';
import { GENESIS_HASH, sealEvent, verifyChain } from '../../../server/domain/eventChain';
import { conditionalUpdate } from '../../../server/db/guardedUpdate';
import { policyChange } from '../../../server/db/policyRepository';
import { POLICY_STATES } from '../../../server/domain/policy';
import { decideUploadVersion, newPolicy } from '../../../server/domain/policyWorkflow';
import { UPLOAD_STATES } from '../../../server/domain/permissions/policy';
import { toActor } from '../../../server/domain/roles';
import { ACTOR_NAMES, Clock, DEPT, VALID_EXCEPTION, actors, evaluationCommand, publishCommand, storyIn, Story } from './policyFixtures';

describe('policy lifecycle', () => {
  it('a department measure: review, conclusion, publication, recheck, new version, second conclusion', () => {
    const story = new Story('department').upload().analysed();
    story.act(actors.drafter, { action: 'start_review' }).selfReview();
    story.act(actors.lead, { action: 'conclude', outcome: 'compliant', reasoning: '符合标准' });
    story.act(actors.lead, { ...publishCommand });
    story.act(actors.handler, { action: 'open_recheck', reason: '举报称限定本地企业', source: 'complaint', refId: 'c-1' });
    story.upload().analysed();
    story.act(actors.drafter, { action: 'resume_after_recheck', comment: '删除第三条' });
    story.selfReview();
    story.act(actors.lead, { action: 'conclude', outcome: 'compliant_after_revision', reasoning: '修改后符合标准' });

    const policy = story.policy;
    expect(policy.state).to.equal('concluded');
    expect(policy.conclusion).to.include({ outcome: 'compliant_after_revision', versionN: 2 });
    expect(policy.events.map((e) => `${e.action}:${e.to}`)).to.deep.equal([
      'create:draft', 'upload_version:draft', 'start_review:self_review', 'update_self_review:self_review',
      'conclude:concluded', 'publish:published', 'open_recheck:recheck', 'upload_version:recheck',
      'resume_after_recheck:self_review', 'update_self_review:self_review', 'conclude:concluded',
    ]);
    expect(policy.rev).to.equal(policy.events.length - 1);
    expect(verifyChain(policy.events)).to.deep.equal({ ok: true, length: 11 });
  });

  it('a government measure: joint review of 3 with quorum 2, an evaluation in between, the regulator concludes with an exception', () => {
    const story = new Story('government').upload().analysed();
    story.act(actors.drafter, { action: 'start_review' }).selfReview();
    story.act(actors.regulator, { action: 'request_joint_review', members: [actors.member1.id, actors.member2.id, actors.member3.id], quorum: 2, deadline: '2025-06-30' });
    story.signOff(actors.member1, 'approve_with_changes', '补充实施期限');
    story.act(actors.regulator, { ...evaluationCommand });
    story.act(actors.evaluator, { action: 'submit_evaluation', summary: '例外条件成立', reportFileId: 'f-eval' });
    story.signOff(actors.member3, 'approve');
    story.act(actors.regulator, { action: 'conclude', outcome: 'exception', reasoning: '适用例外规定', exception: VALID_EXCEPTION });
    story.act(actors.drafter, { ...publishCommand, docNumber: '市政发〔2025〕3号' });

    const policy = story.policy;
    expect(policy.state).to.equal('published');
    expect(policy.conclusion).to.include({ outcome: 'exception', jointReview: true, concludedBy: actors.regulator.id });
    expect(policy.jointReview?.signOffs.map((s) => s.memberId)).to.deep.equal([actors.member1.id, actors.member3.id]);
    expect(policy.evaluations).to.have.length(1);
    expect(policy.evaluations[0]).to.include({ status: 'submitted', returnTo: 'joint_review' });
    expect(verifyChain(policy.events).ok).to.equal(true);
  });

  it('a withdrawn or abolished policy accepts nothing more', () => {
    for (const state of ['withdrawn', 'abolished'] as const) {
      const story = storyIn(state);
      for (const name of ACTOR_NAMES) {
        expect(() => story.act(actors[name], { action: 'withdraw', reason: 'x' }), `${state} ${name}`).to.throw(ConflictError);
        expect(() => story.act(actors[name], { action: 'open_recheck', reason: 'x' })).to.throw(ConflictError);
      }
    }
  });
});

describe('newPolicy', () => {
  const input = { title: ' 关于支持商贸企业发展的通知 ', kind: 'normative_document', issuingLevel: 'department', industries: ['商贸'] } as const;

  it('registers a draft for the drafter’s own department, with the first link of the chain', () => {
    const now = new Clock().tick();
    const policy = newPolicy(actors.lead, input, now);
    expect(policy).to.deep.include({ title: '关于支持商贸企业发展的通知', state: 'draft', rev: 0, draftingDepartmentId: DEPT, createdBy: actors.lead.id, docNumber: null, versions: [] });
    expect(policy.events).to.have.length(1);
    expect(policy.events[0]).to.include({ action: 'create', from: null, to: 'draft', at: now.toISOString(), prevHash: GENESIS_HASH });
    expect(verifyChain(policy.events).ok).to.equal(true);
  });

  it('is for drafting staff only', () => {
    for (const name of ACTOR_NAMES) {
      const register = () => newPolicy(actors[name], input, new Date());
      if (['drafter', 'lead', 'otherDrafter', 'otherLead'].includes(name)) expect(register, name).not.to.throw();
      else expect(register, name).to.throw(ForbiddenError);
    }
  });

  it('rejects a blank title, an unknown kind or level, and bad industries, all at once', () => {
    try {
      newPolicy(actors.drafter, { title: ' ', kind: 'decree' as never, issuingLevel: 'province' as never, industries: [''] }, new Date());
      expect.fail('should throw');
    } catch (err) {
      expect(err).to.be.instanceOf(ValidationError);
      expect(((err as ValidationError).details.problems as { path: string }[]).map((p) => p.path)).to.deep.equal(['title', 'kind', 'issuingLevel', 'industries']);
    }
  });
});

describe('decideUploadVersion', () => {
  const file = { filename: 'v.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', size: 1234, sha256: 'a'.repeat(64), fileId: 'gridfs-1' };

  it('appends a queued version numbered after the last, with $push so the worker’s status updates survive', () => {
    const story = storyIn('self_review');
    const now = story.clock.tick();
    const patch = decideUploadVersion(story.policy, actors.drafter, file, now);
    const version = { n: 2, ...file, uploadedBy: actors.drafter.id, uploadedAt: now.toISOString(), analysis: { status: 'queued', progress: 0 } };
    expect(patch.push).to.deep.equal({ versions: version });
    expect(patch.set).to.deep.equal({});
    expect(patch.event).to.include({ action: 'upload_version', from: 'self_review', to: 'self_review' });
    expect(patch.event.data).to.deep.equal({ n: 2, filename: 'v.docx', sha256: file.sha256, size: 1234 });
    expect(conditionalUpdate('p-1', policyChange(patch, story.policy.events)).update).to.deep.equal({
      $set: { state: 'self_review' },
      $inc: { rev: 1 },
      $push: { versions: version, events: sealEvent(patch.event, story.policy.events) },
    });
  });

  it('is accepted before review, during self-review and during a recheck only', () => {
    expect(UPLOAD_STATES).to.deep.equal(['draft', 'self_review', 'recheck']);
    for (const state of POLICY_STATES) {
      const story = storyIn(state);
      const upload = () => decideUploadVersion(story.policy, actors.drafter, file, story.clock.tick());
      if (UPLOAD_STATES.includes(state)) expect(upload, state).not.to.throw();
      else expect(upload, state).to.throw(ConflictError);
    }
  });

  it('is for the drafting department’s staff only', () => {
    const story = storyIn('draft');
    for (const name of ACTOR_NAMES) {
      const upload = () => decideUploadVersion(story.policy, actors[name], file, story.clock.tick());
      if (name === 'drafter' || name === 'lead') expect(upload, name).not.to.throw();
      else expect(upload, name).to.throw(ForbiddenError);
    }
  });
});

describe('toActor', () => {
  it('builds an actor from a stored user, ids as strings', () => {
    const objectId = { toString: () => '665f1c0de4b0a1b2c3d4e5f6' };
    expect(toActor({ _id: objectId, username: 'lead', role: 'drafting_lead', departmentId: { toString: () => 'd-1' } })).to.deep.equal({
      id: '665f1c0de4b0a1b2c3d4e5f6',
      username: 'lead',
      role: 'drafting_lead',
      departmentId: 'd-1',
    });
  });

  it('refuses an unknown role rather than guessing', () => {
    expect(() => toActor({ id: 'u', username: 'x', role: 'superuser', departmentId: 'd' })).to.throw(TypeError);
  });
});
