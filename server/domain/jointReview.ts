/**
 * Sign-offs in a joint review (会审): each assigned committee member signs once, with a vote and a comment.
 * Votes are opinions; the written conclusion is the regulator's (办法32). The quorum counts sign-offs of any
 * vote, because it is about enough members having reviewed, not about the outcome.
 */
import { ConflictError } from './errors';
import { assertState, checkText, forbid, throwIfInvalid, throwIfMissing, type Problem } from './guards';
import { makePatch, type PolicyPatch } from './patch';
import { POLICY_PERMISSIONS } from './permissions/policy';
import { SIGN_OFF_VOTES, type JointReview, type Policy, type SignOff, type SignOffVote } from './policy';
import type { Actor } from './roles';

export interface QuorumStatus {
  required: number;
  signed: number;
  reached: boolean;
  approvals: number;
  approvalsWithChanges: number;
  rejections: number;
  /** members who have not signed yet */
  pending: string[];
}

export function quorumStatus(jointReview: JointReview): QuorumStatus {
  const byMember = new Map<string, SignOff>();
  for (const signOff of jointReview.signOffs) {
    if (jointReview.members.includes(signOff.memberId) && !byMember.has(signOff.memberId)) byMember.set(signOff.memberId, signOff);
  }
  const votes = [...byMember.values()].map((s) => s.vote);
  const count = (vote: SignOffVote) => votes.filter((v) => v === vote).length;
  return {
    required: jointReview.quorum,
    signed: byMember.size,
    reached: byMember.size >= jointReview.quorum,
    approvals: count('approve'),
    approvalsWithChanges: count('approve_with_changes'),
    rejections: count('reject'),
    pending: jointReview.members.filter((id) => !byMember.has(id)),
  };
}

export interface SignOffInput {
  vote?: SignOffVote;
  comment?: string;
}

/** A vote other than a plain approval must say what to change or why it rejects. */
function commentRequired(vote: SignOffVote): boolean {
  return vote !== 'approve';
}

export function decideSignOff(policy: Policy, actor: Actor, input: SignOffInput, now: Date): PolicyPatch {
  const permission = POLICY_PERMISSIONS.sign_off;
  assertState(policy, permission.from, 'sign_off');
  const jointReview = policy.jointReview;
  if (!jointReview) throw new ConflictError('no_joint_review', '会审记录缺失', {});
  const refusal = permission.refusal(policy, actor);
  if (refusal) forbid('sign_off', refusal);
  if (jointReview.signOffs.some((s) => s.memberId === actor.id)) {
    throw new ConflictError('already_signed', '您已签署过会审意见，每位成员只能签署一次', { memberId: actor.id });
  }

  const missing: string[] = [];
  const problems: Problem[] = [];
  const vote = input.vote;
  if (vote === undefined || vote === null) missing.push('vote');
  else if (!SIGN_OFF_VOTES.includes(vote)) problems.push({ path: 'vote', message: `应为 ${SIGN_OFF_VOTES.join(' | ')}` });
  if (vote && SIGN_OFF_VOTES.includes(vote) && commentRequired(vote)) checkText(input.comment, 'comment', missing, problems);
  else if (input.comment !== undefined && typeof input.comment !== 'string') problems.push({ path: 'comment', message: '应为文本' });
  throwIfInvalid(problems);
  throwIfMissing('sign_off', missing);

  const signOff: SignOff = {
    memberId: actor.id,
    username: actor.username,
    vote: vote as SignOffVote,
    comment: input.comment ?? '',
    at: now.toISOString(),
  };
  return makePatch(
    policy,
    actor,
    {
      action: 'sign_off',
      to: 'joint_review',
      set: { jointReview: { ...jointReview, signOffs: [...jointReview.signOffs, signOff] } },
      comment: signOff.comment,
      data: { vote: signOff.vote },
    },
    now,
  );
}
