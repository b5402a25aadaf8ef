/**
 * The in-memory summaries behind the policy list and statistics (server/db/summaryIndex.ts): after any sequence of
 * changes, every page of every selection, sort and order is what filtering and sorting all summaries afresh gives,
 * whether the selection was first asked before the changes (kept current) or after them (computed anew); derived
 * figures are computed again exactly when the summaries changed.
 */
import { expect } from 'chai';
import { POLICY_STATES } from '../../../server/domain/policy';
import { POLICY_SORTS, SORT_ORDER, deadlineless, listSelection, type PolicyListFilters, type PolicySort, type PolicySummary, type SortOrder } from '../../../server/domain/policySummary';
import { SummaryIndex } from '../../../server/db/summaryIndex';
import { ACTOR_NAMES, DEPT, OTHER_DEPT, actors, MEMBERS } from '../domain/policyFixtures';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  return { next, pick: <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]! };
}

function summary(id: string, r: ReturnType<typeof random>): PolicySummary {
  const state = r.pick(POLICY_STATES);
  const published = state === 'published' || r.next() < 0.2;
  return {
    id,
    // few distinct titles and instants: ties must be broken by id in every order
    title: r.pick(['关于促进消费的若干措施', '招标投标管理办法', '产业扶持资金管理办法', '政府采购实施细则']),
    docNumber: published ? `发〔2025〕${Math.floor(r.next() * 50)}号` : null,
    kind: 'normative_document',
    issuingLevel: 'department',
    industries: [],
    draftingDepartmentId: r.pick([DEPT, OTHER_DEPT]),
    draftingDepartmentName: '',
    state,
    rev: 1,
    latestVersion: null,
    openFindings: r.pick([0, 0, 2]),
    outcome: null,
    publishedOn: published ? '2025-06-01' : null,
    deadline: r.next() < 0.4 ? new Date(Date.UTC(2025, 6, 1 + Math.floor(r.next() * 5))).toISOString() : null,
    updatedAt: new Date(Date.UTC(2025, 0, 1 + Math.floor(r.next() * 10))).toISOString(),
    registeredAt: '2025-01-01T00:00:00.000Z',
    concludedAt: [],
    turnaroundMs: null,
    jointReview: r.next() < 0.3 ? { members: MEMBERS.slice(0, 1 + Math.floor(r.next() * 3)) } : null,
    evaluations: r.next() < 0.2 ? [{ evaluatorId: actors.evaluator.id }] : [],
    publication: published ? { publishedOn: '2025-06-01' } : null,
    findingsKey: '',
    findingsByItem: [],
  };
}

/** What a page must hold: every summary filtered and sorted afresh. */
function expectedPage(all: Iterable<PolicySummary>, matches: (s: PolicySummary) => boolean, sort: PolicySort, order: SortOrder, page: number, pageSize: number) {
  const sorted = [...all].filter(matches).sort(SORT_ORDER[sort]);
  const ordered = order === 'asc' ? sorted : [...sorted.filter((s) => !deadlineless(sort, s)).reverse(), ...sorted.filter((s) => deadlineless(sort, s))];
  return { ids: ordered.slice((page - 1) * pageSize, page * pageSize).map((s) => s.id), total: ordered.length };
}

const FILTERS: PolicyListFilters[] = [{}, { state: 'published' }, { department: DEPT }, { text: '办法' }, { hasOpenFindings: true }, { deadlineBefore: '2025-07-03' }];

describe('summary index (policy list and statistics in memory)', function () {
  it('answers every page like filtering and sorting all summaries afresh, through any sequence of changes', function () {
    const r = random(17);
    const truth = new Map<string, PolicySummary>();
    const index = new SummaryIndex();
    for (let i = 0; i < 300; i++) truth.set(`p${String(i).padStart(4, '0')}`, summary(`p${String(i).padStart(4, '0')}`, r));
    index.reset([...truth.values()]);

    // Fewer selections than the index keeps (a drafter and their lead share one), so that after the first round
    // each is answered from rows kept current by the changes, not computed anew.
    const askers = ACTOR_NAMES.filter((name) => !['otherLead', 'member3', 'otherEvaluator'].includes(name));
    const check = (sort: PolicySort, round: number) => {
      for (const name of askers) {
        for (const filters of FILTERS) {
          for (const order of ['asc', 'desc'] as const) {
            const selection = listSelection(actors[name], filters);
            for (const [page, pageSize] of [[1, 20], [3, 7], [1, 1000]] as const) {
              const seen = index.page(selection, sort, order, page, pageSize);
              const expected = expectedPage(truth.values(), selection.matches, sort, order, page, pageSize);
              const label = `${sort} round ${round}, ${name} ${JSON.stringify(filters)} ${order} page ${page}/${pageSize}`;
              expect(seen.items.map((s) => s.id), label).to.deep.equal(expected.ids);
              expect(seen.total, label).to.equal(expected.total);
            }
          }
        }
      }
    };
    for (const sort of POLICY_SORTS) {
      check(sort, 0);
      for (let round = 1; round <= 4; round++) {
        for (let change = 0; change < 40; change++) {
          const id = `p${String(Math.floor(r.next() * 340)).padStart(4, '0')}`;
          if (r.next() < 0.2) {
            truth.delete(id);
            index.remove(id);
          } else {
            const changed = summary(id, r);
            truth.set(id, changed);
            index.put(changed);
          }
        }
        check(sort, round);
      }
    }
    expect(index.size).to.equal(truth.size);
  });

  it('computes derived figures again only once the summaries changed', function () {
    const r = random(3);
    const index = new SummaryIndex();
    index.reset([summary('a', r), summary('b', r)]);
    let computed = 0;
    const count = () => index.derive('count', (all) => {
      computed++;
      return [...all].length;
    });
    expect([count(), count()]).to.deep.equal([2, 2]);
    expect(computed).to.equal(1);
    index.put(summary('c', r));
    expect(count()).to.equal(3);
    index.remove('a');
    index.remove('nobody');
    expect(count()).to.equal(2);
    expect(computed).to.equal(3);
  });
});
