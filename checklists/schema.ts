/**
 * Schema of the machine-readable rulebook (checklists/data/*.json).
 *
 * Detection knowledge is data, not code: each item owns named cue groups (its trigger lexicon) and rules that
 * combine cue groups ("a procurement word AND a local-registration word"). Shared cue groups (locality,
 * negation, openness, legal basis, …) and the cross-cutting adjustments of 规则摘要 §8 live in lexicon.json.
 *
 * Phrase syntax: a literal string; "A…B" — A followed by B later in the same sentence with at most GAP_MAX
 * (or the group's gapMax) characters between them; "!X" — a mask: the group's hits that lie inside an
 * occurrence of X do not count ("区内" is local, but not inside "小区内").
 */
import { z } from 'zod';

export const CATEGORY_IDS = ['entry', 'flow', 'cost', 'behavior'] as const;
export type CategoryId = (typeof CATEGORY_IDS)[number];

/** The 19 canonical item ids (条例 第八条–第十一条 sub-paragraphs); the last of each category is the catch-all. */
export const ITEM_IDS = [
  'entry-1', 'entry-2', 'entry-3', 'entry-4', 'entry-5',
  'flow-1', 'flow-2', 'flow-3', 'flow-4', 'flow-5', 'flow-6',
  'cost-1', 'cost-2', 'cost-3', 'cost-4',
  'behavior-1', 'behavior-2', 'behavior-3', 'behavior-4',
] as const;
export type ItemId = (typeof ITEM_IDS)[number];

const itemIdSchema = z.enum(ITEM_IDS);
const subItemIdSchema = z.string().regex(/^(entry|flow|cost|behavior)-[1-6][a-g]$/, 'sub-item ids look like entry-3a');
const groupIdSchema = z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'cue group ids are camelCase');
/**
 * "@group", or alternatives "@a|@b". "~@group" means the group's phrase occurs inside a prohibition
 * ("不得设置差别待遇"): the restriction is forbidden there, which is evidence of compliance.
 */
const cueRefSchema = z
  .string()
  .regex(/^~?@[a-z][A-Za-z0-9]*(\|~?@[a-z][A-Za-z0-9]*)*$/, 'cue refs look like @local, @local|@nonlocal or ~@restrictionConcept');
const phraseSchema = z
  .string()
  .min(1)
  .refine((p) => p.replace(/^!/, '').split('…').every((part) => part.length > 0), 'gap patterns need text on both sides of …')
  .refine((p) => !(p.startsWith('!') && p.includes('…')), 'a mask is a literal phrase')
  .refine((p) => p.split('…').length <= 3, 'at most two gaps in one pattern');

export const cueGroupSchema = z.object({
  id: groupIdSchema,
  label: z.string().min(1),
  phrases: z.array(phraseSchema).min(1),
  /** false for phrases that are themselves restrictions worded negatively (不得低于, 不予补贴): a prohibition
   *  scope does not neutralise them. */
  negatable: z.boolean().default(true),
  /** Largest gap for this group's "A…B" patterns, when tighter than GAP_MAX ("市…公司" should not span a clause). */
  gapMax: z.number().int().min(1).max(40).optional(),
});
export type CueGroup = z.infer<typeof cueGroupSchema>;

/** `a` and `b` within `within` characters of each other; with `ordered`, `a` must come first. */
const nearSchema = z.object({
  a: cueRefSchema,
  b: cueRefSchema,
  within: z.number().int().min(0).max(40),
  ordered: z.boolean().default(false),
});

export const ruleSchema = z.object({
  id: z.string().min(1),
  subItemId: subItemIdSchema.optional(),
  /** Log-odds contribution when the rule holds. */
  weight: z.number(),
  /** A supporting rule only adds to a finding that some non-supporting positive rule already establishes. */
  supporting: z.boolean().default(false),
  /** Every entry must hit; an entry "@a|@b" hits when either group hits. */
  all: z.array(cueRefSchema).min(1),
  /** None of these may hit. */
  none: z.array(cueRefSchema).default([]),
  /** Pairs of cues that must occur close together (gap of at most `within` characters, either order). */
  near: z.array(nearSchema).default([]),
  /** Why this pattern matters, in Chinese; used in the finding's explanation. */
  why: z.string().min(1),
});
export type Rule = z.infer<typeof ruleSchema>;

