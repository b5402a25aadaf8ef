import { expect } from 'chai';
import mammoth from 'mammoth';
import { buildReviewForm, type ReviewFormItem, type ReviewFormData } from '../../../templates/review-form.js';
import { CHECKLIST_ITEMS, XML_SPECIAL } from './fixtures.js';
import { openDocx, paragraphs, tableRows, textOf, visibleXml } from './docx-reader.js';

function answers(overrides: Partial<Record<string, Partial<ReviewFormItem>>> = {}): ReviewFormItem[] {
  return CHECKLIST_ITEMS.map((item, i) => ({ ...item, answer: i % 2 === 0 ? 'no' : 'yes', ...overrides[item.id] }));
}

function fullForm(): ReviewFormData {
  return {
    filledOn: '2025-05-20',
    policy: { name: '某市促进新能源汽车产业发展若干措施', industries: ['汽车制造', '充电设施'], kind: 'normative_document' },
    draftingBody: { name: '某市工业和信息化局', contact: '王晓明', phone: '0571-88886666' },
    reviewingBody: { name: '某市市场监督管理局', contact: '李娜', phone: '0571-88887777' },
    consultation: {
      stakeholders: true,
      public: true,
      method: '座谈会、政府网站公开征求意见',
      timing: '2025年4月1日至4月30日',
      recipients: '整车企业12家、充电运营企业8家、行业协会2家',
      feedback: '收到意见23条',
      adoption: '采纳15条，部分采纳5条，未采纳3条并说明理由',
    },
    expertAndThirdParty: '委托某大学法学院开展第三方评估',
    conclusion: { kind: 'compliant_after_revision', text: '删除第五条“本地企业优先”表述后符合审查标准。' },
    exception: {
      applies: true,
      restrictiveEffect: '对充电设施建设主体数量有一定限制',
      situation: '节约能源、保护环境等社会公共利益',
      leastRestrictive: '已比较三种方案，本方案影响范围最小',
      periodReasonable: '与电网改造周期一致',
      other: '无',
      periodOrTermination: '自2025年7月1日起实施，有效期三年',
    },
    otherNotes: '无其他需要说明的情况。',
    headOpinion: { opinion: '同意审查结论。', signer: '张建国', date: '2025-05-21' },
    items: answers({
      'flow-3': {
        answer: 'yes',
        notes: '已修改',
        findings: [{ id: 'F-7', path: '第五条 第二款', text: '同等条件下优先采购本地企业生产的新能源汽车', status: 'confirmed' }],
      },
    }),
  };
}

