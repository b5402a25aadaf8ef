/**
 * A reviewer's decision on one analyser finding: confirmed (the clause does raise the concern) or dismissed (a
 * false alarm, with the reason). Pure, like the workflow: the route loads the policy and the finding, calls
 * `decideFinding`, and stores the decision on the finding.
 *
 * - Who: the drafting department's staff (their self-review relies on the findings) and the market regulator
 *   (who reviews jointly and supervises). Committee members and evaluators give their opinion elsewhere.
 * - When: while the policy is under review (draft to third-party evaluation, and during a recheck); once a
 *   conclusion is recorded the findings it relied on are frozen (409).
 * - Checks run in the workflow's order: state (409), role (403), values (400), missing (422).
 */
import { assertState, failMissing, forbid, isBlank, throwIfInvalid } from './guards';
import { POLICY_PERMISSIONS } from './permissions/policy';
import { makePatch, type PolicyPatch } from './patch';
import type { Policy } from './policy';
import type { Actor } from './roles';
import { ConflictError } from './errors';

export const FINDING_DECISION_STATUSES = ['confirmed', 'dismissed'] as const;
export type FindingDecisionStatus = (typeof FINDING_DECISION_STATUSES)[number];


export interface FindingDecisionInput {
  status?: string;
  reason?: string;
}

export interface FindingDecision {
  status: FindingDecisionStatus;
  reason: string;
  by: string;
  byUsername: string;
  at: string;
  /** set when the decision was carried from the same clause of an earlier version: whose decision, on which finding */
  carriedFrom?: CarriedFrom;
}

/** Where a carried decision was made: the earlier version's finding, who decided it and when. */
export interface CarriedFrom {
  versionN: number;
  findingId: string;
  by: string;
  byUsername: string;
  at: string;
}

export function decideFinding(
  policy: Policy,
  actor: Actor,
  versionN: number,
  input: FindingDecisionInput,
  now: Date,
): FindingDecision {
  const permission = POLICY_PERMISSIONS.decide_finding;
  assertState(policy, permission.from, 'decide_finding');
  const version = policy.versions.find((v) => v.n === versionN);
  if (version?.analysis.status !== 'analysed') {
    throw new ConflictError('version_not_analysed', `第 ${versionN} 版尚未完成分析，不能确认或排除问题`, { versionN });
  }
  const refusal = permission.refusal(policy, actor);
  if (refusal) forbid('decide_finding', refusal);
  if (!(FINDING_DECISION_STATUSES as readonly unknown[]).includes(input.status)) {
    throwIfInvalid([{ path: 'status', message: `应为 ${FINDING_DECISION_STATUSES.join(' | ')}` }]);
  }
  // A dismissal must say why the clause does not restrict competition; a confirmation speaks for itself.
  if (input.status === 'dismissed' && isBlank(input.reason)) failMissing('decide_finding', ['reason']);
  return {
    status: input.status as FindingDecisionStatus,
    reason: (input.reason ?? '').trim(),
    by: actor.id,
    byUsername: actor.username,
    at: now.toISOString(),
  };
}

/** What the comparison of two versions needs of a finding. */
export interface ComparableFinding {
  id: string;
  itemId: string;
  path: string;
  text: string;
}

export interface ResolvedSincePrevious {
  /** the version compared with */
  previousVersion: number;
  /** checklist items flagged in the previous version and nowhere in this one */
  items: string[];
  /** the previous version's findings that no finding of this version carries on */
  findings: ComparableFinding[];
}

const normalise = (text: string) => text.replace(/\s+/g, '');

/**
 * Which concerns a new version resolved. A previous finding carries on when this version flags the same
 * checklist item on the same clause, recognised by its text or, if the text was edited, by its path; anything
 * else counts as resolved. Renumbered clauses with rewritten text therefore count as resolved only if no
 * finding of that item remains on that path: the comparison errs towards "not yet resolved".
 */
export function resolvedSincePrevious(
  previousVersion: number,
  previous: readonly ComparableFinding[],
  current: readonly ComparableFinding[],
): ResolvedSincePrevious {
  const carriesOn = (old: ComparableFinding) =>
    current.some((f) => f.itemId === old.itemId && (normalise(f.text) === normalise(old.text) || (f.path !== '' && f.path === old.path)));
  const itemsNow = new Set(current.map((f) => f.itemId));
  return {
    previousVersion,
    items: [...new Set(previous.map((f) => f.itemId))].filter((item) => !itemsNow.has(item)).sort(),
    findings: previous.filter((f) => !carriesOn(f)),
  };
}