const exemplarSchema = z.object({ text: z.string().min(8), subItemId: subItemIdSchema.optional() });
const nearMissSchema = z.object({ text: z.string().min(8), why: z.string().min(1) });

export const itemSchema = z.object({
  id: itemIdSchema,
  category: z.enum(CATEGORY_IDS),
  title: z.string().min(1),
  titleEn: z.string().min(1),
  catchAll: z.boolean(),
  severity: z.enum(['high', 'medium', 'low']),
  basis: z.object({
    regulation: z.string().min(1),
    measures: z.array(z.string().min(1)).min(1),
    related: z.array(z.string()).default([]),
  }),
  subItems: z.array(z.object({ id: subItemIdSchema, text: z.string().min(1) })).min(1),
  detection: z.object({
    /** Prior log-odds before any rule; more negative = more evidence needed. */
    bias: z.number(),
    groups: z.array(cueGroupSchema),
    rules: z.array(ruleSchema).min(1),
    contextNotes: z.string().min(1),
    negation: z.string().min(1),
    exceptions: z.string().min(1),
    grayAreas: z.array(z.string()).default([]),
  }),
  exemplars: z.object({
    violating: z.array(exemplarSchema).min(4),
    compliant: z.array(nearMissSchema).min(3),
  }),
  suggestion: z.string().min(1),
});
export type ChecklistItem = z.infer<typeof itemSchema>;

export const adjustmentSchema = z.object({
  id: z.string().min(1),
  /** Item ids or category ids this adjustment applies to. */
  appliesTo: z.array(z.union([itemIdSchema, z.enum(CATEGORY_IDS)])).min(1),
  weight: z.number(),
  all: z.array(cueRefSchema).min(1),
  none: z.array(cueRefSchema).default([]),
  near: z.array(nearSchema).default([]),
  why: z.string().min(1),
});
export type Adjustment = z.infer<typeof adjustmentSchema>;

export const lexiconSchema = z.object({
  groups: z.array(cueGroupSchema).min(1),
  /** Group ids with a structural role in the matcher (negation scope, citations). */
  roles: z.object({
    /** 无需/不限定/不区分/…: restriction words after it, up to the sentence end, are negated, not imposed. */
    negationOpener: groupIdSchema,
    /** 不得/禁止/…: the same, but only when a restriction concept follows ("不得限定…"); "禁止外地生猪调入"
     *  prohibits a market activity and is itself the restriction. */
    conditionalOpener: groupIdSchema,
    /** Restriction concepts (限定, 指定, 设置, 作为…条件, 减免, …) that make a conditional opener a prohibition. */
    restrictionConcept: groupIdSchema,
    /** Operators (企业, 经营者, 商户…): "企业不得向市外供货" binds operators, so it imposes a restriction. */
    operatorSubject: groupIdSchema,
    /** Public bodies (部门, 机关, 招标人…): "各部门不得擅自减免" binds the administration, so it forbids one. */
    authoritySubject: groupIdSchema,
    /** 但/否则: ends a prohibition scope early. */
    negationCloser: groupIdSchema,
    /** 予以纠正/予以清理: the restriction before it, from the sentence start, is being removed. */
    retroactiveNegation: groupIdSchema,
    /** 下列行为/以下情形: a lead-in "不得有下列行为：" puts the enumerated items under its prohibition. */
    listLead: groupIdSchema,
    /** Where citations of national law found by the citation scanner are added (《…法》, 《…条例》). */
    legalBasis: groupIdSchema,
    /** Where citations of local documents are added (《××市…办法》): not a legal basis for cost-* items. */
    localCitation: groupIdSchema,
    /** Where quoted product or platform names (“××通”平台) are added. */
    namedEntity: groupIdSchema,
  }),
  adjustments: z.array(adjustmentSchema),
  /**
   * Category-level rules (positive weight): a generic restriction shape ("an obligation laid only on non-local
   * operators", "a cost favour with a singled-out beneficiary") added to every item of the listed categories,
   * so the restriction is caught even in wording no item-specific rule anticipates; which item it belongs to
   * is then decided by the item-specific rules and the exemplar similarity.
   */
  genericRules: z.array(adjustmentSchema),
  /**
   * Shared groups whose cues in an enumeration's lead-in ("投标人应当满足下列条件：") also hold for each
   * enumerated item under it: the setting a list item is read in.
   */
  leadContextGroups: z.array(z.string().min(1)),
  /** Positive rules after the first add this fraction of their weight, then its square, … (diminishing). */
  positiveDecay: z.number().min(0).max(1),
  flagThreshold: z.number().min(0).max(1),
});
export type Lexicon = z.infer<typeof lexiconSchema>;