describe('templates/review-form (公平竞争审查表)', () => {
  let docx: Awaited<ReturnType<typeof openDocx>>;
  let rows: string[][];
  before(async () => {
    docx = await openDocx(await buildReviewForm(fullForm()));
    rows = tableRows(docx.document);
  });

  it('opens with the form title', () => {
    expect(paragraphs(docx.document)[0]).to.equal('公平竞争审查表');
  });

  it('fills every field of the form in its labelled row', () => {
    const field = (label: string) => rows.find((r) => r[0] === label)?.[1] ?? '';
    expect(field('政策措施名称')).to.equal('某市促进新能源汽车产业发展若干措施');
    expect(field('涉及行业领域')).to.equal('汽车制造、充电设施');
    expect(field('性质')).to.include('☑规范性文件').and.include('□规章');
    expect(field('起草机构')).to.include('某市工业和信息化局').and.include('王晓明').and.include('0571-88886666');
    expect(field('审查机构')).to.include('某市市场监督管理局').and.include('李娜');
    expect(field('征求意见情况')).to.include('☑征求利害关系人意见').and.include('☑向社会公开征求意见');
    expect(field('征求意见情况')).to.include('座谈会').and.include('收到意见23条').and.include('采纳15条');
    expect(field('咨询及第三方评估情况')).to.equal('委托某大学法学院开展第三方评估');
    expect(field('审查结论')).to.include('☑经修改后符合公平竞争审查标准，可以出台').and.include('删除第五条');
    expect(field('其他需要说明的情况')).to.equal('无其他需要说明的情况。');
    expect(field('审查机构主要负责人意见')).to.include('同意审查结论。').and.include('张建国').and.include('2025年5月21日');
  });

  it('states the five explanations of 办法29 and the period when an exception applies', () => {
    const exception = rows.find((r) => r[0] === '适用例外规定')?.[1] ?? '';
    expect(exception).to.include('☑是').and.include('□否');
    for (const label of ['对公平竞争的影响', '适用的例外情形', '对公平竞争损害最小的理由', '实施期限或者终止条件合理的理由', '其他需要说明的情况']) {
      expect(exception).to.include(label);
    }
    expect(exception).to.include('节约能源、保护环境等社会公共利益').and.include('有效期三年');
  });

  it('lists all 19 checklist items with the answer, findings and notes in each item\'s own row', () => {
    const grid = rows.filter((r) => r.length === 6 && r[0] !== '序号');
    expect(grid).to.have.length(19);
    expect(grid.map((r) => r[1])).to.deep.equal(['entry-1', 'entry-2', 'entry-3', 'entry-4', 'entry-5', 'flow-1', 'flow-2', 'flow-3', 'flow-4', 'flow-5', 'flow-6', 'cost-1', 'cost-2', 'cost-3', 'cost-4', 'behavior-1', 'behavior-2', 'behavior-3', 'behavior-4']);
    expect(grid.map((r) => r[2])).to.deep.equal(CHECKLIST_ITEMS.map((i) => i.title));
    const expected = fullForm().items.map((i) => (i.answer === 'yes' ? '是' : '否'));
    expect(grid.map((r) => r[3])).to.deep.equal(expected);
    const flow3 = grid.find((r) => r[1] === 'flow-3');
    expect(flow3?.[4]).to.equal('F-7 第五条 第二款：“同等条件下优先采购本地企业生产的新能源汽车”（已确认）');
    expect(flow3?.[5]).to.equal('已修改');
    expect(grid.filter((r) => r[4] !== '')).to.have.length(1);
  });

  it('shows the legal basis a cost item relies on next to its notes', async () => {
    const data = { ...fullForm(), items: answers({ 'cost-1': { answer: 'yes', notes: '国家统一政策', legalBasis: '《中华人民共和国企业所得税法》第二十八条' } }) };
    const row = tableRows((await openDocx(await buildReviewForm(data))).document).find((r) => r[1] === 'cost-1');
    expect(row?.[5]).to.equal('国家统一政策\n依据：《中华人民共和国企业所得税法》第二十八条');
  });

  it('keeps the Chinese text intact for other readers (mammoth)', async () => {
    const { value } = await mammoth.extractRawText({ buffer: await buildReviewForm(fullForm()) });
    expect(value).to.include('某市促进新能源汽车产业发展若干措施');
    for (const item of CHECKLIST_ITEMS) expect(value).to.include(item.title);
  });

  it('marks only 否 and leaves out the explanations when no exception applies', async () => {
    const data = { ...fullForm(), exception: { applies: false } };
    const exception = tableRows((await openDocx(await buildReviewForm(data))).document).find((r) => r[0] === '适用例外规定')?.[1];
    expect(exception).to.equal('□是    ☑否');
  });

  it('renders missing optional fields as blanks, never "undefined" or "null"', async () => {
    const minimal: ReviewFormData = {
      policy: { name: '最简政策' },
      draftingBody: { name: '某局' },
      items: CHECKLIST_ITEMS.map((i) => ({ ...i })),
    };
    const opened = await openDocx(await buildReviewForm(minimal));
    expect(visibleXml(opened)).not.to.match(/undefined|null|NaN/);
    const minimalRows = tableRows(opened.document);
    expect(minimalRows.find((r) => r[0] === '涉及行业领域')?.[1]).to.equal('');
    expect(minimalRows.find((r) => r[0] === '审查机构')?.[1]).to.equal('名称：\n联系人：\n联系电话：');
    expect(minimalRows.find((r) => r[0] === '适用例外规定')?.[1]).to.equal('□是    □否');
    const grid = minimalRows.filter((r) => r.length === 6 && r[0] !== '序号');
    expect(grid).to.have.length(19);
    expect(grid.every((r) => r[3] === '' && r[4] === '' && r[5] === '')).to.equal(true);
    expect(paragraphs(opened.document)).to.include('共19项：答“是”0项，答“否”0项，未作答19项。');
  });

  it('escapes XML-special characters and gets them back unchanged', async () => {
    const data = { ...fullForm(), policy: { name: XML_SPECIAL }, otherNotes: `备注${XML_SPECIAL}` };
    const opened = await openDocx(await buildReviewForm(data));
    expect(opened.document).to.include('A&amp;B &lt;C&gt;');
    expect(opened.document).not.to.include('<C>');
    const row = tableRows(opened.document).find((r) => r[0] === '政策措施名称');
    expect(row?.[1]).to.equal(XML_SPECIAL);
    expect(textOf(opened.document)).to.include(`备注${XML_SPECIAL}`);
  });

  it('handles 500 linked findings and very long notes', async () => {
    const findings = Array.from({ length: 500 }, (_, i) => ({ id: `F-${i + 1}`, path: `第${i + 1}条`, text: `第${i + 1}处条款原文`.repeat(20), status: 'pending' as const }));
    const longNote = '说明'.repeat(5000);
    const data = { ...fullForm(), items: answers({ 'cost-2': { findings, notes: longNote } }) };
    const opened = await openDocx(await buildReviewForm(data));
    const row = tableRows(opened.document).find((r) => r[1] === 'cost-2');
    const lines = row?.[4]?.split('\n') ?? [];
    expect(lines).to.have.length(500);
    expect(lines[499]).to.match(/^F-500 第500条：“第500处条款原文.*……”（待审查）$/);
    expect(row?.[5]).to.equal(longNote);
  });
});
