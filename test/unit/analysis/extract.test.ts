import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PDFParse } from 'pdf-parse';
import {
  DocumentError as AppError,
  DocumentTooLargeError as PayloadTooLargeError,
  UnreadableDocumentError,
  UnsupportedDocumentError as UnsupportedMediaTypeError,
} from '../../../workers/analysis/extract/errors.js';
import { formatNumber } from '../../../workers/analysis/extract/docx.js';
import {
  claimedFormat,
  extractDocument,
  measureExtraction,
  shutdownPdfWorker,
  type ExtractedDocument,
} from '../../../workers/analysis/extract/index.js';
import { pagesToParagraphs, pdfjsAssetPaths } from '../../../workers/analysis/extract/pdf.js';
import { decodeText } from '../../../workers/analysis/extract/txt.js';
import { segment } from '../../../workers/analysis/segment.js';
import {
  gb18030,
  makeDocx,
  makeEncryptedPdf,
  makePdf,
  makeRawDocx,
  makeTextlessPdf,
  makeZipBomb,
  makeZipWithout,
  patchDeclaredSize,
  policyText,
  writePdf,
} from '../../fixtures/makeDocuments.js';

/** Resolves to the thrown error so its type, status and code can be asserted. */
async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    expect(err, String(err)).to.be.instanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a rejection');
}

function assertBlocks(doc: ExtractedDocument): void {
  let previous = -1;
  for (const b of doc.blocks) {
    expect(b.start).to.be.greaterThan(previous);
    expect(b.end).to.be.greaterThan(b.start);
    const slice = doc.text.slice(b.start, b.end);
    expect(slice).to.not.include('\n');
    expect(slice).to.equal(slice.trim());
    previous = b.end;
  }
}

function blockTexts(doc: ExtractedDocument): string[] {
  return doc.blocks.map((b) => doc.text.slice(b.start, b.end));
}

after(() => shutdownPdfWorker());

