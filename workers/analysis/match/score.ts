/**
 * Scores one unit against every item by the rules alone: rule evidence + shared adjustments, summed in
 * log-odds and mapped to a probability with the calibration fitted on the exemplars.
 *
 *   z = bias + Σ positive rules (strongest first, each next one weighted by decay^k)
 *            + Σ negative rules and adjustments
 * (adjustments are only computed for items with rule evidence; the others stay at their bias plus negative
 * rules, which is all a non-flaggable item needs)
 *   p = σ(a·z)
 *
 * The rules' verdict (p ≥ threshold AND a positive, non-supporting rule holds) is one of the clause model's
 * features and gives findings their evidence; the model decides (see analyze.ts).
 */
import { groupOfProhibitedRef, type CompiledMatcher, type CompiledRule, type CueAlternatives } from './compile.js';
import type { Hit, UnitCues } from './cues.js';

export interface Evidence {
  start: number;
  end: number;
}

export interface RuleMatch {
  rule: CompiledRule;
  evidence: Evidence[];
}

export interface ItemScore {
  itemIndex: number;
  z: number;
  probability: number;
  /** Positive rules that held, strongest first. */
  matched: RuleMatch[];
  /** Negative rules and adjustments that held. */
  mitigating: RuleMatch[];
}

export interface Calibration {
  a: number;
  b: number;
}

function hitsOf(cues: UnitCues, ref: number): Hit[] | undefined {
  return ref >= 0 ? cues.hits.get(ref) : cues.prohibited.get(groupOfProhibitedRef(ref));
}

function firstHit(cues: UnitCues, alternatives: CueAlternatives): Hit | undefined {
  let best: Hit | undefined;
  for (const g of alternatives) {
    const h = hitsOf(cues, g)?.[0];
    if (h && (!best || h.start < best.start)) best = h;
  }
  return best;
}

function gapBetween(x: Hit, y: Hit): number {
  return Math.max(0, Math.max(x.start, y.start) - Math.min(x.end, y.end));
}

function nearPair(cues: UnitCues, a: CueAlternatives, b: CueAlternatives, within: number, ordered: boolean): [Hit, Hit] | undefined {
  for (const ga of a) {
    for (const x of hitsOf(cues, ga) ?? []) {
      for (const gb of b) {
        for (const y of hitsOf(cues, gb) ?? []) {
          if (x !== y && gapBetween(x, y) <= within && (!ordered || x.start < y.start)) return [x, y];
        }
      }
    }
  }
  return undefined;
}

/** Which groups a unit's cues hold, as bits per group: HELD in `hits`, PROHIBITED in `prohibited`. */
const HELD = 1;
const PROHIBITED = 2;

/**
 * The presence bits of one unit's cues, and which rules their first required cue allows to hold, in tables
 * kept across units (set by `scoreItems` for each unit; a unit's rules are those marked with its stamp, listed
 * in `tried[0 .. triedCount)` in ascending index, the order of the items and of their rules).
 */
class CuePresence {
  private bits = new Uint8Array(0);
  private triedStamp = new Int32Array(0);
  private stamp = 0;
  tried = new Int32Array(0);
  triedCount = 0;

  mark(m: CompiledMatcher, cues: UnitCues): void {
    if (this.bits.length < m.groups.length) this.bits = new Uint8Array(m.groups.length);
    if (this.triedStamp.length < m.ruleCount) {
      this.triedStamp = new Int32Array(m.ruleCount);
      this.tried = new Int32Array(m.ruleCount);
    }
    if (++this.stamp === 0x7fffffff) {
      this.triedStamp.fill(0);
      this.stamp = 1;
    }
    this.triedCount = 0;
    const { held, prohibited, none } = m.rulesByFirstCue;
    for (const r of none) this.markTried(r);
    for (const g of cues.hits.keys()) {
      this.bits[g]! |= HELD;
      for (const r of held[g]!) this.markTried(r);
    }
    for (const g of cues.prohibited.keys()) {
      this.bits[g]! |= PROHIBITED;
      for (const r of prohibited[g]!) this.markTried(r);
    }
    // ascending by insertion: a unit's cues allow a handful of rules
    const { tried } = this;
    for (let i = 1; i < this.triedCount; i++) {
      const r = tried[i]!;
      let j = i - 1;
      for (; j >= 0 && tried[j]! > r; j--) tried[j + 1] = tried[j]!;
      tried[j + 1] = r;
    }
  }

  private markTried(rule: number): void {
    if (this.triedStamp[rule] === this.stamp) return;
    this.triedStamp[rule] = this.stamp;
    this.tried[this.triedCount++] = rule;
  }

  clear(cues: UnitCues): void {
    for (const g of cues.hits.keys()) this.bits[g] = 0;
    for (const g of cues.prohibited.keys()) this.bits[g] = 0;
  }

  /** Whether every cue the rule requires is present (a prohibited-cue reference when its group was prohibited). */
  allPresent(rule: CompiledRule): boolean {
    const { all } = rule;
    if (all.length === 0) return true;
    if (this.triedStamp[rule.index] !== this.stamp) return false;
    for (let k = 1; k < all.length; k++) if (!this.hasAny(all[k]!)) return false;
    return true;
  }

  private hasAny(alternatives: CueAlternatives): boolean {
    for (const g of alternatives) if (g >= 0 ? this.bits[g]! & HELD : this.bits[groupOfProhibitedRef(g)]! & PROHIBITED) return true;
    return false;
  }
}

