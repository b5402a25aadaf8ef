/**
 * Turns the rulebook into matcher tables: one Aho–Corasick automaton over every literal phrase of every cue
 * group (shared and item-local), gap patterns ("A…B") split into their literal parts, and rules whose cue
 * references are resolved to group indices.
 */
import type { Adjustment, Checklists, ItemId, Rule } from '../../../checklists/index.js';
import { CATEGORY_IDS, GAP_MAX } from '../../../checklists/index.js';
import { AhoCorasick } from './ahoCorasick.js';

/**
 * A cue reference "@a|@b" resolved to the group indices it accepts. A prohibited-cue reference "~@a" is
 * stored as -(index + 1).
 */
export type CueAlternatives = readonly number[];

export const prohibitedRef = (group: number): number => -(group + 1);
export const groupOfProhibitedRef = (ref: number): number => -ref - 1;

export interface CompiledRule {
  id: string;
  /** Position among all the matcher's compiled rules. */
  index: number;
  subItemId?: string;
  weight: number;
  supporting: boolean;
  /** A category-level generic rule (lexicon genericRules), shared by every item of its categories. */
  generic: boolean;
  all: CueAlternatives[];
  none: CueAlternatives[];
  near: { a: CueAlternatives; b: CueAlternatives; within: number; ordered: boolean }[];
  why: string;
}

export interface CompiledGroup {
  /** "local" for shared groups, "entry-3/designate" for item-local ones. */
  key: string;
  label: string;
  negatable: boolean;
}

export interface GapPattern {
  group: number;
  gapMax: number;
  /** Pattern ids (into the automaton) of the literal parts, in order. */
  parts: number[];
}

export interface CompiledItem {
  id: ItemId;
  index: number;
  bias: number;
  /** Its rules, with consecutive indices (compiled one after the other). */
  rules: CompiledRule[];
  /** Shared adjustments (openness, legal basis, …) that apply to this item. */
  adjustments: CompiledRule[];
}

export interface CompiledMatcher {
  automaton: AhoCorasick;
  groups: CompiledGroup[];
  /** For each automaton pattern id: the groups whose single-part phrase it is. */
  literalGroups: number[][];
  /** For each automaton pattern id: the groups for which it is a mask ("!小区内" masks 区内). */
  maskGroups: number[][];
  /** For each automaton pattern id: the gap patterns it is the first part of (most patterns: none). */
  gapPatternsByFirstPart: (GapPattern[] | undefined)[];
  items: CompiledItem[];
  /** How many compiled rules there are (rules and adjustments of every item). */
  ruleCount: number;
  /**
   * For each group, the indices of the rules whose first required cue it can be, held or prohibited: a unit's
   * cues pick the few rules worth trying; `none` lists the rules that require nothing, always tried.
   */
  rulesByFirstCue: { held: number[][]; prohibited: number[][]; none: number[] };
  role: {
    negationOpener: number;
    conditionalOpener: number;
    restrictionConcept: number;
    operatorSubject: number;
    authoritySubject: number;
    negationCloser: number;
    retroactiveNegation: number;
    listLead: number;
    legalBasis: number;
    localCitation: number;
    namedEntity: number;
  };
  /** Group indices of the lexicon's lead context groups. */
  leadContext: number[];
  /** Literal phrases of the opener and list-lead groups, for the cheap check of enumeration lead-ins. */
  leadCheck: { openers: string[]; listLeads: string[] };
  positiveDecay: number;
}