describe('extract: PDF', () => {
  const paragraphs = [
    '某市促进公平竞争若干规定',
    '第一条　为了规范市场秩序，根据《中华人民共和国反垄断法》，制定本规定。本规定适用于全市范围内的各类经营主体，包括国有企业、民营企业和外资企业。',
    '第二条　政策制定机关不得有下列行为：',
    '（一）限定经营、购买或者使用特定经营者提供的商品；',
    '（二）对外地企业设置歧视性收费项目，或者对外地企业不予补贴。',
    '第三条　本规定自2025年1月1日起施行。',
  ];

  it('keeps Chinese text in a non-embedded CJK font (STSong-Light, UniGB-UCS2-H), with pages', async () => {
    const pdf = makePdf(paragraphs, { pageNumbers: true, linesPerPage: 3 });
    const doc = await extractDocument(pdf, { filename: '规定.pdf', mimeType: 'application/pdf' });
    expect(doc.format).to.equal('pdf');
    expect(doc.pages).to.equal(3);
    assertBlocks(doc);
    const withoutSpaces = (s: string): string => s.replace(/[\s\u3000]/g, '');
    expect(blockTexts(doc).map(withoutSpaces)).to.deep.equal(paragraphs.map(withoutSpaces));
    // paragraph 2 wraps over three lines, the last of them on page 2; paragraph 5 starts page 3
    expect(doc.blocks.map((b) => b.page)).to.deep.equal([1, 1, 2, 2, 3, 3]);
    expect(doc.text).to.not.match(/- \d -/);
  });

  it('joins a paragraph that continues on the next page and keeps the page it starts on', async () => {
    const long = '第一条　' + '各类经营主体依法平等参与政府采购活动，'.repeat(6) + '不得限定投标人所在地。';
    const pdf = makePdf([long, '第二条　本规定自发布之日起施行。'], { linesPerPage: 2, pageNumbers: true });
    const doc = await extractDocument(pdf);
    expect(doc.pages).to.be.greaterThan(2);
    expect(doc.blocks).to.have.length(2);
    expect(doc.blocks[0]!.page).to.equal(1);
    expect(doc.text.split('\n')[0]).to.match(/^第一条.*不得限定投标人所在地。$/);
  });

  it('gives the segmenter the structure back', async () => {
    const doc = await extractDocument(makePdf(paragraphs));
    const units = segment(doc.text);
    const item = units.find((u) => u.text.includes('对外地企业不予补贴'));
    expect(item?.path).to.equal('第二条 （二）');
    expect(units.find((u) => u.text.includes('自2025年1月1日起施行'))?.path).to.equal('第三条');
  });

  it('needs the CMaps: without cMapUrl pdf.js silently loses the same text', async () => {
    const pdf = makePdf(['第一条　不得限定投标人所在地。']);
    const bare = new PDFParse({ data: new Uint8Array(pdf) });
    const lost = await bare.getText({ pageJoiner: '' });
    await bare.destroy();
    expect(lost.text).to.not.include('投标人');
    expect(existsSync(join(pdfjsAssetPaths().cMapUrl, 'UniGB-UCS2-H.bcmap'))).to.equal(true);
    expect((await extractDocument(pdf)).text).to.include('不得限定投标人所在地');
  });

  it('rejects an encrypted PDF with 422 pdf_encrypted', async () => {
    const err = await rejection(extractDocument(makeEncryptedPdf(), { filename: 'x.pdf' }));
    expect(err).to.be.instanceOf(UnreadableDocumentError);
    expect(err.status).to.equal(422);
    expect(err.code).to.equal('pdf_encrypted');
    expect(err.message).to.include('加密');
  });

  it('rejects an image-only PDF and says OCR is needed', async () => {
    const err = await rejection(extractDocument(makeTextlessPdf(3)));
    expect(err).to.be.instanceOf(UnreadableDocumentError);
    expect(err.code).to.equal('document_no_text');
    expect(err.message).to.equal('文档中没有可提取的文字，可能是扫描件，需先进行文字识别(OCR)。');
  });

  it('rejects a truncated PDF with a typed 422', async () => {
    const pdf = makePdf(paragraphs);
    for (const cut of [20, Math.floor(pdf.length / 3), pdf.length - 40]) {
      const err = await rejection(extractDocument(pdf.subarray(0, cut)));
      expect(err).to.be.instanceOf(UnreadableDocumentError);
      expect(['document_corrupt', 'document_no_text']).to.include(err.code);
    }
  });

  it('reads a page with text after a text-less page', async () => {
    const pdf = writePdf([null, [{ text: '第一条　本办法适用于全市。' }]]);
    const doc = await extractDocument(pdf);
    expect(doc.pages).to.equal(2);
    expect(doc.blocks.map((b) => b.page)).to.deep.equal([2]);
  });

  it('turns a time-out into a typed error and stays usable afterwards', async () => {
    const pdf = makePdf([policyText(3000)]);
    const err = await rejection(extractDocument(pdf, { timeoutMs: 1 }));
    expect(err.code).to.equal('extraction_timeout');
    expect(err.status).to.equal(422);
    const doc = await extractDocument(makePdf(paragraphs));
    expect(doc.text).to.include('对外地企业不予补贴');
  });
});

describe('extract: PDF lines to paragraphs', () => {
  it('joins full-width wrapped lines and stops at short lines, sentence ends and structural markers', () => {
    const { text, blocks } = pagesToParagraphs([
      {
        num: 1,
        text: [
          '标题',
          '第一条 为了规范市场秩序，根据有关法律',
          '法规，结合本市实际，制定本办法',
          '第二条 不得有下列行为：',
          '（一）限定经营、购买或者使用特定经营者提',
          '供的商品；',
          '1',
        ].join('\n'),
      },
      { num: 2, text: '- 2 -\n（二）指定 交易 对象。\n第 3 页 共 9 页' },
    ]);
    expect(text.split('\n')).to.deep.equal([
      '标题',
      '第一条为了规范市场秩序，根据有关法律法规，结合本市实际，制定本办法',
      '第二条不得有下列行为：',
      '（一）限定经营、购买或者使用特定经营者提供的商品；',
      '（二）指定交易对象。',
    ]);
    expect(blocks.map((b) => b.page)).to.deep.equal([1, 1, 1, 1, 2]);
  });
});

