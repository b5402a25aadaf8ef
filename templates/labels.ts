/**
 * Chinese wording for the machine values the reports show. The names of states, kinds, votes and the like are the
 * shared vocabulary (server/domain/vocabulary.ts) that the domain, the API and the web UI also use, re-exported
 * here under the names the builders know; only wording a document alone prints (the full 审查结论 sentences) is
 * kept in this file. An unknown key is shown as given rather than dropped, so new states stay visible.
 */
import type { ConclusionOutcome, SignOffVote } from '../server/domain/policy.js';
import type { FindingDecision } from '../server/domain/vocabulary.js';

export type { PolicyKind } from '../server/domain/policy.js';
export {
  COMPLAINT_STATE_LABELS,
  CONCLUSION_OUTCOME_LABELS as CONCLUSION_SHORT_LABELS,
  EXCEPTION_SITUATION_LABELS,
  FINDING_DECISION_LABELS as FINDING_STATUS_LABELS,
  POLICY_KIND_LABELS,
  POLICY_STATE_LABELS,
  VOTE_LABELS,
} from '../server/domain/vocabulary.js';

export type ConclusionKind = ConclusionOutcome;
export type FindingStatus = FindingDecision;
export type Vote = SignOffVote;

/** 审查结论 wording (条例17; 办法29; the three outcomes plus issuing under an exception). */
export const CONCLUSION_LABELS: Readonly<Record<ConclusionKind, string>> = {
  compliant: '符合公平竞争审查标准，可以出台',
  compliant_after_revision: '经修改后符合公平竞争审查标准，可以出台',
  non_compliant: '不符合公平竞争审查标准，不得出台',
  exception: '虽具有排除、限制竞争效果，但符合例外规定，可以出台',
};

/** A label from a table, or the key itself when the table does not know it. */
export function labelOf(labels: Readonly<Record<string, string>>, key: string | null | undefined): string {
  if (key === null || key === undefined) return '';
  return Object.hasOwn(labels, key) ? (labels[key] as string) : key;
}