export function compileMatcher(checklists: Checklists): CompiledMatcher {
  const { lexicon } = checklists;
  const groups: CompiledGroup[] = [];
  const groupIndex = new Map<string, number>();
  const phraseIds = new Map<string, number>();
  const phrases: string[] = [];
  const literalGroups: number[][] = [];
  const maskGroups: number[][] = [];
  const gapPatternsByFirstPart: (GapPattern[] | undefined)[] = [];

  const patternId = (literal: string): number => {
    let id = phraseIds.get(literal);
    if (id === undefined) {
      id = phrases.length;
      phrases.push(literal);
      phraseIds.set(literal, id);
      literalGroups.push([]);
      maskGroups.push([]);
      gapPatternsByFirstPart.push(undefined);
    }
    return id;
  };

  const addGroup = (key: string, label: string, negatable: boolean, groupPhrases: string[], gapMax = GAP_MAX) => {
    const index = groups.length;
    groups.push({ key, label, negatable });
    groupIndex.set(key, index);
    for (const phrase of groupPhrases) {
      if (phrase.startsWith('!')) {
        maskGroups[patternId(phrase.slice(1))]!.push(index);
        continue;
      }
      const parts = phrase.split('…').map(patternId);
      if (parts.length === 1) {
        const owners = literalGroups[parts[0]!]!;
        if (!owners.includes(index)) owners.push(index);
      } else {
        (gapPatternsByFirstPart[parts[0]!] ??= []).push({ group: index, gapMax, parts });
      }
    }
  };

  for (const g of lexicon.groups) addGroup(g.id, g.label, g.negatable, g.phrases, g.gapMax);
  for (const item of checklists.items) {
    for (const g of item.detection.groups) addGroup(`${item.id}/${g.id}`, g.label, g.negatable, g.phrases, g.gapMax);
  }

  const resolve = (itemId: string | undefined, ref: string): CueAlternatives =>
    ref.split('|').map((alt) => {
      const name = alt.replace(/^~?@/, '');
      const index = (itemId !== undefined ? groupIndex.get(`${itemId}/${name}`) : undefined) ?? groupIndex.get(name);
      if (index === undefined) throw new Error(`unknown cue group ${alt} (item ${itemId ?? 'shared'})`);
      return alt.startsWith('~') ? prohibitedRef(index) : index;
    });

  let ruleCount = 0;
  const compileRule = (itemId: string | undefined, rule: Rule | Adjustment, generic = false): CompiledRule => ({
    id: rule.id,
    index: ruleCount++,
    generic,
    subItemId: 'subItemId' in rule ? rule.subItemId : undefined,
    weight: rule.weight,
    supporting: 'supporting' in rule ? rule.supporting : false,
    all: rule.all.map((r) => resolve(itemId, r)),
    none: rule.none.map((r) => resolve(itemId, r)),
    near: rule.near.map((n) => ({ a: resolve(itemId, n.a), b: resolve(itemId, n.b), within: n.within, ordered: n.ordered })),
    why: rule.why,
  });

  const appliesToItem = (item: { id: string; category: string }) => (a: Adjustment) =>
    a.appliesTo.some((target) => target === item.id || ((CATEGORY_IDS as readonly string[]).includes(target) && target === item.category));
  const items: CompiledItem[] = checklists.items.map((item, index) => ({
    id: item.id,
    index,
    bias: item.detection.bias,
    rules: [
      ...item.detection.rules.map((r) => compileRule(item.id, r)),
      ...lexicon.genericRules.filter(appliesToItem(item)).map((r) => compileRule(undefined, r, true)),
    ],
    adjustments: lexicon.adjustments.filter(appliesToItem(item)).map((a) => compileRule(undefined, a)),
  }));

  const rulesByFirstCue = { held: groups.map((): number[] => []), prohibited: groups.map((): number[] => []), none: [] as number[] };
  for (const item of items) {
    for (const rule of [...item.rules, ...item.adjustments]) {
      if (rule.all.length === 0) rulesByFirstCue.none.push(rule.index);
      for (const ref of rule.all[0] ?? []) {
        if (ref >= 0) rulesByFirstCue.held[ref]!.push(rule.index);
        else rulesByFirstCue.prohibited[groupOfProhibitedRef(ref)]!.push(rule.index);
      }
    }
  }

  const roleIndex = (id: string) => groupIndex.get(id)!;
  const literalPhrases = (id: string) => lexicon.groups.find((g) => g.id === id)!.phrases.filter((p) => !p.includes('…'));
  return {
    automaton: new AhoCorasick(phrases),
    groups,
    literalGroups,
    maskGroups,
    gapPatternsByFirstPart,
    items,
    ruleCount,
    rulesByFirstCue,
    role: {
      negationOpener: roleIndex(lexicon.roles.negationOpener),
      conditionalOpener: roleIndex(lexicon.roles.conditionalOpener),
      restrictionConcept: roleIndex(lexicon.roles.restrictionConcept),
      operatorSubject: roleIndex(lexicon.roles.operatorSubject),
      authoritySubject: roleIndex(lexicon.roles.authoritySubject),
      negationCloser: roleIndex(lexicon.roles.negationCloser),
      retroactiveNegation: roleIndex(lexicon.roles.retroactiveNegation),
      listLead: roleIndex(lexicon.roles.listLead),
      legalBasis: roleIndex(lexicon.roles.legalBasis),
      localCitation: roleIndex(lexicon.roles.localCitation),
      namedEntity: roleIndex(lexicon.roles.namedEntity),
    },
    leadContext: lexicon.leadContextGroups.map(roleIndex),
    leadCheck: { openers: [...literalPhrases(lexicon.roles.negationOpener), ...literalPhrases(lexicon.roles.conditionalOpener)], listLeads: literalPhrases(lexicon.roles.listLead) },
    positiveDecay: lexicon.positiveDecay,
  };
}
