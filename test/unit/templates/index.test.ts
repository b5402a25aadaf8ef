import { expect } from 'chai';
import mammoth from 'mammoth';
import { REPORT_FILE_NAMES, REPORT_KINDS, buildReport, isReportKind, reportBuilders, type ReportDataByKind, type ReportKind } from '../../../templates/index.js';
import { sampleReports } from '../../../scripts/sample-data.js';
import { commentAnchors, commentBodies, openDocx, paragraphs, visibleXml } from './docx-reader.js';

const TITLES: Record<ReportKind, string> = {
  review_form: '公平竞争审查表',
  annotated_draft: '某市关于促进新能源汽车产业高质量发展的若干措施',
  joint_review_opinion: '公平竞争审查会审意见书',
  evaluation_summary: '公平竞争审查第三方评估报告（摘要）',
  complaint_reply: '关于对《某区关于加快现代物流业发展的实施意见》有关举报事项的答复',
  statistics: '公平竞争审查工作统计报告',
};

function build<K extends ReportKind>(kind: K, samples: ReportDataByKind): Promise<Buffer> {
  return buildReport(kind, samples[kind]);
}

describe('templates/index (report registry) and the demo samples', () => {
  const samples = sampleReports();

  it('registers exactly the six report kinds, each with a Chinese file name', () => {
    expect([...REPORT_KINDS].sort()).to.deep.equal(
      ['annotated_draft', 'complaint_reply', 'evaluation_summary', 'joint_review_opinion', 'review_form', 'statistics'],
    );
    for (const kind of REPORT_KINDS) {
      expect(reportBuilders[kind]).to.be.a('function');
      expect(REPORT_FILE_NAMES[kind]).to.match(/^[\u4e00-\u9fff]+$/);
    }
  });

  it('recognises report kinds and nothing else', () => {
    expect(isReportKind('review_form')).to.equal(true);
    expect(isReportKind('toString')).to.equal(false);
    expect(isReportKind('__proto__')).to.equal(false);
    expect(isReportKind(undefined)).to.equal(false);
  });

  for (const kind of Object.keys(TITLES) as ReportKind[]) {
    it(`builds the ${kind} sample as a DOCX Word and mammoth can read`, async () => {
      const buffer = await build(kind, samples);
      expect(buffer.subarray(0, 2).toString()).to.equal('PK');
      const docx = await openDocx(buffer);
      expect(paragraphs(docx.document).slice(0, 4)).to.include(TITLES[kind]);
      expect(visibleXml(docx)).not.to.match(/undefined|null|NaN/);
      const { value } = await mammoth.extractRawText({ buffer });
      expect(value).to.include(TITLES[kind]);
    });
  }

  it('anchors every comment of the demo annotated draft on the clause the analyser quoted', async () => {
    const data = samples.annotated_draft;
    const docx = await openDocx(await buildReport('annotated_draft', data));
    const anchors = commentAnchors(docx.document);
    const bodies = commentBodies(docx.comments);
    expect(anchors.size).to.equal(data.findings.length);
    for (const [id, text] of bodies) {
      const index = Number(/^问题(\d+)【/.exec(text)?.[1]) - 1;
      expect(anchors.get(id)).to.equal(data.findings[index]?.quote);
    }
  });

  it('the demo review form answers all 19 items', () => {
    expect(samples.review_form.items.map((i) => i.id)).to.have.length(19);
    expect(samples.review_form.items.every((i) => i.answer === 'yes' || i.answer === 'no')).to.equal(true);
  });
});
