import { expect } from 'chai';
import { resolveSpan, segmentUnit, sliceUnits } from '../../../templates/anchoring.js';

const units = [
  { start: 0, text: '第一条 总则。' }, // 0..7
  { start: 8, text: '第二条 须在本市设立分支机构。' }, // 8..23, a gap at 7
  { start: 24, text: '第三条 优先采购本地产品。' }, // 24..37
];

describe('templates/anchoring', () => {
  describe('sliceUnits', () => {
    it('joins the units a span crosses and skips the gaps between them', () => {
      expect(sliceUnits(units, { start: 4, end: 12 })).to.equal('总则。第二条 ');
      expect(sliceUnits(units, { start: 7, end: 8 })).to.equal('');
    });
  });

  describe('resolveSpan', () => {
    it('keeps offsets that hold the quote', () => {
      expect(resolveSpan(units, { start: 13, end: 19, quote: '在本市设立分' })).to.deep.equal({ start: 13, end: 19 });
    });

    it('shrinks a span onto unit text when it starts or ends in a gap', () => {
      expect(resolveSpan(units, { start: 7, end: 23 })).to.deep.equal({ start: 8, end: 23 });
      expect(resolveSpan(units, { start: 20, end: 24 })).to.deep.equal({ start: 20, end: 23 });
    });

    it('clamps spans that run past the text and rejects those outside it', () => {
      expect(resolveSpan(units, { start: 30, end: 999 })).to.deep.equal({ start: 30, end: 37 });
      expect(resolveSpan(units, { start: 500, end: 600 })).to.equal(null);
      expect(resolveSpan(units, { start: 5, end: 5 })).to.equal(null);
      expect(resolveSpan(units, { start: Number.NaN, end: 5 })).to.equal(null);
    });

    it('re-finds a clause by its quote when the offsets drifted, choosing the occurrence nearest the old start', () => {
      const twice = [{ start: 0, text: '本地产品优先；其他；本地产品优先。' }];
      expect(resolveSpan(twice, { start: 12, end: 14, quote: '本地产品优先' })).to.deep.equal({ start: 10, end: 16 });
      expect(resolveSpan(twice, { start: 1, end: 3, quote: '本地产品优先' })).to.deep.equal({ start: 0, end: 6 });
      expect(resolveSpan(units, { start: 900, end: 910, quote: '优先采购' })).to.deep.equal({ start: 28, end: 32 });
    });

    it('falls back to the offsets when the quote is nowhere in the text', () => {
      expect(resolveSpan(units, { start: 12, end: 14, quote: '不存在的原文' })).to.deep.equal({ start: 12, end: 14 });
    });
  });

  describe('segmentUnit', () => {
    const unit = { start: 100, text: 'ABCDEFGHIJ' };

    it('returns the whole unit as one plain segment when no span touches it', () => {
      expect(segmentUnit(unit, [{ start: 0, end: 5 }, null])).to.deep.equal([
        { from: 0, to: 10, covering: [], opening: [], closing: [] },
      ]);
    });

    it('cuts at every boundary of overlapping spans and opens and closes each exactly once', () => {
      const segments = segmentUnit(unit, [
        { start: 102, end: 106 }, // CDEF
        { start: 104, end: 108 }, // EFGH
      ]);
      expect(segments.map((s) => unit.text.slice(s.from, s.to))).to.deep.equal(['AB', 'CD', 'EF', 'GH', 'IJ']);
      expect(segments.map((s) => s.covering)).to.deep.equal([[], [0], [0, 1], [1], []]);
      expect(segments.flatMap((s) => s.opening)).to.deep.equal([0, 1]);
      expect(segments.flatMap((s) => s.closing)).to.deep.equal([0, 1]);
      expect(segments[2]?.closing).to.deep.equal([0]);
    });

    it('closes nested spans innermost first', () => {
      const segments = segmentUnit(unit, [{ start: 101, end: 108 }, { start: 104, end: 108 }]);
      const last = segments.find((s) => s.to === 8);
      expect(last?.closing).to.deep.equal([1, 0]);
    });

    it('neither opens nor closes a span in a unit it only passes through', () => {
      const [segment] = segmentUnit(unit, [{ start: 50, end: 200 }]);
      expect(segment).to.deep.equal({ from: 0, to: 10, covering: [0], opening: [], closing: [] });
    });

    it('never cuts a surrogate pair: starts move back and ends move forward', () => {
      const rare = { start: 0, text: '甲𠮷乙' }; // 𠮷 is two code units at 1..3
      const segments = segmentUnit(rare, [{ start: 2, end: 4 }]);
      expect(segments.map((s) => rare.text.slice(s.from, s.to))).to.deep.equal(['甲', '𠮷乙']);
      const ends = segmentUnit(rare, [{ start: 0, end: 2 }]);
      expect(ends.map((s) => rare.text.slice(s.from, s.to))).to.deep.equal(['甲𠮷', '乙']);
    });
  });
});
