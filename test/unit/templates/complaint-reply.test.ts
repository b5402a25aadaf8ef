import { expect } from 'chai';
import { buildComplaintReply, type ComplaintReplyData } from '../../../templates/complaint-reply.js';
import { XML_SPECIAL } from './fixtures.js';
import { openDocx, paragraphs, visibleXml } from './docx-reader.js';

const data: ComplaintReplyData = {
  referenceNumber: '某市监竞函〔2025〕12号',
  complaintRefNo: 'JB-2025-000317',
  addressee: '某物流有限公司',
  receivedOn: '2025-02-10',
  reported: {
    policyName: '某区关于加快现代物流业发展的实施意见',
    summary: '该文件第九条规定区内重点物流项目须由在本区注册的企业承接，排斥外地物流企业。',
  },
  findings: '该文件第九条确有“须由在本区注册的企业承接”的表述，起草单位未能说明法律依据。',
  outcome: { kind: 'violation_confirmed', text: '起草单位已于2025年3月20日删除该表述并重新公布。' },
  contact: { person: '钱科长', phone: '0571-87654321', address: '某市某区人民路1号' },
  issuingBody: '某市市场监督管理局',
  issuedOn: '2025-03-25',
};

describe('templates/complaint-reply (举报答复函)', () => {
  let ps: string[];
  let docx: Awaited<ReturnType<typeof openDocx>>;
  before(async () => {
    docx = await openDocx(await buildComplaintReply(data));
    ps = paragraphs(docx.document);
  });

  it('carries the reference number, a title naming the policy, and the addressee', () => {
    expect(ps[0]).to.equal('某市监竞函〔2025〕12号');
    expect(ps).to.include('关于对《某区关于加快现代物流业发展的实施意见》有关举报事项的答复');
    expect(ps).to.include('某物流有限公司：');
  });

  it('says what was reported, what was found and the outcome', () => {
    const text = ps.join('\n');
    expect(text).to.include('你于2025年2月10日提交的（举报编号：JB-2025-000317）关于《某区关于加快现代物流业发展的实施意见》');
    expect(ps).to.include(`你反映：${data.reported.summary}`);
    expect(ps).to.include(`经核查，${data.findings}`);
    expect(text).to.include('存在违反公平竞争审查标准的问题').and.include('督促起草单位予以整改');
    expect(ps).to.include('起草单位已于2025年3月20日删除该表述并重新公布。');
    expect(ps).to.include('特此函复。');
  });

  it('closes with the issuing body, the date and the contact note', () => {
    const signature = ps.indexOf('某市市场监督管理局');
    expect(ps[signature + 1]).to.equal('2025年3月25日');
    expect(ps.at(-1)).to.equal('（联系人：钱科长；联系电话：0571-87654321；通信地址：某市某区人民路1号）');
  });

  it('words each outcome', async () => {
    const outcomes = [
      [{ kind: 'no_violation' }, '未发现该政策措施违反公平竞争审查标准'],
      [{ kind: 'not_accepted' }, '你反映的事项不予受理'],
      [{ kind: 'transferred', transferredTo: '某省市场监督管理局' }, '已移送某省市场监督管理局处理'],
    ] as const;
    for (const [outcome, phrase] of outcomes) {
      const text = paragraphs((await openDocx(await buildComplaintReply({ ...data, outcome }))).document).join('\n');
      expect(text, outcome.kind).to.include(phrase);
      expect(text).not.to.include('督促起草单位予以整改');
    }
  });

  it('renders missing optional fields as blanks, never "undefined" or "null"', async () => {
    const bare = await openDocx(
      await buildComplaintReply({ referenceNumber: '函〔2025〕1号', reported: {}, outcome: { kind: 'no_violation' }, issuingBody: '某局' }),
    );
    expect(visibleXml(bare)).not.to.match(/undefined|null|NaN/);
    const bareParagraphs = paragraphs(bare.document);
    expect(bareParagraphs).to.include('关于有关举报事项的答复').and.include('举报人：');
    expect(bareParagraphs.at(-1)).to.equal('（联系人：；联系电话：）');
  });

  it('escapes XML-special characters and keeps long findings whole', async () => {
    const long = `核查情况${XML_SPECIAL}`.repeat(2000);
    const special = paragraphs((await openDocx(await buildComplaintReply({ ...data, addressee: XML_SPECIAL, findings: long }))).document);
    expect(special).to.include(`${XML_SPECIAL}：`);
    expect(special).to.include(`经核查，${long}`);
  });
});
