/**
 * Loads and validates the rulebook in checklists/data. Validation runs at load: schema (zod) plus the
 * cross-references a schema cannot express (all 19 ids present once, sub-item ids belong to their item, every
 * cue reference resolves, legacy standards map to known ids). Any problem aborts start-up with one error that
 * lists them all.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  ITEM_IDS,
  itemSchema,
  labelledClauseSchema,
  legacySchema,
  lexiconSchema,
  manifestSchema,
  modelArtefactSchema,
  type ChecklistItem,
  type ItemId,
  type LabelledClause,
  type LegacyStandard,
  type Lexicon,
  type ModelArtefact,
} from './schema.js';

export * from './schema.js';

export interface Checklists {
  /** "1.0.0+<first 10 hex of sha256 over all data files>": changes whenever any rule, phrase, text or the model changes. */
  version: string;
  /** The same over the rules alone (everything but the model): what a model is trained against. */
  rulesVersion: string;
  items: ChecklistItem[];
  byId: ReadonlyMap<ItemId, ChecklistItem>;
  lexicon: Lexicon;
  legacy: LegacyStandard[];
  sources: string[];
  /** Labelled clauses of our own that the clause model learns from. */
  trainingClauses: LabelledClause[];
  /** The trained clause model, when one has been trained. */
  model: ModelArtefact | undefined;
}

export class ChecklistValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`检查清单数据校验失败（${problems.length} 处）：\n- ${problems.join('\n- ')}`);
    this.name = 'ChecklistValidationError';
  }
}

export const DEFAULT_DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));

/** Reads a data file and adds it to the version hash. */
function readText(dir: string, file: string, hash: ReturnType<typeof createHash>): string {
  const raw = readFileSync(join(dir, file), 'utf8');
  hash.update(file).update('\0').update(raw).update('\0');
  return raw;
}

function readJson(dir: string, file: string, hash: ReturnType<typeof createHash>): unknown {
  return JSON.parse(readText(dir, file, hash));
}

/** Parses JSON Lines of labelled clauses, collecting one problem per bad line. */
export function parseLabelledClauses(where: string, raw: string, problems: string[]): LabelledClause[] {
  const clauses: LabelledClause[] = [];
  raw.split('\n').forEach((line, i) => {
    if (line.trim().length === 0) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      problems.push(`${where}:${i + 1}: not JSON`);
      return;
    }
    const parsed = labelledClauseSchema.safeParse(json);
    if (!parsed.success) problems.push(...zodProblems(`${where}:${i + 1}`, parsed.error));
    else if (parsed.data.label === 'violation' && parsed.data.item === null) problems.push(`${where}:${i + 1}: a violation needs an item`);
    else clauses.push(parsed.data);
  });
  return clauses;
}

