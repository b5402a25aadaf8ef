import { expect } from 'chai';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChecklistValidationError,
  DEFAULT_DATA_DIR,
  ITEM_IDS,
  legacyToCurrent,
  loadChecklists,
  type ChecklistItem,
} from '../../../checklists/index.js';

/** A scratch copy of the data directory that a test may corrupt. */
function withDataCopy(edit: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'checklists-'));
  cpSync(DEFAULT_DATA_DIR, dir, { recursive: true });
  edit(dir);
  return dir;
}

function editJson(dir: string, file: string, change: (data: unknown) => unknown): void {
  const path = join(dir, file);
  writeFileSync(path, JSON.stringify(change(JSON.parse(readFileSync(path, 'utf8')))));
}

function loadError(dir: string): ChecklistValidationError {
  try {
    loadChecklists(dir);
  } catch (error) {
    expect(error).to.be.instanceOf(ChecklistValidationError);
    return error as ChecklistValidationError;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  throw new Error('loadChecklists accepted invalid data');
}

describe('checklists', () => {
  const checklists = loadChecklists();

  it('has exactly the 19 canonical items of the 2024 条例, in order, each with the right category', () => {
    expect(checklists.items.map((i) => i.id)).to.deep.equal([...ITEM_IDS]);
    for (const item of checklists.items) expect(item.id.startsWith(`${item.category}-`)).to.equal(true);
    expect(checklists.items.filter((i) => i.catchAll).map((i) => i.id)).to.deep.equal(['entry-5', 'flow-6', 'cost-4', 'behavior-4']);
  });

  it('gives every item a legal basis in the 条例 and 实施办法, sub-items, rules, exemplars and a Chinese rewrite', () => {
    const articleOf: Record<string, string> = { entry: '第八条', flow: '第九条', cost: '第十条', behavior: '第十一条' };
    for (const item of checklists.items) {
      expect(item.basis.regulation, item.id).to.contain('公平竞争审查条例').and.contain(articleOf[item.category]!);
      expect(item.basis.measures.join(), item.id).to.contain('实施办法');
      expect(item.subItems.every((s) => s.id.startsWith(item.id)), item.id).to.equal(true);
      expect(item.detection.rules.some((r) => r.weight > 0), item.id).to.equal(true);
      expect(item.exemplars.violating.length, item.id).to.be.at.least(4);
      expect(item.exemplars.compliant.length, item.id).to.be.at.least(3);
      expect(item.suggestion, item.id).to.match(/[\u4e00-\u9fa5]/);
    }
  });

  it('maps all 18 legacy 2021 standards to current ids', () => {
    expect(checklists.legacy.map((s) => s.id)).to.deep.equal(
      ['E1', 'E2', 'E3', 'E4', 'E5', 'F1', 'F2', 'F3', 'F4', 'F5', 'C1', 'C2', 'C3', 'C4', 'B1', 'B2', 'B3', 'B4'],
    );
    expect(legacyToCurrent(checklists, 'E3')).to.deep.equal(['entry-3']);
    expect(legacyToCurrent(checklists, 'E4')).to.deep.equal(['entry-1']);
    expect(legacyToCurrent(checklists, 'C1')).to.deep.equal(['cost-1', 'cost-2', 'cost-3']);
    expect(legacyToCurrent(checklists, 'C4')).to.deep.equal(['cost-4']);
    expect(legacyToCurrent(checklists, 'B2')).to.deep.equal(['behavior-1']);
    const mapped = new Set(checklists.legacy.flatMap((s) => legacyToCurrent(checklists, s.id)));
    expect(mapped.size).to.be.at.least(16);
  });

  it('exposes a version that is stable for the same data and changes when the data changes', () => {
    expect(checklists.version).to.match(/^\d+\.\d+\.\d+\+[0-9a-f]{10}$/);
    expect(loadChecklists().version).to.equal(checklists.version);
    const dir = withDataCopy((d) =>
      editJson(d, 'items/entry.json', (items) => {
        (items as ChecklistItem[])[0]!.suggestion += '（修订）';
        return items;
      }),
    );
    try {
      expect(loadChecklists(dir).version).to.not.equal(checklists.version);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects data with a missing item', () => {
    const dir = withDataCopy((d) => editJson(d, 'items/cost.json', (items) => (items as ChecklistItem[]).filter((i) => i.id !== 'cost-3')));
    expect(loadError(dir).message).to.contain('missing item cost-3');
  });

  it('rejects a rule that refers to an unknown cue group, naming the rule', () => {
    const dir = withDataCopy((d) =>
      editJson(d, 'items/flow.json', (items) => {
        (items as ChecklistItem[])[2]!.detection.rules[0]!.all.push('@noSuchGroup');
        return items;
      }),
    );
    const error = loadError(dir);
    expect(error.message).to.contain('flow-3').and.contain('@noSuchGroup');
  });

  it('rejects schema violations (bad severity, sub-item of another item) with the path of each problem', () => {
    const dir = withDataCopy((d) =>
      editJson(d, 'items/behavior.json', (items) => {
        const list = items as ChecklistItem[];
        (list[0] as { severity: string }).severity = 'critical';
        return list;
      }),
    );
    expect(loadError(dir).problems.join('\n')).to.contain('items/behavior.json: 0.severity');

    const dir2 = withDataCopy((d) =>
      editJson(d, 'items/entry.json', (items) => {
        (items as ChecklistItem[])[1]!.subItems.push({ id: 'entry-3f', text: '错位的子项' });
        return items;
      }),
    );
    expect(loadError(dir2).message).to.contain('entry-2: sub-item entry-3f does not belong to the item');
  });

  it('loads the training clauses, labelled with canonical ids, and versions them with the rest', () => {
    const checklists = loadChecklists();
    expect(checklists.trainingClauses.length).to.be.greaterThan(1000);
    for (const c of checklists.trainingClauses) if (c.label === 'violation') expect(ITEM_IDS).to.include(c.item);
    const dir = withDataCopy((d) => appendFileSync(join(d, 'training-clauses.jsonl'), '{"id":"extra","text":"对某企业给予奖励。","label":"violation","item":"cost-2"}\n'));
    try {
      expect(loadChecklists(dir).version).to.not.equal(checklists.version);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a training clause with an unknown item, a violation without an item, or a line that is not JSON, naming the line', () => {
    const dir = withDataCopy((d) =>
      appendFileSync(
        join(d, 'training-clauses.jsonl'),
        ['{"id":"a","text":"甲。","label":"violation","item":"entry-9"}', '{"id":"b","text":"乙。","label":"violation","item":null}', '{not json'].join('\n') + '\n',
      ),
    );
    const lines = readFileSync(join(DEFAULT_DATA_DIR, 'training-clauses.jsonl'), 'utf8').split('\n').filter(Boolean).length;
    const problems = loadError(dir).problems.join('\n');
    expect(problems).to.contain(`training-clauses.jsonl:${lines + 1}: item`);
    expect(problems).to.contain(`training-clauses.jsonl:${lines + 2}: a violation needs an item`);
    expect(problems).to.contain(`training-clauses.jsonl:${lines + 3}: not JSON`);
  });

  it('rejects a lead context group that does not exist', () => {
    const dir = withDataCopy((d) =>
      editJson(d, 'lexicon.json', (lexicon) => ({ ...(lexicon as object), leadContextGroups: ['procurement', 'noSuchGroup'] })),
    );
    expect(loadError(dir).message).to.contain('lead context names unknown shared group noSuchGroup');
  });

  it('rejects a legacy standard mapped to an unknown id', () => {
    const dir = withDataCopy((d) =>
      editJson(d, 'legacy-2021.json', (legacy) => {
        const l = legacy as { standards: { mapsTo: string[] }[] };
        l.standards[0]!.mapsTo = ['entry-9'];
        return l;
      }),
    );
    expect(loadError(dir).message).to.contain('legacy-2021.json');
  });
});