const presence = new CuePresence();

/** The rule's evidence spans when it holds on these cues (whose presence `presence` holds), otherwise undefined. */
function matchRule(rule: CompiledRule, cues: UnitCues): Evidence[] | undefined {
  // cheap presence check first: most rules fail on most sentences
  if (!presence.allPresent(rule)) return undefined;
  const evidence: Evidence[] = [];
  for (const alternatives of rule.all) {
    const h = firstHit(cues, alternatives);
    if (!h) return undefined;
    evidence.push(h);
  }
  for (const alternatives of rule.none) if (firstHit(cues, alternatives)) return undefined;
  for (const n of rule.near) {
    const pair = nearPair(cues, n.a, n.b, n.within, n.ordered);
    if (!pair) return undefined;
    evidence.push(...pair);
  }
  return evidence;
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function byWeightDescending(x: RuleMatch, y: RuleMatch): number {
  return y.rule.weight - x.rule.weight;
}

/** The rules that held for an item with nothing in them, shared by every item and unit where none held. */
const NO_MATCHES: readonly RuleMatch[] = Object.freeze([]);

/**
 * Each item's score when none of its rules holds (its bias alone): the same on every such unit, so those
 * units share one object per item, found once per matcher and calibration. Nothing writes to a score.
 */
const idleScoresOf = new WeakMap<CompiledMatcher, { calibration: Calibration; scores: ItemScore[] }>();

function idleScores(m: CompiledMatcher, calibration: Calibration): ItemScore[] {
  let idle = idleScoresOf.get(m);
  if (idle?.calibration !== calibration) {
    const scores = m.items.map((item) => ({
      itemIndex: item.index,
      z: item.bias,
      probability: calibrated(calibration, item.bias),
      matched: NO_MATCHES as RuleMatch[],
      mitigating: NO_MATCHES as RuleMatch[],
    }));
    idleScoresOf.set(m, (idle = { calibration, scores }));
  }
  return idle.scores;
}

/**
 * Scores every item for one unit, in the order of the matcher's items (score i is item i's). (Plain loops, no per-call closures, lists allocated only when a rule holds:
 * this runs for every item of every sentence.)
 */
export function scoreItems(m: CompiledMatcher, cues: UnitCues, calibration: Calibration): ItemScore[] {
  const scores: ItemScore[] = new Array(m.items.length);
  const idle = idleScores(m, calibration);
  presence.mark(m, cues);
  let k = 0;
  const { tried, triedCount } = presence;
  let next = 0;
  for (const item of m.items) {
    let matched: RuleMatch[] | undefined;
    let mitigating: RuleMatch[] | undefined;
    let establishing = false;
    // only the rules the unit's cues allow, in the item's order (its rules have consecutive indices)
    const first = item.rules[0]?.index ?? 0;
    while (next < triedCount && tried[next]! < first) next++;
    for (; next < triedCount && tried[next]! < first + item.rules.length; next++) {
      const rule = item.rules[tried[next]! - first]!;
      const evidence = matchRule(rule, cues);
      if (!evidence) continue;
      if (rule.weight > 0) {
        (matched ??= []).push({ rule, evidence });
        if (!rule.supporting) establishing = true;
      } else (mitigating ??= []).push({ rule, evidence });
    }
    // supporting rules count only alongside a rule that establishes the pattern on its own
    if (!establishing) matched = undefined;
    if (!matched && !mitigating) {
      scores[k++] = idle[item.index]!;
      continue;
    }
    if (matched) {
      for (const adjustment of item.adjustments) {
        const evidence = matchRule(adjustment, cues);
        if (evidence) (mitigating ??= []).push({ rule: adjustment, evidence });
      }
      matched.sort(byWeightDescending);
    }
    let z = item.bias;
    let factor = 1;
    if (matched) {
      for (const r of matched) {
        z += r.rule.weight * factor;
        factor *= m.positiveDecay;
      }
    }
    if (mitigating) for (const r of mitigating) z += r.rule.weight;
    scores[k++] = {
      itemIndex: item.index,
      z,
      probability: calibrated(calibration, z),
      matched: matched ?? (NO_MATCHES as RuleMatch[]),
      mitigating: mitigating ?? (NO_MATCHES as RuleMatch[]),
    };
  }
  presence.clear(cues);
  return scores;
}

/** The calibrated probability of a score z. */
export function calibrated(calibration: Calibration, z: number): number {
  return sigmoid(calibration.a * z + calibration.b);
}

/**
 * Scale calibration p = σ(a·z), a fitted by Newton's method on (z, label) pairs with a ridge pull toward
 * a = 1. The intercept stays 0 on purpose: the rule weights are written as log-odds with the decision at
 * z = 0, and the exemplars are too nearly separable to locate the boundary themselves; they only tell how
 * confident the scores should be.
 */
export function fitCalibration(samples: { z: number; label: 0 | 1 }[], ridge = 1): Calibration {
  let a = 1;
  for (let iter = 0; iter < 50; iter++) {
    let gradient = ridge * (a - 1);
    let hessian = ridge;
    for (const { z, label } of samples) {
      const p = sigmoid(a * z);
      gradient += (p - label) * z;
      hessian += p * (1 - p) * z * z;
    }
    const step = gradient / hessian;
    a -= step;
    if (Math.abs(step) < 1e-9) break;
  }
  return { a, b: 0 };
}