describe('extract: DOCX', () => {
  it('renders list numbering, keeps paragraphs, styles and table cells', async () => {
    const docx = await makeDocx([
      { heading: '某市招商引资优惠办法' },
      { article: '为了优化营商环境，制定本办法。' },
      { article: '政策制定机关不得有下列行为：' },
      { item: '限定本地企业参与；' },
      { item: '对外地企业不予补贴。' },
      { article: '本办法自发布之日起施行。' },
      { table: [['申报条件', '说明'], ['限本市注册企业申报', '应当提供纳税证明']] },
    ]);
    const doc = await extractDocument(docx, { filename: 'draft.docx' });
    expect(doc.format).to.equal('docx');
    assertBlocks(doc);
    expect(blockTexts(doc)).to.deep.equal([
      '某市招商引资优惠办法',
      '第一条 为了优化营商环境，制定本办法。',
      '第二条 政策制定机关不得有下列行为：',
      '（一）限定本地企业参与；',
      '（二）对外地企业不予补贴。',
      '第三条 本办法自发布之日起施行。',
      '申报条件',
      '说明',
      '限本市注册企业申报',
      '应当提供纳税证明',
    ]);
    expect(doc.blocks[0]!.style).to.equal('Heading 1');
    expect(doc.blocks.slice(6).every((b) => b.style === 'table')).to.equal(true);
    expect(doc.pages).to.equal(undefined);
    const units = segment(doc.text);
    expect(units.find((u) => u.text === '对外地企业不予补贴。')?.path).to.equal('第二条 （二）');
  });

  it('skips deleted revisions, splits at line breaks and decodes entities', async () => {
    const docx = await makeRawDocx(
      '<w:p><w:r><w:t xml:space="preserve">第一条 甲&amp;乙 &lt;丙&gt;</w:t></w:r>' +
        '<w:del w:id="1"><w:r><w:delText>已删除文字</w:delText></w:r></w:del>' +
        '<w:ins w:id="2"><w:r><w:t>新增文字。</w:t></w:r></w:ins>' +
        '<w:r><w:br/><w:t>第二行</w:t><w:tab/><w:t>制表符后</w:t><w:br/><w:t>接排文字。</w:t><w:br/><w:t>（一）新项</w:t></w:r></w:p>' +
        '<w:p/><w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr><w:r><w:t>&#x7B2C;&#20108;条</w:t></w:r></w:p>' +
        '<w:p><w:r><mc:AlternateContent><mc:Choice><w:t>正文</w:t></mc:Choice><mc:Fallback><w:t>备用副本</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>',
    );
    const doc = await extractDocument(docx);
    // a manual break after a sentence end or before a marker starts a new block; one inside a sentence does not
    expect(blockTexts(doc)).to.deep.equal(['第一条 甲&乙 <丙>新增文字。', '第二行\t制表符后接排文字。', '（一）新项', '第二条', '正文']);
  });

  it('numbers from numbering.xml with start overrides and nested levels', async () => {
    const numbering =
      '<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
      '<w:abstractNum w:abstractNumId="7">' +
      '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCountingThousand"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>' +
      '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>' +
      '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:isLgl/><w:lvlText w:val="%1.%2.%3"/></w:lvl>' +
      '</w:abstractNum>' +
      '<w:num w:numId="3"><w:abstractNumId w:val="7"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="9"/></w:lvlOverride></w:num>' +
      '</w:numbering>';
    const p = (lvl: number, text: string): string =>
      `<w:p><w:pPr><w:numPr><w:ilvl w:val="${lvl}"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>${text}</w:t></w:r></w:p>`;
    const docx = await makeRawDocx(p(0, '总体要求') + p(1, '甲') + p(2, '子') + p(1, '乙') + p(0, '主要措施') + p(1, '丙'), {
      'word/numbering.xml': numbering,
    });
    const doc = await extractDocument(docx);
    // like Word: %1 keeps its own level's format unless the level is "legal" (w:isLgl)
    expect(blockTexts(doc)).to.deep.equal(['九、总体要求', '九.1 甲', '9.1.1 子', '九.2 乙', '十、主要措施', '十.1 丙']);
  });

  it('formats Word number formats', () => {
    expect(formatNumber(12, 'chineseCounting')).to.equal('十二');
    expect(formatNumber(3, 'ideographTraditional')).to.equal('丙');
    expect(formatNumber(2, 'decimalEnclosedCircle')).to.equal('②');
    expect(formatNumber(28, 'upperLetter')).to.equal('AB');
    expect(formatNumber(14, 'lowerRoman')).to.equal('xiv');
    expect(formatNumber(4, 'something-new')).to.equal('4');
  });

  it('rejects a zip bomb by the sizes the central directory declares, before inflating', async () => {
    const bomb = await makeZipBomb(8 * 1024 * 1024);
    expect(bomb.length).to.be.below(100_000);
    const err = await rejection(extractDocument(bomb, { maxUnpackedBytes: 1024 * 1024 }));
    expect(err).to.be.instanceOf(PayloadTooLargeError);
    expect(err.status).to.equal(413);
    expect(err.code).to.equal('docx_unpacked_too_large');
    expect(err.message).to.include('解压');
    const declaredHuge = patchDeclaredSize(await makeDocx([{ paragraph: '正文。' }]), 'word/document.xml', 0xfffffff0);
    const t0 = performance.now();
    expect((await rejection(extractDocument(declaredHuge))).code).to.equal('docx_unpacked_too_large');
    expect(performance.now() - t0).to.be.below(200);
  });

  it('stops inflating an entry that expands beyond what the directory declares', async () => {
    const zeros = 'A'.repeat(4 * 1024 * 1024);
    const big = await makeRawDocx(`<w:p><w:r><w:t>${zeros}</w:t></w:r></w:p>`);
    const lying = patchDeclaredSize(big, 'word/document.xml', 1000);
    const err = await rejection(extractDocument(lying));
    expect(err.code).to.equal('docx_unpacked_too_large');
  });

  it('rejects a zip without word/document.xml as not a DOCX (415)', async () => {
    const noBody = await makeZipWithout('word/document.xml', await makeDocx([{ paragraph: '正文。' }]));
    const err = await rejection(extractDocument(noBody, { filename: 'x.docx' }));
    expect(err).to.be.instanceOf(UnsupportedMediaTypeError);
    expect(err.code).to.equal('not_a_docx');
  });

  it('rejects truncated DOCX files with 422 document_corrupt', async () => {
    const docx = await makeDocx([{ article: '为了优化营商环境，制定本办法。' }]);
    for (const cut of [10, Math.floor(docx.length / 2), docx.length - 10]) {
      const err = await rejection(extractDocument(docx.subarray(0, cut), { filename: 'x.docx' }));
      expect(err.code, `cut at ${cut}`).to.equal('document_corrupt');
      expect(err.status).to.equal(422);
    }
  });

  it('rejects a DOCX with only empty paragraphs as needing OCR', async () => {
    const err = await rejection(extractDocument(await makeRawDocx('<w:p/><w:p><w:r><w:t>  </w:t></w:r></w:p>')));
    expect(err.code).to.equal('document_no_text');
  });
});

