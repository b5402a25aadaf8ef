import { expect } from 'chai';
import { buildJointReviewOpinion, type JointReviewOpinionData } from '../../../templates/joint-review-opinion.js';
import { XML_SPECIAL } from './fixtures.js';
import { openDocx, paragraphs, tableRows, visibleXml } from './docx-reader.js';

const data: JointReviewOpinionData = {
  documentNumber: '某市监竞审〔2025〕3号',
  policy: { name: '某市支持数字经济高质量发展若干政策', draftingBody: '某市发展和改革委员会', submittedOn: '2025-04-02' },
  regulator: '某市市场监督管理局',
  meeting: { date: '2025-04-18', place: '市市场监管局三楼会议室', form: '会议审查' },
  members: [
    { name: '陈立', unit: '市市场监管局', role: '副局长', vote: 'approve', comment: '同意。', signedAt: '2025-04-18' },
    { name: '刘芳', unit: '市司法局', role: '处长', vote: 'approve_with_changes', comment: '第八条“本地注册”表述应删除。', signedAt: '2025-04-18' },
    { name: '赵强', unit: '市财政局', vote: 'reject', comment: '第十条奖励标准与地方财政贡献挂钩。' },
    { name: '孙悦', unit: '市商务局' },
  ],
  quorum: { required: 3 },
  result: 'approved_with_changes',
  conclusion: {
    kind: 'compliant_after_revision',
    text: '该政策措施按会审意见修改后符合公平竞争审查标准。',
    requiredChanges: ['删除第八条“在本市注册”的限定条件。', '第十条奖励标准不得与地方财政贡献挂钩。'],
  },
  issuedOn: '2025-04-20',
};

describe('templates/joint-review-opinion (会审意见书)', () => {
  let docx: Awaited<ReturnType<typeof openDocx>>;
  let ps: string[];
  before(async () => {
    docx = await openDocx(await buildJointReviewOpinion(data));
    ps = paragraphs(docx.document);
  });

  it('carries the title, reference number, addressee and the policy', () => {
    expect(ps[0]).to.equal('公平竞争审查会审意见书');
    expect(ps).to.include('某市监竞审〔2025〕3号');
    expect(ps).to.include('某市发展和改革委员会：');
    expect(ps).to.include('政策措施名称：某市支持数字经济高质量发展若干政策');
    expect(ps.join('\n')).to.include('2025年4月2日报送的《某市支持数字经济高质量发展若干政策》收悉');
  });

  it('lists every member with the vote in Chinese and the comment', () => {
    const rows = tableRows(docx.document).slice(1);
    expect(rows.map((r) => [r[1], r[3], r[4]])).to.deep.equal([
      ['陈立', '同意', '同意。'],
      ['刘芳', '修改后同意', '第八条“本地注册”表述应删除。'],
      ['赵强', '不同意', '第十条奖励标准与地方财政贡献挂钩。'],
      ['孙悦', '', ''],
    ]);
    expect(rows[1]?.[2]).to.equal('市司法局 处长');
    expect(rows[0]?.[5]).to.equal('2025年4月18日');
    expect(ps).to.include('同意1名，修改后同意1名，不同意1名，尚未签署1名。');
  });

  it('states the quorum, the result and the regulator\'s conclusion with the required changes', () => {
    expect(ps).to.include('会审成员4名，规定人数3名，已签署意见3名，达到规定人数。');
    const result = ps.indexOf('三、会审结果');
    expect(ps[result + 1]).to.equal('修改后通过');
    expect(ps).to.include('经修改后符合公平竞争审查标准，可以出台');
    expect(ps).to.include('（一）删除第八条“在本市注册”的限定条件。');
    expect(ps).to.include('（二）第十条奖励标准不得与地方财政贡献挂钩。');
    expect(ps.slice(-2)).to.deep.equal(['某市市场监督管理局', '2025年4月20日']);
  });

  it('says when the quorum is not met', async () => {
    const short = await openDocx(await buildJointReviewOpinion({ ...data, quorum: { required: 4 } }));
    expect(paragraphs(short.document)).to.include('会审成员4名，规定人数4名，已签署意见3名，未达到规定人数。');
  });

  it('renders missing optional fields as blanks, never "undefined" or "null"', async () => {
    const bare = await openDocx(
      await buildJointReviewOpinion({ policy: { name: '最简政策' }, regulator: '某局', members: [{ name: '甲' }], quorum: { required: 1 } }),
    );
    expect(visibleXml(bare)).not.to.match(/undefined|null|NaN/);
    const bareParagraphs = paragraphs(bare.document);
    expect(bareParagraphs).to.include('会审地点：').and.include('起草单位：');
    expect(bareParagraphs[bareParagraphs.indexOf('三、会审结果') + 1]).to.equal('');
    expect(bareParagraphs.at(-1)).to.equal('        年    月    日');
  });

  it('escapes XML-special characters in names and comments', async () => {
    const special = await openDocx(
      await buildJointReviewOpinion({ ...data, policy: { name: XML_SPECIAL }, members: [{ name: XML_SPECIAL, vote: 'reject', comment: XML_SPECIAL }] }),
    );
    expect(paragraphs(special.document)).to.include(`政策措施名称：${XML_SPECIAL}`);
    expect(tableRows(special.document)[1]?.[4]).to.equal(XML_SPECIAL);
  });

  it('handles 500 members', async () => {
    const members = Array.from({ length: 500 }, (_, i) => ({ name: `成员${i + 1}`, vote: 'approve' as const, comment: '同意'.repeat(50) }));
    const big = await openDocx(await buildJointReviewOpinion({ ...data, members, quorum: { required: 251 } }));
    expect(tableRows(big.document)).to.have.length(501);
    expect(paragraphs(big.document)).to.include('同意500名，修改后同意0名，不同意0名。');
  });
});
