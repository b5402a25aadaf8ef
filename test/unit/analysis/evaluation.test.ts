import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadAnalyzer } from '../../../workers/analysis/analyze.js';
import { evaluateClauses, readLabelledClauses } from '../../../workers/analysis/evaluation.js';

const OWN_SET = fileURLToPath(new URL('../../fixtures/clauses.jsonl', import.meta.url));
const SHARED_DEV_SET = fileURLToPath(new URL('../../../../shared/eval/dev-clauses.jsonl', import.meta.url));

/** Targets of issue 3 on the development set. */
const TARGETS = { recall: 0.95, falsePositiveRate: 0.05, itemAccuracy: 0.85 };

describe('analyser accuracy regression', function () {
  this.timeout(60_000);
  const analyzer = loadAnalyzer();

  // The shared development set lives outside the repository; where it is absent the own set carries the check.
  const sets = [{ name: 'own fixtures', path: OWN_SET }];
  if (existsSync(SHARED_DEV_SET)) sets.push({ name: 'shared dev set', path: SHARED_DEV_SET });

  for (const set of sets) {
    it(`meets the targets on the ${set.name} (recall ≥ 0.95, false-positive rate ≤ 0.05, item accuracy ≥ 0.85)`, () => {
      const report = evaluateClauses(analyzer, readLabelledClauses(set.path));
      const summary = `recall ${report.recall.toFixed(3)}, FPR ${report.falsePositiveRate.toFixed(3)}, item accuracy ${report.itemAccuracy.toFixed(3)}; errors: ${report.errors.map((e) => e.id).join(', ')}`;
      expect(report.violations, 'violating clauses in the set').to.be.greaterThan(20);
      expect(report.compliant, 'compliant clauses in the set').to.be.greaterThan(20);
      expect(report.recall, summary).to.be.at.least(TARGETS.recall);
      expect(report.falsePositiveRate, summary).to.be.at.most(TARGETS.falsePositiveRate);
      expect(report.itemAccuracy, summary).to.be.at.least(TARGETS.itemAccuracy);
    });
  }

  it('computes the metrics from the analyser answers', () => {
    const clauses = [
      { id: '1', text: '对宏达物流有限公司给予一次性奖励300万元。', label: 'violation' as const, item: 'cost-2' as const },
      { id: '2', text: '对宏达物流有限公司给予一次性奖励300万元。', label: 'violation' as const, item: 'cost-3' as const },
      { id: '3', text: '本措施自发布之日起施行。', label: 'violation' as const, item: 'entry-1' as const },
      { id: '4', text: '本措施由市发展改革委负责解释。', label: 'compliant' as const, item: null },
    ];
    const report = evaluateClauses(analyzer, clauses);
    expect(report).to.include({ violations: 3, compliant: 1, truePositives: 2, falsePositives: 0, itemCorrect: 1 });
    expect(report.recall).to.be.closeTo(2 / 3, 1e-9);
    expect(report.itemAccuracy).to.be.closeTo(1 / 3, 1e-9);
    expect(report.errors.map((e) => e.kind)).to.deep.equal(['wrong-item', 'missed']);
  });
});
