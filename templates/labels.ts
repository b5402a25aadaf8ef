/**
 * Chinese wording for the machine values the reports show. The names of states, kinds, votes and the like are the
 * shared vocabulary (checklists/vocabulary.ts) that the domain, the API and the web UI also use, re-exported
 * here under the names the builders know; only wording a document alone prints (the full 审查结论 sentences) is
 * kept in this file. An unknown key is shown as given rather than dropped, so new states stay visible.
 */
import { CONCLUSION_OUTCOME_LABELS, FINDING_DECISION_LABELS, POLICY_KIND_LABELS, VOTE_LABELS } from '../checklists/vocabulary.js';

export {
  COMPLAINT_STATE_LABELS,
  CONCLUSION_OUTCOME_LABELS as CONCLUSION_SHORT_LABELS,
  EXCEPTION_SITUATION_LABELS,
  FINDING_DECISION_LABELS as FINDING_STATUS_LABELS,
  POLICY_KIND_LABELS,
  POLICY_STATE_LABELS,
  VOTE_LABELS,
} from '../checklists/vocabulary.js';

/** The values the builders name, as the vocabulary keys them (the domain's values). */
export type PolicyKind = keyof typeof POLICY_KIND_LABELS;
export type ConclusionKind = keyof typeof CONCLUSION_OUTCOME_LABELS;
export type FindingStatus = keyof typeof FINDING_DECISION_LABELS;
export type Vote = keyof typeof VOTE_LABELS;

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