describe('extract: plain text', () => {
  const text = '第一条　为了规范市场秩序，制定本办法。\n第二条　不得限定投标人所在地。';

  it('reads UTF-8 with and without BOM, UTF-16 with BOM and GB18030', async () => {
    const encodings: Buffer[] = [
      Buffer.from(text, 'utf8'),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      gb18030(text),
    ];
    for (const buf of encodings) {
      const doc = await extractDocument(buf, { filename: 'policy.txt' });
      expect(doc.format).to.equal('txt');
      expect(doc.text).to.equal(text);
      expect(blockTexts(doc)).to.deep.equal(text.split('\n'));
    }
    expect(decodeText(gb18030(text))?.encoding).to.equal('gb18030');
  });

  it('normalises CRLF and keeps one block per non-blank line', async () => {
    const doc = await extractDocument(Buffer.from('甲。\r\n\r\n  乙；\r丙', 'utf8'));
    expect(doc.text).to.equal('甲。\n\n  乙；\n丙');
    expect(blockTexts(doc)).to.deep.equal(['甲。', '乙；', '丙']);
  });

  it('drops a multi-byte character cut off at the end instead of misreading the file as GB18030', () => {
    const buf = Buffer.from(text, 'utf8');
    const decoded = decodeText(buf.subarray(0, buf.length - 2));
    expect(decoded?.encoding).to.equal('utf-8');
    expect(decoded?.text).to.equal(text.slice(0, -1));
  });

  it('rejects binary garbage as an unknown type and blank text as needing text', async () => {
    const garbage = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919 + 13) % 256));
    const err = await rejection(extractDocument(garbage));
    expect(err).to.be.instanceOf(UnsupportedMediaTypeError);
    expect(err.code).to.equal('unsupported_file_type');
    expect((await rejection(extractDocument(Buffer.from(' \r\n\t\n')))).code).to.equal('document_no_text');
  });
});

