import { expect } from 'chai';
import { buildEvaluationSummary, type EvaluationSummaryData } from '../../../templates/evaluation-summary.js';
import { XML_SPECIAL } from './fixtures.js';
import { openDocx, paragraphs, visibleXml } from './docx-reader.js';

const data: EvaluationSummaryData = {
  policy: { name: '某省促进民营经济发展若干措施', draftingBody: '某省发展和改革委员会' },
  commissionedBy: '某省市场监督管理局',
  evaluator: { name: '某大学竞争法研究中心', qualification: '高校科研机构，与起草单位无利害关系', contact: '周教授', phone: '010-66668888' },
  evaluationType: '出台前评估',
  scope: '《若干措施》全文共二十六条，重点评估涉及财政奖励、政府采购和准入条件的条款。',
  period: { from: '2025-03-01', to: '2025-04-15' },
  methods: ['文件审阅', '问卷调查（回收有效问卷126份）', '企业座谈会3场', '专家论证'],
  findings: [
    { title: '第十二条按地方财政贡献给予奖励', itemId: 'cost-2', detail: '奖励与企业在本地缴纳的税收挂钩，属于选择性财政奖励。' },
    { title: '第十八条政府采购本地优先', itemId: 'flow-3', detail: '同等条件下优先采购本地产品，排斥外地经营者。' },
  ],
  conclusion: { kind: 'compliant_after_revision', text: '删除或修改上述两条后，符合公平竞争审查标准。' },
  recommendations: ['第十二条改为按统一、公开的客观标准给予奖励。', '删除第十八条“本地优先”表述。'],
  annexes: ['问卷调查统计表', '座谈会纪要'],
  reportDate: '2025-04-20',
};

describe('templates/evaluation-summary (第三方评估报告摘要)', () => {
  let ps: string[];
  let docx: Awaited<ReturnType<typeof openDocx>>;
  before(async () => {
    docx = await openDocx(await buildEvaluationSummary(data));
    ps = paragraphs(docx.document);
  });

  it('carries the title and the policy evaluated', () => {
    expect(ps[0]).to.equal('公平竞争审查第三方评估报告（摘要）');
    expect(ps).to.include('——《某省促进民营经济发展若干措施》');
  });

  it('has the report sections in the guide\'s order', () => {
    const sections = ['一、评估基本情况', '二、评估范围', '三、评估方法', '四、评估发现', '五、评估结论', '六、意见建议'];
    const positions = sections.map((s) => ps.indexOf(s));
    expect(positions.every((p) => p > 0)).to.equal(true);
    expect([...positions].sort((a, b) => a - b)).to.deep.equal(positions);
  });

  it('states evaluator, scope, period, methods, findings, conclusion and recommendations', () => {
    expect(ps).to.include('评估机构：某大学竞争法研究中心');
    expect(ps).to.include('委托单位：某省市场监督管理局');
    expect(ps).to.include('联系人：周教授，010-66668888');
    expect(ps).to.include('评估期间：2025年3月1日至2025年4月15日');
    expect(ps).to.include(data.scope);
    expect(ps).to.include('（二）问卷调查（回收有效问卷126份）');
    expect(ps).to.include('（一）第十二条按地方财政贡献给予奖励［cost-2］');
    expect(ps).to.include('奖励与企业在本地缴纳的税收挂钩，属于选择性财政奖励。');
    expect(ps).to.include('经修改后符合公平竞争审查标准，可以出台');
    expect(ps).to.include('（二）删除第十八条“本地优先”表述。');
    expect(ps).to.include('附件：1. 问卷调查统计表');
    expect(ps.slice(-2)).to.deep.equal(['某大学竞争法研究中心', '2025年4月20日']);
  });

  it('says so when there are no findings, methods or recommendations', async () => {
    const empty = paragraphs((await openDocx(await buildEvaluationSummary({ ...data, findings: [], methods: [], recommendations: [] }))).document);
    expect(empty[empty.indexOf('四、评估发现') + 1]).to.equal('评估未发现违反公平竞争审查标准的问题。');
    expect(empty[empty.indexOf('三、评估方法') + 1]).to.equal('未载明评估方法。');
    expect(empty[empty.indexOf('六、意见建议') + 1]).to.equal('无。');
  });

  it('renders missing optional fields as blanks, never "undefined" or "null"', async () => {
    const bare = await openDocx(
      await buildEvaluationSummary({ policy: { name: '最简政策' }, evaluator: { name: '某机构' }, methods: [], findings: [], recommendations: [] }),
    );
    expect(visibleXml(bare)).not.to.match(/undefined|null|NaN/);
    const bareParagraphs = paragraphs(bare.document);
    expect(bareParagraphs).to.include('评估期间：').and.include('机构资质：').and.include('联系人：');
    expect(bareParagraphs[bareParagraphs.indexOf('二、评估范围') + 1]).to.equal('');
  });

  it('handles 500 findings and escapes XML-special characters', async () => {
    const findings = Array.from({ length: 500 }, (_, i) => ({ title: `问题${i + 1}${XML_SPECIAL}`, detail: '详见附件。'.repeat(40) }));
    const big = paragraphs((await openDocx(await buildEvaluationSummary({ ...data, findings }))).document);
    expect(big).to.include(`（五百）问题500${XML_SPECIAL}`);
    expect(big.filter((p) => p.startsWith('（') && p.includes(XML_SPECIAL))).to.have.length(500);
  });
});
