import { expect } from 'chai';
import {
  body,
  chineseNumber,
  cleanText,
  excerpt,
  formatDate,
  formatPercent,
  heading,
  mm,
  packDocument,
  show,
  title,
} from '../../../templates/style.js';
import { openDocx, paragraphs } from './docx-reader.js';

describe('templates/style', () => {
  describe('text helpers', () => {
    it('shows missing values as blank, never "undefined" or "null"', () => {
      expect(show(undefined)).to.equal('');
      expect(show(null)).to.equal('');
      expect(show(0)).to.equal('0');
      expect(show('审查')).to.equal('审查');
    });

    it('formats dates the GB/T 9704 way, reading instants in Beijing time', () => {
      expect(formatDate('2025-03-09')).to.equal('2025年3月9日');
      expect(formatDate('2025-03-01T20:00:00Z')).to.equal('2025年3月2日');
      expect(formatDate(new Date(Date.UTC(2024, 11, 31, 15, 59)))).to.equal('2024年12月31日');
      expect(formatDate(undefined)).to.equal('');
      expect(formatDate('下月初')).to.equal('下月初');
    });

    it('replaces characters XML cannot carry one for one, keeping surrogate pairs, tabs and newlines', () => {
      const dirty = `a\u0000b\u0008c\u000Bd\u001Fe\tf\ng\uD842\uDFB7h\uD800i\uDC00j`;
      const clean = cleanText(dirty);
      expect(clean).to.have.length(dirty.length);
      expect(clean).to.equal('a b c d e\tf\ng\uD842\uDFB7h i j');
    });

    it('cuts excerpts on whole characters', () => {
      expect(excerpt('𠮷野家的牛肉饭', 1)).to.equal('𠮷……');
      expect(excerpt('短文本', 10)).to.equal('短文本');
      expect(excerpt(undefined, 10)).to.equal('');
    });

    it('writes Chinese numerals for enumerations', () => {
      const cases: [number, string][] = [[1, '一'], [10, '十'], [12, '十二'], [20, '二十'], [21, '二十一'], [100, '一百'], [105, '一百零五'], [119, '一百一十九'], [500, '五百']];
      for (const [n, text] of cases) expect(chineseNumber(n), String(n)).to.equal(text);
    });

    it('formats rates as percentages and leaves unknown rates blank', () => {
      expect(formatPercent(0.1234)).to.equal('12.3%');
      expect(formatPercent(undefined)).to.equal('');
      expect(formatPercent(Number.NaN)).to.equal('');
    });
  });

  describe('packDocument', () => {
    let docx: Awaited<ReturnType<typeof openDocx>>;
    before(async () => {
      docx = await openDocx(await packDocument({ title: '样式测试', children: [...title('标题'), heading('一、标题'), ...body('正文')] }));
    });

    it('lays out A4 with the GB/T 9704 margins', () => {
      expect(docx.document).to.include('<w:pgSz w:w="11906" w:h="16838"');
      const margins = /<w:pgMar ([^>]*)\/>/.exec(docx.document)?.[1] ?? '';
      expect(margins).to.include(`w:top="${mm(37)}"`).and.include(`w:bottom="${mm(35)}"`);
      expect(margins).to.include(`w:left="${mm(28)}"`).and.include(`w:right="${mm(26)}"`);
      expect(mm(37)).to.be.closeTo(2098, 1);
    });

    it('sets the body default to 仿宋_GB2312 3号 for East Asian text and the title in 小标宋 2号', () => {
      expect(docx.styles).to.match(/<w:rFonts [^>]*w:eastAsia="仿宋_GB2312"/);
      expect(docx.styles).to.include('<w:sz w:val="32"/>');
      expect(docx.document).to.match(/<w:rFonts [^>]*w:eastAsia="方正小标宋简体"[^>]*\/><w:sz w:val="44"\/>/);
      // Headings inherit 3号 from the document default and only change the face.
      expect(docx.document).to.match(/<w:rFonts [^>]*w:eastAsia="黑体"[^>]*\/><\/w:rPr><w:t xml:space="preserve">一、标题</);
      expect(docx.styles).to.match(/<w:docDefaults>[\s\S]*<w:sz w:val="32"\/>[\s\S]*<\/w:docDefaults>/);
    });

    it('declares each Chinese face with its fallback in the font table', () => {
      expect(docx.fontTable).to.match(/<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"\/>/);
      expect(docx.fontTable).to.match(/<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"\/>/);
      expect(docx.fontTable).to.include('<w:charset w:val="86"/>');
    });

    it('numbers pages "— 1 —" at the outer edge, odd pages right and even pages left', () => {
      expect(docx.settings).to.include('<w:evenAndOddHeaders/>');
      expect(docx.footers).to.have.length(2);
      for (const footer of docx.footers) {
        expect(footer).to.include('PAGE');
        expect(paragraphs(footer).join('')).to.equal('—  —');
      }
      expect(docx.footers.some((f) => f.includes('<w:jc w:val="right"/>'))).to.equal(true);
      expect(docx.footers.some((f) => f.includes('<w:jc w:val="left"/>'))).to.equal(true);
    });
  });
});
