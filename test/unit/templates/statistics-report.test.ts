import { expect } from 'chai';
import { buildStatisticsReport, type StatisticsReportData } from '../../../templates/statistics-report.js';
import { CHECKLIST_ITEMS, XML_SPECIAL } from './fixtures.js';
import { openDocx, paragraphs, tableRows, visibleXml } from './docx-reader.js';

const data: StatisticsReportData = {
  issuingBody: '某市市场监督管理局',
  scope: '全市各级政策制定机关',
  period: { from: '2025-01-01', to: '2025-03-31' },
  generatedOn: '2025-04-05',
  policies: {
    byState: [
      { key: 'self_review', count: 6 },
      { key: 'joint_review', count: 2 },
      { key: 'published', count: 11 },
      { key: 'withdrawn', count: 1 },
    ],
    byConclusion: [
      { key: 'compliant', count: 8 },
      { key: 'compliant_after_revision', count: 4 },
      { key: 'non_compliant', count: 1 },
    ],
  },
  flaggedItems: [
    { itemId: 'flow-3', title: '排斥、限制外地经营者参加本地政府采购、招标投标', findings: 9, confirmed: 5 },
    { itemId: 'cost-2', title: '选择性、差异化的财政奖励或补贴', findings: 7, confirmed: 3 },
  ],
  revisionRate: 4 / 13,
  turnaroundDays: { median: 6.5, p90: 14, reviews: 13 },
  complaints: { byState: [{ key: 'verifying', count: 3 }, { key: 'closed', count: 5 }, { key: 'custom_state', label: '其他', count: 1 }] },
  overdue: { complaints: 1, reviews: 2 },
  spotChecks: { checked: 20, withProblems: 3, problemRate: 0.15 },
};

describe('templates/statistics-report (统计报告)', () => {
  let docx: Awaited<ReturnType<typeof openDocx>>;
  let ps: string[];
  let rows: string[][];
  before(async () => {
    docx = await openDocx(await buildStatisticsReport(data));
    ps = paragraphs(docx.document);
    rows = tableRows(docx.document);
  });

  it('carries the title, the period and the scope', () => {
    expect(ps[0]).to.equal('公平竞争审查工作统计报告');
    expect(ps).to.include('（2025年1月1日至2025年3月31日）');
    expect(ps).to.include('统计范围：全市各级政策制定机关');
  });

  it('tabulates policies by state and by conclusion with Chinese labels, counts and shares', () => {
    const state = (label: string) => rows.find((r) => r[1] === label);
    expect(state('自我审查')?.slice(2)).to.deep.equal(['6', '30.0%']);
    expect(state('已出台')?.slice(2)).to.deep.equal(['11', '55.0%']);
    expect(state('经修改后符合公平竞争审查标准')?.slice(2)).to.deep.equal(['4', `${((4 / 13) * 100).toFixed(1)}%`]);
    const countTotals = rows.filter((r) => r[1] === '合计' && r.length === 4).map((r) => r.slice(2));
    expect(countTotals).to.deep.equal([['20', '100.0%'], ['13', '100.0%'], ['9', '100.0%']]);
    expect(rows.find((r) => r[1] === '合计' && r.length === 6)?.slice(3)).to.deep.equal(['16', '8', '']);
  });

  it('lists flagged items by checklist item', () => {
    expect(rows.find((r) => r[1] === 'flow-3')).to.deep.equal(['1', 'flow-3', '排斥、限制外地经营者参加本地政府采购、招标投标', '9', '5', '']);
    expect(rows.find((r) => r[1] === 'cost-2')?.slice(3)).to.deep.equal(['7', '3', '']);
  });

  it('reports revision rate, turnaround, complaints, overdue counts and the spot-check problem rate', () => {
    expect(ps).to.include('修改率：30.8%');
    expect(ps).to.include('审查用时中位数（天）：6.5');
    expect(ps).to.include('审查用时第90百分位（天）：14.0');
    expect(ps).to.include('逾期未完成审查件数：2');
    expect(ps).to.include('收到举报件数：9');
    expect(rows.find((r) => r[1] === '核查中')?.[2]).to.equal('3');
    expect(rows.find((r) => r[1] === '其他')?.[2]).to.equal('1');
    expect(ps).to.include('逾期未办结件数：1');
    expect(ps).to.include('问题发现率：15.0%');
    expect(ps.join('\n')).to.include('本期纳入统计的政策措施20件，作出审查结论13件，修改率30.8%，审查用时中位数6.5天，标注涉嫌违反审查标准的问题16处，收到举报9件，抽查政策措施20件。');
    expect(ps.slice(-2)).to.deep.equal(['某市市场监督管理局', '2025年4月5日']);
  });

  it('takes the overview as the statistics domain computes it (rates with their counts, null figures)', async () => {
    const overview = await openDocx(
      await buildStatisticsReport({
        ...data,
        revisionRate: { numerator: 4, denominator: 13, rate: 4 / 13 },
        turnaroundDays: { reviews: 0, median: null, p90: null },
        flaggedItems: [{ itemId: 'flow-3', findings: 9, confirmed: 5, dismissed: 2 }],
        spotChecks: { checked: 0, withProblems: 0, problemRate: null },
      }),
    );
    const overviewParagraphs = paragraphs(overview.document);
    expect(overviewParagraphs).to.include('修改率：30.8%（4/13）');
    expect(overviewParagraphs).to.include('审查用时中位数（天）：').and.include('问题发现率：');
    expect(tableRows(overview.document).find((r) => r[1] === 'flow-3')?.slice(3)).to.deep.equal(['9', '5', '2']);
    expect(visibleXml(overview)).not.to.match(/undefined|null|NaN/);
  });

  it('renders an empty period with blanks and zeros, never "undefined", "null" or "NaN"', async () => {
    const empty = await openDocx(
      await buildStatisticsReport({
        period: {},
        policies: { byState: [], byConclusion: [] },
        flaggedItems: [],
        complaints: { byState: [] },
        overdue: {},
      }),
    );
    expect(visibleXml(empty)).not.to.match(/undefined|null|NaN|Infinity/);
    const emptyParagraphs = paragraphs(empty.document);
    expect(emptyParagraphs).to.include('修改率：').and.include('问题发现率：').and.include('（至）');
    expect(emptyParagraphs.join('\n')).to.include('本期纳入统计的政策措施0件');
  });

  it('lists all 19 items and escapes XML-special labels', async () => {
    const flaggedItems = CHECKLIST_ITEMS.map((item, i) => ({ itemId: item.id, title: item.title, findings: i }));
    const all = await openDocx(
      await buildStatisticsReport({ ...data, scope: XML_SPECIAL, flaggedItems, complaints: { byState: [{ key: 'x', label: XML_SPECIAL, count: 1 }] } }),
    );
    const allRows = tableRows(all.document);
    for (const item of CHECKLIST_ITEMS) expect(allRows.find((r) => r[1] === item.id)?.[2]).to.equal(item.title);
    expect(allRows.find((r) => r[1] === XML_SPECIAL)?.[2]).to.equal('1');
    expect(paragraphs(all.document)).to.include(`统计范围：${XML_SPECIAL}`);
  });
});
