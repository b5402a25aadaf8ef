/**
 * The review records that do not move the state: the drafting department's self-review (自我审查) and the
 * committee members' sign-offs in a joint review (会审); use cases in server/services/policies.ts.
 */
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { SIGN_OFF_VOTES } from '../domain/policy';
import { ApiRouter } from '../http/endpoint';
import { saveSelfReview, signOff } from '../services/policies';
import { policyParams } from './policies';

const text = (max = 2000) => z.string().max(max).optional();

const answerBody = z.strictObject({
  itemId: z.string().max(32),
  answer: z.string().max(8),
  note: text(5000),
  findingIds: z.array(z.string().max(64)).max(1000).optional(),
  legalBasis: z.strictObject({ kind: text(64), citation: text(500) }).optional(),
});

const selfReviewBody = z.strictObject({
  rev: z.number().int().min(0),
  answers: z.array(answerBody).max(100).optional(),
  consultation: z
    .strictObject({
      audiences: z.array(z.enum(['stakeholders', 'public'])).max(2),
      channel: text(500),
      startDate: text(40),
      endDate: text(40),
      feedback: text(20_000),
      adoption: text(20_000),
      confidentialityNote: text(2000),
    })
    .nullable()
    .optional(),
  draftConclusion: z
    .strictObject({ outcome: z.enum(['compliant', 'compliant_after_revision', 'non_compliant', 'exception']), reasoning: z.string().max(20_000) })
    .nullable()
    .optional(),
});

const signOffBody = z.strictObject({
  vote: z.enum(SIGN_OFF_VOTES).optional(),
  comment: text(5000),
});

export function reviewRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();

  api.endpoint({
    method: 'put',
    path: '/policies/:id/self-review',
    summary: '保存自我审查记录（逐项回答检查清单、征求意见情况、初审结论）',
    tag: 'reviews',
    auth: 'user',
    params: policyParams,
    body: selfReviewBody,
    responses: { 403: '只有起草单位可以填写', 404: '不存在或无权查看', 409: '状态不符或版本号 rev 已过期' },
  }, ({ actor, params, body }) => saveSelfReview(deps, actor, params.id, body));

  api.endpoint({
    method: 'post',
    path: '/policies/:id/joint-review/sign-offs',
    summary: '会审成员签署意见（approve | approve_with_changes | reject，每人一次）',
    tag: 'reviews',
    auth: 'user',
    params: policyParams,
    body: signOffBody,
    status: 201,
    responses: { 403: '不是被指定的会审成员', 404: '不存在或无权查看', 409: '不在会审中，或已签署', 422: '缺少意见' },
  }, ({ actor, params, body }) => signOff(deps, actor, params.id, body));

  return api;
}