function zodProblems(where: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => `${where}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/** "~@local" → "local". */
const groupName = (alt: string): string => alt.replace(/^~?@/, '');

/** Cross-reference checks; returns human-readable problems (empty when the data is consistent). */
export function crossCheck(items: ChecklistItem[], lexicon: Lexicon, legacy: LegacyStandard[]): string[] {
  const problems: string[] = [];
  const sharedGroups = new Set(lexicon.groups.map((g) => g.id));
  if (sharedGroups.size !== lexicon.groups.length) problems.push('lexicon: duplicate shared group id');

  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.id)) problems.push(`${item.id}: defined twice`);
    seen.add(item.id);
    if (!item.id.startsWith(`${item.category}-`)) problems.push(`${item.id}: category ${item.category} does not match id`);
    const subIds = new Set(item.subItems.map((s) => s.id));
    for (const s of item.subItems) {
      if (!s.id.startsWith(`${item.id}`) || s.id.length !== item.id.length + 1) problems.push(`${item.id}: sub-item ${s.id} does not belong to the item`);
    }
    const localGroups = new Set<string>();
    for (const g of item.detection.groups) {
      if (localGroups.has(g.id)) problems.push(`${item.id}: duplicate group ${g.id}`);
      if (sharedGroups.has(g.id)) problems.push(`${item.id}: group ${g.id} shadows a shared lexicon group`);
      localGroups.add(g.id);
    }
    const resolves = (ref: string) => ref.split('|').every((alt) => localGroups.has(groupName(alt)) || sharedGroups.has(groupName(alt)));
    for (const rule of item.detection.rules) {
      if (rule.subItemId && !subIds.has(rule.subItemId)) problems.push(`${item.id}: rule ${rule.id} names unknown sub-item ${rule.subItemId}`);
      const refs = [...rule.all, ...rule.none, ...rule.near.flatMap((n) => [n.a, n.b])];
      for (const ref of refs) if (!resolves(ref)) problems.push(`${item.id}: rule ${rule.id} refers to unknown cue group ${ref}`);
    }
    if (!item.detection.rules.some((r) => r.weight > 0)) problems.push(`${item.id}: needs at least one positive rule`);
    for (const ex of item.exemplars.violating) {
      if (ex.subItemId && !subIds.has(ex.subItemId)) problems.push(`${item.id}: exemplar names unknown sub-item ${ex.subItemId}`);
    }
  }
  for (const id of ITEM_IDS) if (!seen.has(id)) problems.push(`missing item ${id}`);

  for (const adj of [...lexicon.adjustments, ...lexicon.genericRules]) {
    for (const ref of [...adj.all, ...adj.none, ...adj.near.flatMap((n) => [n.a, n.b])]) {
      if (!ref.split('|').every((alt) => sharedGroups.has(groupName(alt)))) problems.push(`adjustment ${adj.id} refers to unknown shared group ${ref}`);
    }
  }
  for (const generic of lexicon.genericRules) if (generic.weight <= 0) problems.push(`generic rule ${generic.id} needs a positive weight`);
  for (const groupId of lexicon.leadContextGroups) if (!sharedGroups.has(groupId)) problems.push(`lead context names unknown shared group ${groupId}`);
  for (const [role, groupId] of Object.entries(lexicon.roles)) {
    if (!sharedGroups.has(groupId)) problems.push(`lexicon role ${role} names unknown group ${groupId}`);
  }

  const allSubIds = new Set(items.flatMap((i) => i.subItems.map((s) => s.id)));
  const legacyIds = new Set<string>();
  for (const std of legacy) {
    if (legacyIds.has(std.id)) problems.push(`legacy ${std.id}: defined twice`);
    legacyIds.add(std.id);
    for (const target of std.mapsTo) {
      if (!seen.has(target) && !allSubIds.has(target)) problems.push(`legacy ${std.id}: maps to unknown id ${target}`);
    }
  }
  return problems;
}

/** Reads, validates and versions the rulebook. Throws ChecklistValidationError on any problem. */
export function loadChecklists(dataDir: string = DEFAULT_DATA_DIR): Checklists {
  const hash = createHash('sha256');
  const problems: string[] = [];

  const manifest = manifestSchema.safeParse(readJson(dataDir, 'manifest.json', hash));
  if (!manifest.success) throw new ChecklistValidationError(zodProblems('manifest.json', manifest.error));

  const lexicon = lexiconSchema.safeParse(readJson(dataDir, 'lexicon.json', hash));
  if (!lexicon.success) problems.push(...zodProblems('lexicon.json', lexicon.error));

  const items: ChecklistItem[] = [];
  for (const file of manifest.data.itemFiles) {
    const parsed = z.array(itemSchema).safeParse(readJson(dataDir, file, hash));
    if (parsed.success) items.push(...parsed.data);
    else problems.push(...zodProblems(file, parsed.error));
  }

  const legacy = legacySchema.safeParse(readJson(dataDir, 'legacy-2021.json', hash));
  const trainingClauses = manifest.data.trainingClauses.flatMap((file) => parseLabelledClauses(file, readText(dataDir, file, hash), problems));
  if (!legacy.success) problems.push(...zodProblems('legacy-2021.json', legacy.error));
  const rulesVersion = `${manifest.data.version}+${hash.copy().digest('hex').slice(0, 10)}`;

  let model: ModelArtefact | undefined;
  if (manifest.data.model && existsSync(join(dataDir, manifest.data.model))) {
    const parsed = modelArtefactSchema.safeParse(readJson(dataDir, manifest.data.model, hash));
    if (parsed.success) model = parsed.data;
    else problems.push(...zodProblems(manifest.data.model, parsed.error));
  }

  if (problems.length === 0 && lexicon.success && legacy.success) {
    problems.push(...crossCheck(items, lexicon.data, legacy.data.standards));
  }
  if (problems.length > 0 || !lexicon.success || !legacy.success) throw new ChecklistValidationError(problems);

  items.sort((a, b) => ITEM_IDS.indexOf(a.id) - ITEM_IDS.indexOf(b.id));
  return {
    version: `${manifest.data.version}+${hash.digest('hex').slice(0, 10)}`,
    rulesVersion,
    items,
    byId: new Map(items.map((i) => [i.id, i])),
    lexicon: lexicon.data,
    legacy: legacy.data.standards,
    sources: manifest.data.sources,
    trainingClauses,
    model,
  };
}

/** The item ids a legacy 2021 standard (E1…B4) maps to, resolving sub-item ids to their items. */
export function legacyToCurrent(checklists: Checklists, legacyId: string): ItemId[] {
  const std = checklists.legacy.find((s) => s.id === legacyId);
  if (!std) return [];
  return [...new Set(std.mapsTo.map((t) => t.replace(/[a-g]$/, '') as ItemId))];
}
