/**
 * Spot checks (抽查, 条例21; 办法39): draw published policies at random, assign reviewers at random, never a
 * reviewer from the policy's drafting department, and record a result per policy. A `problem` result opens the
 * policy's recheck (办法40) through the policy workflow.
 *
 * Reproducible: everything random comes from a PRNG seeded with the recorded seed string, and inputs are sorted
 * by id first, so the same seed over the same population and pool gives the same draw and assignment whatever
 * order the store returns documents in. The draw and the assignment use separate streams (seed + '/sample',
 * seed + '/reviewers'), so a change to the reviewer pool cannot change which policies were drawn.
 */
import { ConflictError, PreconditionError, ValidationError } from './errors';
import { failMissing, forbid, throwIfInvalid, type Problem } from './guards';
import { organiseSpotCheckRefusal, recordResultRefusal } from './permissions/supervision';
import { isChecklistItemId } from './policy';
import type { SupervisionActor } from './supervisionActor';

// ---------- seeded PRNG ----------

/**
 * xmur3 (bryc, public domain): a MurmurHash3-style string hash whose successive calls give 32-bit seeds.
 */
export function xmur3(text: string): () => number {
  let h = 1779033703 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  return () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    return (h ^= h >>> 16) >>> 0;
  };
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, PractRand-tested): uniform in [0, 1). */
export function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** A PRNG for a seed string: sfc32 seeded by xmur3, with the customary 15 discarded outputs to mix the state. */
export function seededRandom(seed: string): () => number {
  const next = xmur3(seed);
  const random = sfc32(next(), next(), next(), next());
  for (let i = 0; i < 15; i++) random();
  return random;
}

/** An integer in [0, n). The bias of scaling a 32-bit output is below n / 2^32: nil for populations this size. */
export function randomIndex(random: () => number, n: number): number {
  return Math.floor(random() * n);
}

// ---------- the draw ----------

export interface SpotCheckPolicy {
  id: string;
  /** the drafting department */
  departmentId: string;
}

export interface Reviewer {
  id: string;
  departmentId: string;
}

export interface DrawInput<P extends SpotCheckPolicy> {
  /** the population: published policies in the check's scope (departments, kinds, period) */
  policies: readonly P[];
  /** exactly one of sampleSize (a count) and rate (a share in (0, 1], rounded up) */
  sampleSize?: number;
  rate?: number;
  seed: string;
}

export interface Draw<P extends SpotCheckPolicy> {
  seed: string;
  populationSize: number;
  /** the number drawn: the requested size, or the whole population when that is smaller */
  sampleSize: number;
  /** in draw order */
  sample: P[];
}

/** A simple random sample without replacement: the first k steps of a Fisher–Yates shuffle. */
export function drawSample<P extends SpotCheckPolicy>({ policies, sampleSize, rate, seed }: DrawInput<P>): Draw<P> {
  throwIfInvalid(drawProblems(sampleSize, rate, seed));
  const population = [...policies].sort(byId);
  const requested = sampleSize ?? Math.ceil((rate as number) * population.length);
  const k = Math.min(requested, population.length);
  const random = seededRandom(`${seed}/sample`);
  for (let i = 0; i < k; i++) {
    const j = i + randomIndex(random, population.length - i);
    [population[i], population[j]] = [population[j] as P, population[i] as P];
  }
  return { seed, populationSize: population.length, sampleSize: k, sample: population.slice(0, k) };
}