/** The finding a decision is about, as the history records it. */
export interface DecidedFinding {
  id: string;
  versionN: number;
  itemId: string;
  path: string;
}

/**
 * A decision together with the event that records it in the policy's hash chain (decide_finding): who decided
 * what on which finding of which version and why, so the history shows every decision a conclusion rests on.
 */
export function decideFindingRecord(policy: Policy, actor: Actor, finding: DecidedFinding, input: FindingDecisionInput, now: Date): { decision: FindingDecision; patch: PolicyPatch } {
  const decision = decideFinding(policy, actor, finding.versionN, input, now);
  const patch = makePatch(policy, actor, {
    action: 'decide_finding',
    to: policy.state,
    data: { findingId: finding.id, versionN: finding.versionN, itemId: finding.itemId, path: finding.path, status: decision.status, reason: decision.reason },
  }, now);
  return { decision, patch };
}

/** Who the history names for a carry: no user decided anything, the system copied what a user decided. */
export const CARRYING_ACTOR = { id: 'system', username: 'system' } as const;

/** A finding as the carry compares it: which clause, which item, and what was decided on it. */
export interface ClauseDecision {
  id: string;
  itemId: string;
  path: string;
  text: string;
  decision: { status: string; reason?: string | null; by?: string | null; byUsername?: string | null; at?: string | null } | null | undefined;
}

/** One decision carried onto a finding of the new version, as the history records it. */
export interface CarriedDecision {
  findingId: string;
  itemId: string;
  path: string;
  status: FindingDecisionStatus;
  reason: string;
  from: CarriedFrom;
}

const isDecided = (status: unknown): status is FindingDecisionStatus => (FINDING_DECISION_STATUSES as readonly unknown[]).includes(status);

/**
 * Which decisions of the previous version hold for the new one: a still-undecided finding of the new version
 * whose item and clause text (whitespace aside) are those of a decided finding of the previous version gets that
 * decision. An edited clause is judged afresh; so is every finding someone already decided on the new version.
 */
export function planCarriedDecisions(previousVersionN: number, previous: readonly ClauseDecision[], current: readonly ClauseDecision[]): CarriedDecision[] {
  const decided = new Map<string, ClauseDecision>();
  for (const f of previous) {
    const key = `${f.itemId}|${normalise(f.text)}`;
    if (isDecided(f.decision?.status) && !decided.has(key)) decided.set(key, f);
  }
  const carried: CarriedDecision[] = [];
  for (const f of current) {
    if (isDecided(f.decision?.status)) continue;
    const source = decided.get(`${f.itemId}|${normalise(f.text)}`);
    if (!source?.decision || !isDecided(source.decision.status)) continue;
    carried.push({
      findingId: f.id,
      itemId: f.itemId,
      path: f.path,
      status: source.decision.status,
      reason: source.decision.reason ?? '',
      from: { versionN: previousVersionN, findingId: source.id, by: source.decision.by ?? '', byUsername: source.decision.byUsername ?? '', at: source.decision.at ?? '' },
    });
  }
  return carried;
}

/** The decision a carried one puts on its finding: the earlier decision, marked as carried, dated when it was carried. */
export function carriedDecision(carried: CarriedDecision, carriedAt: string): FindingDecision {
  return { status: carried.status, reason: carried.reason, by: CARRYING_ACTOR.id, byUsername: CARRYING_ACTOR.username, at: carriedAt, carriedFrom: carried.from };
}

/** The carry onto version `versionN` as ONE event of the policy's hash chain (carry_decisions), listing every decision. */
export function carryDecisionsRecord(policy: Policy, versionN: number, carried: readonly CarriedDecision[], now: Date): PolicyPatch {
  return makePatch(policy, CARRYING_ACTOR, { action: 'carry_decisions', to: policy.state, data: { versionN, fromVersionN: carried[0]?.from.versionN ?? null, carried } }, now);
}

/** The carry already recorded for version `versionN` (a retried analysis records it once), or null. */
export function recordedCarry(policy: Policy, versionN: number): { carried: CarriedDecision[]; at: string } | null {
  const event = policy.events.find((e) => e.action === 'carry_decisions' && e.data.versionN === versionN);
  return event ? { carried: event.data.carried as CarriedDecision[], at: event.at } : null;
}
