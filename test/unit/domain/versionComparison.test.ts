import { expect } from 'chai';
import { clauseKey, compareVersions, type Clause, type LocatedFinding } from '../../../server/domain/versionComparison';

/** Clauses laid out one per line, as the segmenter gives them: label, path and offsets. */
function clauses(lines: Array<[string, string]>): Clause[] {
  let start = 0;
  return lines.map(([label, text]) => {
    const clause = { label, path: label, text, start, end: start + text.length };
    start += text.length + 1;
    return clause;
  });
}
const finding = (id: string, itemId: string, on: Clause): LocatedFinding => ({ id, itemId, path: on.path, text: on.text, start: on.start + 2 });

describe('version comparison (clause level)', function () {
  const before = clauses([
    ['第一条', '第一条　为促进商贸流通业发展，制定本措施。'],
    ['第二条', '第二条　政府采购项目应当优先采购本地企业生产的产品。'],
    ['第三条', '第三条　对本地纳税百强企业给予土地出让金返还。'],
    ['第四条', '第四条　本措施自发布之日起施行。'],
  ]);
  const after = clauses([
    ['第一条', '第一条　为促进商贸流通业发展，制定本措施。'],
    ['第二条', '第二条　政府采购项目依法平等对待各类经营者。'],
    ['第三条', '第三条　本措施自发布之日起施行。'],
  ]);

  it('an article that only moved is unchanged; an edited one is changed, a deleted one removed', function () {
    const result = compareVersions({ n: 1, clauses: before, findings: [] }, { n: 2, clauses: after, findings: [] });
    expect(result.unchanged).to.equal(2);
    expect(result.changes.map((c) => [c.kind, c.before?.label ?? null, c.after?.label ?? null])).to.deep.equal([
      ['changed', '第二条', '第二条'],
      ['removed', '第三条', null],
    ]);
  });

  it('names the findings each change resolved, and those that carry on stay unresolved', function () {
    const procurement = finding('f1', 'entry-1', before[1]!);
    const rebate = finding('f2', 'cost-3', before[2]!);
    const kept = finding('f3', 'entry-2', before[1]!);
    const stillThere = { ...finding('g1', 'entry-2', after[1]!) };
    const result = compareVersions({ n: 1, clauses: before, findings: [procurement, rebate, kept] }, { n: 2, clauses: after, findings: [stillThere] });
    expect(result.changes[0]!.resolved.map((f) => f.id)).to.deep.equal(['f1']);
    expect(result.changes[0]!.findingsNow).to.equal(1);
    expect(result.changes[1]!.resolved.map((f) => f.id)).to.deep.equal(['f2']);
    expect(result.resolvedCount).to.equal(2);
    expect(result.resolvedElsewhere).to.deep.equal([]);
  });

  it('an added clause, and a finding gone from an unchanged clause, are both reported', function () {
    const extended = clauses([...before.map((c) => [c.label, c.text] as [string, string]), ['第五条', '第五条　外地企业须在本市设立分支机构。']]);
    const gone = finding('f9', 'entry-3', before[0]!);
    const result = compareVersions({ n: 1, clauses: before, findings: [gone] }, { n: 2, clauses: extended, findings: [] });
    expect(result.changes.map((c) => c.kind)).to.deep.equal(['added']);
    expect(result.changes[0]!.after!.label).to.equal('第五条');
    expect(result.resolvedElsewhere.map((f) => f.id)).to.deep.equal(['f9']);
  });

  it('compares clause text without the article number and whitespace', function () {
    expect(clauseKey({ label: '第四条', text: '第四条　本措施自发布之日起施行。' })).to.equal(clauseKey({ label: '第三条', text: '第三条 本措施自发布之日起施行。' }));
  });
});