export const legacyStandardSchema = z.object({
  id: z.string().regex(/^[EFCB][1-5]$/),
  category: z.enum(CATEGORY_IDS),
  text: z.string().min(1),
  subItems: z.string().min(1),
  mapsTo: z.array(z.union([itemIdSchema, subItemIdSchema])).min(1),
  note: z.string().optional(),
});
export const legacySchema = z.object({
  source: z.string().min(1),
  standards: z.array(legacyStandardSchema).length(18),
});
export type LegacyStandard = z.infer<typeof legacyStandardSchema>;

export const manifestSchema = z.object({
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  sources: z.array(z.string().min(1)).min(1),
  itemFiles: z.array(z.string().min(1)).min(1),
  /** JSON Lines of labelled clauses of our own that the clause model learns from (never evaluation data). */
  trainingClauses: z.array(z.string().min(1)).min(1),
  /** The trained clause model (scripts/train.ts); absent only before the first training. */
  model: z.string().min(1).optional(),
});

const encodedWeightsSchema = z.object({
  /** Buckets with a weight, ascending (base64 of little-endian int32). */
  buckets: z.string(),
  /** Weights as int16 (base64), `weight = value * scale`; the item model's are row-major by class. */
  weights: z.string(),
  scale: z.number().positive(),
});

/** The trained clause model: hashed-feature logistic regressions (workers/analysis/model/). */
export const modelArtefactSchema = z.object({
  /** 2: the item model is one binary model per item (format 1 was one softmax, read differently). */
  format: z.literal(2),
  hashBits: z.number().int(),
  maxN: z.number().int(),
  /** The version of the rules (the checklist data without the model) whose cues the model was trained with. */
  rulesVersion: z.string(),
  training: z.object({
    /** Per source: clauses and violations trained on. */
    sources: z.record(z.string(), z.object({ clauses: z.number(), violations: z.number() })),
    /** sha256 of the training examples (ids, labels, items, texts), so a rebuild can be checked. */
    examplesSha256: z.string(),
    options: z.record(z.string(), z.number()),
  }),
  /** Thresholds on P(breach) per operating point, chosen on grouped cross-validation (scripts/train.ts). */
  thresholds: z.object({ review: z.number(), screen: z.number() }),
  binary: encodedWeightsSchema.extend({ bias: z.number() }),
  items: encodedWeightsSchema.extend({ classes: z.array(itemIdSchema), bias: z.array(z.number()) }),
});
export type ModelArtefact = z.infer<typeof modelArtefactSchema>;

/** A labelled clause: the format of the training clauses and of every evaluation set. */
export const labelledClauseSchema = z.object({
  id: z.string(),
  text: z.string().min(1),
  label: z.enum(['violation', 'compliant']),
  item: itemIdSchema.nullable(),
  note: z.string().optional(),
});
export type LabelledClause = z.infer<typeof labelledClauseSchema>;

/** Characters allowed between the parts of an "A…B" pattern. */
export const GAP_MAX = 14;