describe('extract: type, size and claims', () => {
  it('rejects files over the size limit (default 20 MB) with 413 before looking inside', async () => {
    const err = await rejection(extractDocument(Buffer.alloc(20 * 1024 * 1024 + 1, 0x41)));
    expect(err).to.be.instanceOf(PayloadTooLargeError);
    expect(err.code).to.equal('file_too_large');
    expect(err.message).to.include('20');
    expect((await rejection(extractDocument(Buffer.from('第一条。'), { maxBytes: 4 }))).code).to.equal('file_too_large');
  });

  it('rejects an empty file', async () => {
    const err = await rejection(extractDocument(Buffer.alloc(0), { filename: 'a.pdf' }));
    expect(err.code).to.equal('document_empty');
    expect(err.status).to.equal(422);
  });

  it('rejects content that does not match the claimed type', async () => {
    const pdf = makePdf(['第一条　正文。']);
    const docx = await makeDocx([{ paragraph: '正文。' }]);
    const cases: [Buffer, { filename?: string; mimeType?: string }, string, string][] = [
      [pdf, { filename: 'draft.docx' }, 'pdf', 'docx'],
      [docx, { filename: 'draft.pdf' }, 'docx', 'pdf'],
      [Buffer.from('第一条　正文。'), { filename: 'draft.pdf' }, 'txt', 'pdf'],
      [docx, { mimeType: 'application/pdf' }, 'docx', 'pdf'],
      [pdf, { mimeType: 'text/plain; charset=utf-8' }, 'pdf', 'txt'],
    ];
    for (const [buf, opts, detected, claimed] of cases) {
      const err = await rejection(extractDocument(buf, opts));
      expect(err).to.be.instanceOf(UnsupportedMediaTypeError);
      expect(err.code).to.equal('file_type_mismatch');
      expect(err.details).to.deep.equal({ detected, claimed });
    }
  });

  it('accepts a matching or neutral claim', async () => {
    const pdf = makePdf(['第一条　正文。']);
    expect((await extractDocument(pdf, { filename: 'A.PDF', mimeType: 'application/octet-stream' })).format).to.equal('pdf');
    expect(claimedFormat({ filename: '无扩展名' })).to.equal(undefined);
    expect(claimedFormat({ mimeType: 'application/octet-stream' })).to.equal(undefined);
  });

  it('names wrong types by their magic bytes', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100)]);
    const pngErr = await rejection(extractDocument(png));
    expect(pngErr.code).to.equal('unsupported_file_type');
    expect(pngErr.message).to.include('PNG');
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]);
    expect((await rejection(extractDocument(ole))).code).to.equal('legacy_word_format');
    const encryptedDocx = Buffer.concat([ole, Buffer.from('EncryptedPackage', 'utf16le')]);
    expect((await rejection(extractDocument(encryptedDocx))).code).to.equal('docx_encrypted');
    expect((await rejection(extractDocument(Buffer.from('第一条'), { filename: 'a.doc' }))).code).to.equal('legacy_word_format');
    const other = await rejection(extractDocument(Buffer.from('第一条'), { filename: 'a.xlsx' }));
    expect(other.code).to.equal('unsupported_file_type');
    expect(other.status).to.equal(415);
  });
});

describe('extract: timing helper', () => {
  it('measures p50/p95 of repeated extraction', async () => {
    const timing = await measureExtraction(Buffer.from(policyText(2000)), { runs: 5, warmup: 1 });
    expect(timing.format).to.equal('txt');
    expect(timing.runs).to.equal(5);
    expect(timing.chars).to.be.greaterThan(2000);
    expect(timing.p95Ms).to.be.at.least(timing.p50Ms);
  });
});