function drawProblems(sampleSize: number | undefined, rate: number | undefined, seed: string): Problem[] {
  const problems: Problem[] = [];
  if (typeof seed !== 'string' || seed.trim() === '') problems.push({ path: 'seed', message: '须为非空文本' });
  if ((sampleSize === undefined) === (rate === undefined)) {
    problems.push({ path: 'sampleSize', message: '须且只能给出 sampleSize 或 rate 之一' });
  } else if (sampleSize !== undefined && (!Number.isInteger(sampleSize) || sampleSize < 1)) {
    problems.push({ path: 'sampleSize', message: '应为正整数' });
  } else if (rate !== undefined && !(rate > 0 && rate <= 1)) {
    problems.push({ path: 'rate', message: '应在 (0, 1] 之间' });
  }
  return problems;
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

// ---------- reviewer assignment ----------

export interface Assignment {
  policyId: string;
  departmentId: string;
  reviewerIds: string[];
}

export interface AssignInput {
  sample: readonly SpotCheckPolicy[];
  pool: readonly Reviewer[];
  seed: string;
  reviewersPerPolicy?: number;
}

/**
 * Assigns `reviewersPerPolicy` distinct reviewers to each policy, never one from its drafting department.
 * Random: the most constrained policies (fewest eligible reviewers) are served first, and each pick goes to a
 * least-loaded eligible reviewer, ties broken at random. Balanced: then `rebalance` evens out the loads.
 * Returns assignments in sample order. Throws PreconditionError (422) naming the policies for which too few
 * eligible reviewers exist.
 */
export function assignReviewers({ sample, pool, seed, reviewersPerPolicy = 1 }: AssignInput): Assignment[] {
  if (!Number.isInteger(reviewersPerPolicy) || reviewersPerPolicy < 1) {
    throwIfInvalid([{ path: 'reviewersPerPolicy', message: '应为正整数' }]);
  }
  const reviewers = uniqueById(pool).sort(byId);
  const eligible = new Map(sample.map((p) => [p.id, reviewers.filter((r) => r.departmentId !== p.departmentId).map((r) => r.id)]));
  const impossible = sample.filter((p) => (eligible.get(p.id)?.length ?? 0) < reviewersPerPolicy).map((p) => p.id);
  if (impossible.length > 0) {
    throw new PreconditionError('missing_preconditions', '审查人员库中没有足够的非起草单位人员', {
      action: 'assign_reviewers',
      missing: ['eligible_reviewer'],
      policyIds: impossible,
      reviewersPerPolicy,
    });
  }

  const random = seededRandom(`${seed}/reviewers`);
  const tieBreak = new Map(sample.map((p) => [p.id, random()]));
  const eligibleCount = (id: string) => eligible.get(id)?.length ?? 0;
  const order = [...sample].sort((a, b) => eligibleCount(a.id) - eligibleCount(b.id) || (tieBreak.get(a.id) ?? 0) - (tieBreak.get(b.id) ?? 0));
  const load = new Map(reviewers.map((r) => [r.id, 0]));
  const chosen = new Map<string, string[]>();
  for (const policy of order) {
    const picks: string[] = [];
    for (let n = 0; n < reviewersPerPolicy; n++) {
      const candidates = (eligible.get(policy.id) ?? []).filter((id) => !picks.includes(id));
      const least = Math.min(...candidates.map((id) => load.get(id) ?? 0));
      const lightest = candidates.filter((id) => load.get(id) === least);
      const pick = lightest[randomIndex(random, lightest.length)] as string;
      picks.push(pick);
      load.set(pick, least + 1);
    }
    chosen.set(policy.id, picks);
  }
  rebalance(chosen, eligible, load);
  return sample.map((p) => ({ policyId: p.id, departmentId: p.departmentId, reviewerIds: chosen.get(p.id) ?? [] }));
}

interface Move {
  policyId: string;
  from: string;
  to: string;
}

/**
 * Greedy picks can leave one reviewer two or more policies ahead of another when the department rule blocks a
 * direct swap. While some chain of reassignments (each to an eligible reviewer not already on that policy)
 * leads from a reviewer to one with at least two fewer policies, shift one policy along each link of the chain:
 * the first reviewer loses one, the last gains one, those between are unchanged. Each shift strictly lowers the
 * sum of squared loads, so this ends.
 */
function rebalance(chosen: Map<string, string[]>, eligible: Map<string, string[]>, load: Map<string, number>): void {
  for (let path = findOffloadPath(chosen, eligible, load); path; path = findOffloadPath(chosen, eligible, load)) {
    for (const { policyId, from, to } of path) {
      chosen.set(policyId, (chosen.get(policyId) ?? []).map((id) => (id === from ? to : id)));
    }
    const first = path[0] as Move;
    const last = path[path.length - 1] as Move;
    load.set(first.from, (load.get(first.from) ?? 0) - 1);
    load.set(last.to, (load.get(last.to) ?? 0) + 1);
  }
}

/** Breadth-first search from the most loaded reviewers for a chain of moves ending two or more policies lighter. */
function findOffloadPath(chosen: Map<string, string[]>, eligible: Map<string, string[]>, load: Map<string, number>): Move[] | null {
  const loadOf = (id: string) => load.get(id) ?? 0;
  const starts = [...load.keys()].sort((a, b) => loadOf(b) - loadOf(a));
  for (const start of starts) {
    const cameFrom = new Map<string, Move | null>([[start, null]]);
    const queue = [start];
    for (let reviewer = queue.shift(); reviewer !== undefined; reviewer = queue.shift()) {
      if (loadOf(reviewer) <= loadOf(start) - 2) return unwind(cameFrom, reviewer);
      for (const [policyId, reviewerIds] of chosen) {
        if (!reviewerIds.includes(reviewer)) continue;
        for (const next of eligible.get(policyId) ?? []) {
          if (reviewerIds.includes(next) || cameFrom.has(next)) continue;
          cameFrom.set(next, { policyId, from: reviewer, to: next });
          queue.push(next);
        }
      }
    }
  }
  return null;
}

function unwind(cameFrom: Map<string, Move | null>, end: string): Move[] {
  const path: Move[] = [];
  for (let move = cameFrom.get(end); move; move = cameFrom.get(move.from)) path.unshift(move);
  return path;
}

function uniqueById<T extends { id: string }>(items: readonly T[]): T[] {
  return [...new Map(items.map((item) => [item.id, item])).values()];
}

// ---------- the spot check and its results ----------

export const SPOT_CHECK_OUTCOMES = ['no_problem', 'problem'] as const;
export type SpotCheckOutcome = (typeof SPOT_CHECK_OUTCOMES)[number];

export interface SpotCheckResult {
  outcome: SpotCheckOutcome;
  /** checklist item ids (e.g. flow-3, or a sub-item such as entry-3a); empty for no_problem */
  items: string[];
  notes: string;
  recordedBy: string;
  recordedAt: string;
}

export interface SpotCheckEntry extends Assignment {
  result: SpotCheckResult | null;
}

export interface SpotCheckScope {
  departmentIds?: string[];
  kinds?: string[];
  period?: { from?: string; to?: string };
}

export type SpotCheckState = 'in_progress' | 'completed';

export interface SpotCheckEvent {
  actor: { id: string; username: string };
  action: 'create' | 'record_result';
  from: SpotCheckState | null;
  to: SpotCheckState;
  at: string;
  comment: string;
  data: Record<string, unknown>;
}

export interface SpotCheck {
  id: string;
  scope: SpotCheckScope;
  /** recorded so the draw and assignment can be replayed and checked */
  seed: string;
  populationSize: number;
  sampleSize: number;
  state: SpotCheckState;
  rev: number;
  entries: SpotCheckEntry[];
  createdBy: string;
  createdAt: string;
  /** sealed onto the shared hash chain by the repository, as for policies and complaints */
  events: Array<SpotCheckEvent & { prevHash: string; hash: string }>;
}

export interface NewSpotCheckInput extends DrawInput<SpotCheckPolicy> {
  id: string;
  scope: SpotCheckScope;
  pool: readonly Reviewer[];
  reviewersPerPolicy?: number;
}

/** Draws and assigns; only regulators (who supervise, 条例21) and admins start a spot check. */
export function createSpotCheck(input: NewSpotCheckInput, actor: SupervisionActor, now: Date): { spotCheck: SpotCheck; event: SpotCheckEvent } {
  const refusal = organiseSpotCheckRefusal(actor);
  if (refusal) forbid('create_spot_check', refusal);
  const draw = drawSample(input);
  if (draw.sampleSize === 0) failMissing('create_spot_check', ['policies']);
  const assignments = assignReviewers({ sample: draw.sample, pool: input.pool, seed: input.seed, reviewersPerPolicy: input.reviewersPerPolicy });
  const at = now.toISOString();
  const spotCheck: SpotCheck = {
    id: input.id,
    scope: input.scope,
    seed: draw.seed,
    populationSize: draw.populationSize,
    sampleSize: draw.sampleSize,
    state: 'in_progress',
    rev: 0,
    entries: assignments.map((a) => ({ ...a, result: null })),
    createdBy: actor.id,
    createdAt: at,
    events: [],
  };
  const event: SpotCheckEvent = {
    actor: { id: actor.id, username: actor.username },
    action: 'create',
    from: null,
    to: 'in_progress',
    at,
    comment: '',
    data: { seed: draw.seed, populationSize: draw.populationSize, sampleSize: draw.sampleSize, policyIds: draw.sample.map((p) => p.id) },
  };
  return { spotCheck, event };
}

export interface RecordResultCommand {
  action: 'record_result';
  rev: number;
  policyId: string;
  outcome: SpotCheckOutcome;
  items?: string[];
  notes?: string;
}

export type SpotCheckEffect = { kind: 'open_policy_recheck'; policyId: string; source: 'spot_check'; refId: string; reason: string };

export interface SpotCheckDecision {
  guard: { state: SpotCheckState; rev: number };
  set: Pick<SpotCheck, 'entries' | 'state' | 'rev'>;
  event: SpotCheckEvent;
  effects: SpotCheckEffect[];
}

/**
 * A reviewer assigned to a drawn policy records its result, once. Only the assigned reviewers may: the result
 * is a review finding someone answers for, so not even an admin records it for them.
 */
export function decideSpotCheckResult(spotCheck: SpotCheck, actor: SupervisionActor, command: RecordResultCommand, now: Date): SpotCheckDecision {
  if (spotCheck.state !== 'in_progress') {
    throw new ConflictError('wrong_state', '抽查已完成，不能再登记结果', { action: 'record_result', state: spotCheck.state, allowedFrom: ['in_progress'] });
  }
  if (!Number.isInteger(command.rev)) throwIfInvalid([{ path: 'rev', message: '应为整数' }]);
  if (command.rev !== spotCheck.rev) {
    throw new ConflictError('stale_rev', '抽查已被他人修改，请刷新后重试', { expectedRev: spotCheck.rev, rev: command.rev });
  }
  const index = spotCheck.entries.findIndex((e) => e.policyId === command.policyId);
  const entry = spotCheck.entries[index];
  if (!entry) throw new ValidationError('invalid_command', '该政策措施不在本次抽查样本中', { problems: [{ path: 'policyId', message: '不在样本中' }] });
  const refusal = recordResultRefusal(entry, actor);
  if (refusal) forbid('record_result', refusal);
  if (entry.result) {
    throw new ConflictError('result_already_recorded', '该政策措施的抽查结果已登记', { policyId: entry.policyId, recordedBy: entry.result.recordedBy });
  }
  const result = checkedResult(command, actor, now);

  const entries = spotCheck.entries.map((e, i) => (i === index ? { ...e, result } : e));
  const state: SpotCheckState = entries.every((e) => e.result) ? 'completed' : 'in_progress';
  const reason = `抽查发现问题（${result.items.join('、')}）：${result.notes}`;
  return {
    guard: { state: spotCheck.state, rev: spotCheck.rev },
    set: { entries, state, rev: spotCheck.rev + 1 },
    event: {
      actor: { id: actor.id, username: actor.username },
      action: 'record_result',
      from: spotCheck.state,
      to: state,
      at: now.toISOString(),
      comment: result.notes,
      data: { policyId: entry.policyId, outcome: result.outcome, items: result.items },
    },
    effects: result.outcome === 'problem' ? [{ kind: 'open_policy_recheck', policyId: entry.policyId, source: 'spot_check', refId: spotCheck.id, reason }] : [],
  };
}

/** Canonical item ids and their sub-items: entry-3, entry-3a. */
const ITEM_ID = /^((?:entry|flow|cost|behavior)-\d+)[a-z]?$/;

function checkedResult(command: RecordResultCommand, actor: SupervisionActor, now: Date): SpotCheckResult {
  if (!SPOT_CHECK_OUTCOMES.includes(command.outcome)) {
    throwIfInvalid([{ path: 'outcome', message: `应为 ${SPOT_CHECK_OUTCOMES.join(' | ')}` }]);
  }
  const items = [...new Set((command.items ?? []).map((item) => item.trim()))];
  const notes = command.notes?.trim() ?? '';
  const unknown = items.filter((item) => !isChecklistItemId(ITEM_ID.exec(item)?.[1]));
  throwIfInvalid(unknown.map((item) => ({ path: 'items', message: `未知的审查标准编号：${item}` })));
  if (command.outcome === 'no_problem' && items.length > 0) throwIfInvalid([{ path: 'items', message: '未发现问题时不应列出审查标准' }]);
  if (command.outcome === 'problem') {
    const missing = [...(items.length === 0 ? ['items'] : []), ...(notes === '' ? ['notes'] : [])];
    if (missing.length > 0) failMissing('record_result', missing);
  }
  return { outcome: command.outcome, items, notes, recordedBy: actor.id, recordedAt: now.toISOString() };
}
