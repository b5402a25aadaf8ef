import { expect } from 'chai';
import {
  normalize,
  outline,
  parseNumeral,
  segment,
  segmentDetailed,
  splitSentences,
  toChineseNumeral,
  type OutlineNode,
  type Unit,
} from '../../../workers/analysis/segment.js';

/** Invariants every segmentation must satisfy, whatever the input. */
function assertWellFormed(text: string, units: Unit[]): void {
  let previousEnd = 0;
  for (const u of units) {
    expect(text.slice(u.start, u.end), `offsets of ${JSON.stringify(u)}`).to.equal(u.text);
    expect(u.start, 'document order, no overlap').to.be.at.least(previousEnd);
    expect(u.text, 'trimmed').to.equal(u.text.trim());
    expect(u.text).to.not.match(/[\n\r]/);
    expect(u.text.length).to.be.greaterThan(0);
    previousEnd = u.end;
  }
}

function paths(units: Unit[]): string[] {
  return units.map((u) => u.path);
}

function find(units: Unit[], fragment: string): Unit {
  const u = units.find((x) => x.text.includes(fragment));
  if (!u) throw new Error(`no unit contains ${fragment}`);
  return u;
}

const REGULATION = [
  '某市促进民营经济发展若干规定',
  '第一章　总则',
  '第一条　为了规范市场秩序，根据《中华人民共和国反垄断法》，制定本规定。',
  '第二条　本规定适用于本市行政区域。本规定所称经营者，包括各类经营主体。',
  '第二章　市场准入',
  '第一节　一般规定',
  '第三条　政策制定机关不得有下列行为：',
  '（一）限定经营、购买或者使用特定经营者提供的商品；',
  '（二）对外地企业设置歧视性收费项目：',
  '1. 对外地商品收取额外费用；',
  '2、对外地商品实行不同的技术要求。',
  '违反前款规定的，由上级机关责令改正。',
  '第二节　招标投标',
  '第十二条　招标人不得限定投标人所在地。',
  '招标人应当公开招标信息；投标人可以自主选择。',
  '第一百零五条　本规定自发布之日起施行。',
].join('\n');

describe('segment: structure and paths', () => {
  const units = segment(REGULATION);

  it('keeps offsets into the original text and document order', () => {
    assertWellFormed(REGULATION, units);
  });

  it('gives chapter / section / article / 款 / 项 / 目 paths', () => {
    expect(find(units, '为了规范市场秩序').path).to.equal('第一章 第一条');
    expect(find(units, '政策制定机关不得有下列行为').path).to.equal('第二章 第一节 第三条 第一款');
    expect(find(units, '限定经营').path).to.equal('第二章 第一节 第三条 第一款 （一）');
    expect(find(units, '设置歧视性收费项目').path).to.equal('第二章 第一节 第三条 第一款 （二）');
    expect(find(units, '收取额外费用').path).to.equal('第二章 第一节 第三条 第一款 （二） 1.');
    expect(find(units, '不同的技术要求').path).to.equal('第二章 第一节 第三条 第一款 （二） 2.');
    expect(find(units, '责令改正').path).to.equal('第二章 第一节 第三条 第二款');
    expect(find(units, '不得限定投标人所在地').path).to.equal('第二章 第二节 第十二条 第一款');
    expect(find(units, '公开招标信息').path).to.equal('第二章 第二节 第十二条 第二款');
    expect(find(units, '自发布之日起施行').path).to.equal('第二章 第二节 第一百零五条');
  });

  it('omits 第一款 when an article has a single paragraph', () => {
    expect(find(units, '本规定适用于').path).to.equal('第一章 第二条');
  });

  it('splits sentences within a paragraph and excludes the article marker from the text', () => {
    const second = units.filter((u) => u.path === '第一章 第二条').map((u) => u.text);
    expect(second).to.deep.equal(['本规定适用于本市行政区域。', '本规定所称经营者，包括各类经营主体。']);
    const twelve = units.filter((u) => u.path === '第二章 第二节 第十二条 第二款').map((u) => u.text);
    expect(twelve).to.deep.equal(['招标人应当公开招标信息；', '投标人可以自主选择。']);
  });

  it('emits chapter and section titles as heading units and a preamble as 第N段', () => {
    const chapter = units.find((u) => u.kind === 'chapter' && u.text === '总则');
    expect(chapter?.path).to.equal('第一章');
    const section = units.find((u) => u.kind === 'section' && u.text === '招标投标');
    expect(section?.path).to.equal('第二章 第二节');
    expect(units[0]).to.include({ path: '第1段', kind: 'sentence', text: '某市促进民营经济发展若干规定' });
  });

  it('marks every other unit as a sentence', () => {
    const kinds = new Set(units.map((u) => u.kind));
    expect([...kinds].sort()).to.deep.equal(['chapter', 'section', 'sentence']);
  });
});

describe('segment: headings', () => {
  it('reads Arabic, full-width and 之 article numbers, with or without a space', () => {
    const text = '第3条 甲。\n第１２条乙。\n第十二条之一　丙。\n第 二十 条 丁。';
    const units = segment(text);
    assertWellFormed(text, units);
    expect(paths(units)).to.deep.equal(['第3条', '第12条', '第十二条之一', '第二十条']);
    expect(units.map((u) => u.text)).to.deep.equal(['甲。', '乙。', '丙。', '丁。']);
  });

  it('does not take a cross-reference at the start of a line for a new article', () => {
    const text = '第五条　起草单位应当开展审查。\n第四条规定的情形除外。\n第三条所称经营者包括个体工商户。';
    const units = segment(text);
    expect(paths(units)).to.deep.equal(['第五条 第一款', '第五条 第二款', '第五条 第三款']);
  });

  it('puts the text of an article whose heading stands alone into its first paragraph', () => {
    const text = '第一条\n为了规范市场秩序，制定本办法。\n第二条\n本办法适用于全市。';
    expect(paths(segment(text))).to.deep.equal(['第一条', '第二条']);
  });

  it('handles CRLF line ends, a BOM and indentation with ideographic spaces', () => {
    const text = '\ufeff第一章 总则\r\n　　第一条　为了规范市场秩序。\r\n　　第二条　本办法适用于全市。\r\n';
    const units = segment(text);
    assertWellFormed(text, units);
    expect(paths(units)).to.deep.equal(['第一章', '第一章 第一条', '第一章 第二条']);
  });
});

describe('segment: enumerations', () => {
  it('accepts half-width and full-width parentheses and Arabic numbers in them', () => {
    const text = '第八条 有下列情形之一的，不予受理：\n(一)材料不全的；\n（二）超过期限的；\n（3）其他情形。';
    const units = segment(text);
    assertWellFormed(text, units);
    expect(paths(units)).to.deep.equal(['第八条', '第八条 （一）', '第八条 （二）', '第八条 （二） （3）']);
  });

  it('nests styles by first appearance and returns to a known style as a sibling', () => {
    const text = '第九条 要求如下：\n（一）甲；\n1.甲一；\n①甲一子；\n②甲一丑；\n2.甲二；\n（二）乙。';
    const units = segment(text);
    expect(paths(units)).to.deep.equal([
      '第九条',
      '第九条 （一）',
      '第九条 （一） 1.',
      '第九条 （一） 1. ①',
      '第九条 （一） 1. ②',
      '第九条 （一） 2.',
      '第九条 （二）',
    ]);
  });

  it('does not read a decimal amount at the start of a line as an enumeration', () => {
    const text = '第十条 补贴标准如下：\n1.5亿元以上的项目给予奖励。';
    expect(paths(segment(text))).to.deep.equal(['第十条 第一款', '第十条 第二款']);
  });

  it('splits enumerations written inline after a colon', () => {
    const text = '第十一条 有下列情形之一的，不予补贴：（一）外地企业；（二）非公有制企业。';
    const units = segment(text);
    assertWellFormed(text, units);
    expect(units.map((u) => [u.path, u.text])).to.deep.equal([
      ['第十一条', '有下列情形之一的，不予补贴：'],
      ['第十一条 （一）', '外地企业；'],
      ['第十一条 （二）', '非公有制企业。'],
    ]);
  });

  it('leaves a lone parenthesised numeral inside a sentence alone', () => {
    const text = '第十一条 依照前条第（一）项执行；具体标准另定。';
    expect(paths(segment(text))).to.deep.equal(['第十一条', '第十一条']);
  });

  it('continues numbering from inline items on the following lines', () => {
    const text = '第六条 不得有下列行为：（一）限定本地企业；（二）指定交易对象；\n（三）设置歧视性条件。';
    expect(paths(segment(text))).to.deep.equal(['第六条', '第六条 （一）', '第六条 （二）', '第六条 （三）']);
  });

  it('reads a sentence under the nearest chapter or section title, after the sentence before it in its article', () => {
    const units = segmentDetailed(REGULATION);
    const unit = (part: string) => units.find((u) => u.text.includes(part))!;
    expect(unit('本规定所称经营者').headingAbove?.text).to.equal('总则');
    expect(unit('本规定所称经营者').previous?.text).to.equal('本规定适用于本市行政区域。');
    expect(unit('招标人不得限定投标人所在地').headingAbove?.text).to.equal('招标投标');
    expect(unit('招标人不得限定投标人所在地').previous).to.equal(undefined);
  });

  it('gives each item the lead-in sentences of its ancestors', () => {
    const units = segmentDetailed(REGULATION);
    const deep = units.find((u) => u.text.includes('收取额外费用'))!;
    expect(deep.leads.map((l) => l.text)).to.deep.equal(['政策制定机关不得有下列行为：', '对外地企业设置歧视性收费项目：']);
    for (const l of deep.leads) expect(REGULATION.slice(l.start, l.end)).to.equal(l.text);
    expect(units.find((u) => u.text.includes('责令改正'))!.leads).to.deep.equal([]);
  });
});

describe('segment: documents without articles (notices)', () => {
  const notice = [
    '关于进一步优化营商环境的通知',
    '各区县人民政府，市政府各部门：',
    '一、总体要求',
    '（一）指导思想。坚持公平竞争。',
    '（二）基本原则',
    '1.各类经营主体平等参与。',
    '2、不区分所有制和注册地。',
    '二、主要措施',
    '在政府采购中，原则上选用本地企业。',
    '（一）加大扶持力度。',
  ].join('\n');
  const units = segment(notice);

  it('uses 一、 headings, （一） items and 1. sub-items as the path', () => {
    assertWellFormed(notice, units);
    expect(units.map((u) => [u.path, u.text])).to.deep.equal([
      ['第1段', '关于进一步优化营商环境的通知'],
      ['第2段', '各区县人民政府，市政府各部门：'],
      ['一、', '总体要求'],
      ['一、 （一）', '指导思想。'],
      ['一、 （一）', '坚持公平竞争。'],
      ['一、 （二）', '基本原则'],
      ['一、 （二） 1.', '各类经营主体平等参与。'],
      ['一、 （二） 2.', '不区分所有制和注册地。'],
      ['二、', '主要措施'],
      ['二、', '在政府采购中，原则上选用本地企业。'],
      ['二、 （一）', '加大扶持力度。'],
    ]);
  });

  it('gives each sentence the heading it stands under and the sentence before it in the same item', () => {
    const detailed = segmentDetailed(notice);
    const unit = (text: string) => detailed.find((u) => u.text === text)!;
    const local = unit('在政府采购中，原则上选用本地企业。');
    expect(local.headingAbove?.text).to.equal('主要措施');
    expect(local.previous?.text).to.equal('主要措施');
    // one heading object for every unit under it, so its fold is made once
    expect(unit('加大扶持力度。').headingAbove).to.equal(local.headingAbove);
    expect(unit('加大扶持力度。').previous).to.equal(undefined);
    expect(unit('坚持公平竞争。').previous?.text).to.equal('指导思想。');
    // a heading that is already the unit's lead-in is not read twice
    expect(unit('各类经营主体平等参与。').headingAbove).to.equal(undefined);
    for (const u of detailed) {
      for (const span of [u.headingAbove, u.previous]) if (span) expect(notice.slice(span.start, span.end)).to.equal(span.text);
    }
  });

  it('segments plain paragraphs without any structure as 第N段', () => {
    const text = '第一段文字。第二句。\n\n另一段；还有一句';
    const units = segment(text);
    expect(units.map((u) => [u.path, u.text])).to.deep.equal([
      ['第1段', '第一段文字。'],
      ['第1段', '第二句。'],
      ['第2段', '另一段；'],
      ['第2段', '还有一句'],
    ]);
  });
});

describe('segment: sentences', () => {
  function sentences(text: string): string[] {
    return segment(text).map((u) => u.text);
  }

  it('splits on 。；！？ and their half-width forms, keeping the terminator', () => {
    expect(sentences('甲。乙；丙！丁？戊;己!庚?辛')).to.deep.equal(['甲。', '乙；', '丙！', '丁？', '戊;', '己!', '庚?', '辛']);
  });

  it('keeps runs of terminators together', () => {
    expect(sentences('真的吗？！是的。')).to.deep.equal(['真的吗？！', '是的。']);
  });

  it('does not split inside 《》 “” （） or ASCII quotes', () => {
    expect(sentences('依照《关于甲；乙的决定》执行。他说：“不得限定。应当公开。”然后结束。')).to.deep.equal([
      '依照《关于甲；乙的决定》执行。',
      '他说：“不得限定。应当公开。”然后结束。',
    ]);
    expect(sentences('备注（见附件。另附说明）如下。又一句。')).to.deep.equal(['备注（见附件。另附说明）如下。', '又一句。']);
    expect(sentences('He said "stop. now" ok. Next.')).to.deep.equal(['He said "stop. now" ok. Next.']);
    expect(sentences('标注"甲;乙"后;再说')).to.deep.equal(['标注"甲;乙"后;', '再说']);
  });

  it('does not let an unbalanced quote swallow the rest of the paragraph', () => {
    expect(sentences('他说：“不得限定。应当公开。然后结束。')).to.deep.equal(['他说：“不得限定。', '应当公开。', '然后结束。']);
    expect(sentences('多余的右括号）。下一句。')).to.deep.equal(['多余的右括号）。', '下一句。']);
  });

  it('drops pieces that are only punctuation or whitespace', () => {
    expect(sentences('甲。。 ；\n　\n乙')).to.deep.equal(['甲。。', '乙']);
    expect(segment('')).to.deep.equal([]);
    expect(segment(' \n\t\u3000\n')).to.deep.equal([]);
  });

  it('splitSentences works on a range of a larger string', () => {
    const text = 'XX甲。乙；YY';
    expect(splitSentences(text, 2, 6)).to.deep.equal([[2, 4], [4, 6]]);
  });
});

describe('outline', () => {
  const tree = outline(REGULATION);

  function walk(nodes: OutlineNode[], visit: (n: OutlineNode, parent?: OutlineNode) => void, parent?: OutlineNode): void {
    for (const n of nodes) {
      visit(n, parent);
      walk(n.children, visit, n);
    }
  }

  it('builds the 章/节/条/款/项/目 tree', () => {
    expect(tree.map((n) => [n.kind, n.label])).to.deep.equal([
      ['block', '第1段'],
      ['chapter', '第一章'],
      ['chapter', '第二章'],
    ]);
    const chapter2 = tree[2]!;
    expect(chapter2.title?.text).to.equal('市场准入');
    expect(chapter2.children.map((n) => [n.kind, n.label, n.title?.text])).to.deep.equal([
      ['section', '第一节', '一般规定'],
      ['section', '第二节', '招标投标'],
    ]);
    const article3 = chapter2.children[0]!.children[0]!;
    expect(article3).to.include({ kind: 'article', label: '第三条', number: 3, path: '第二章 第一节 第三条' });
    expect(article3.children.map((n) => [n.kind, n.label, n.number])).to.deep.equal([
      ['paragraph', '第一款', 1],
      ['paragraph', '第二款', 2],
    ]);
    const items = article3.children[0]!.children;
    expect(items.map((n) => [n.kind, n.label, n.number])).to.deep.equal([
      ['item', '（一）', 1],
      ['item', '（二）', 2],
    ]);
    expect(items[1]!.children.map((n) => [n.kind, n.label, n.number])).to.deep.equal([
      ['subitem', '1.', 1],
      ['subitem', '2.', 2],
    ]);
    const last = chapter2.children[1]!.children[1]!;
    expect(last).to.include({ label: '第一百零五条', number: 105 });
  });

  it('has spans that contain their children and content that matches the text', () => {
    walk(tree, (n, parent) => {
      expect(n.end).to.be.greaterThan(n.start);
      if (parent) {
        expect(n.start).to.be.at.least(parent.start);
        expect(n.end).to.be.at.most(parent.end);
      }
      for (const c of n.content) expect(REGULATION.slice(c.start, c.end)).to.equal(c.text);
      if (n.title) expect(REGULATION.slice(n.title.start, n.title.end)).to.equal(n.title.text);
    });
    const article3 = tree[2]!.children[0]!.children[0]!;
    expect(REGULATION.slice(article3.start, article3.end)).to.match(/^第三条[\s\S]*责令改正。$/);
  });
});

describe('normalisation and numerals', () => {
  it('maps full-width ASCII and ideographic spaces one-for-one', () => {
    const text = '第１２条（一）ＡＢＣ，１．５　　。“引号”';
    const norm = normalize(text);
    expect(norm).to.have.length(text.length);
    expect(norm).to.equal('第12条(一)ABC,1.5  。“引号”');
    const plain = '没有全角字符';
    expect(normalize(plain)).to.equal(plain);
  });

  it('keeps every other code unit as it is, lone surrogates and astral characters included', () => {
    const text = '（\ud800）\u00a0𠀀\udc00，\uffff';
    expect(normalize(text)).to.equal('(\ud800) 𠀀\udc00,\uffff');
  });

  it('parses Chinese and Arabic numerals', () => {
    const cases: [string, number][] = [
      ['一', 1], ['十', 10], ['十二', 12], ['二十', 20], ['二十三', 23], ['一百', 100], ['一百零五', 105],
      ['一百一十', 110], ['两千零一', 2001], ['一〇五', 105], ['12', 12],
    ];
    for (const [s, n] of cases) expect(parseNumeral(s), s).to.equal(n);
    expect(Number.isNaN(parseNumeral('甲'))).to.equal(true);
  });

  it('writes Chinese numerals that parse back', () => {
    for (let n = 1; n <= 1200; n++) expect(parseNumeral(toChineseNumeral(n)), String(n)).to.equal(n);
    expect([1, 10, 11, 20, 21, 105, 110].map(toChineseNumeral)).to.deep.equal(['一', '十', '十一', '二十', '二十一', '一百零五', '一百一十']);
  });
});

describe('segment: robustness and speed', () => {
  // small deterministic PRNG so failures reproduce
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const PIECES = [
    '第一章 总则', '第十二条', '第3条 ', '（一）', '(二)', '1.', '2、', '①', '一、', '。', '；', '！', '？', '“', '”', '《', '》',
    '（', '）', '"', '\n', '\r\n', '\n\n', ' ', '　', '本地企业', '不得限定', '原则上', '外地', '第十二条规定', 'ＡＢＣ', '１．５',
    '\ufeff', '𠀀', '\u2028',
  ];

  it('keeps its invariants on random mixtures of structural fragments', () => {
    const rand = rng(20240801);
    for (let k = 0; k < 400; k++) {
      let text = '';
      const n = Math.floor(rand() * 60);
      for (let i = 0; i < n; i++) text += PIECES[Math.floor(rand() * PIECES.length)];
      const units = segment(text);
      assertWellFormed(text, units);
      walkOutline(text, outline(text));
    }
  });

  function walkOutline(text: string, nodes: OutlineNode[]): void {
    for (const n of nodes) {
      for (const c of n.content) expect(text.slice(c.start, c.end)).to.equal(c.text);
      walkOutline(text, n.children);
    }
  }

  it('segments a 20,000-character policy in well under 10 ms', () => {
    const article = (k: number): string =>
      `第${toChineseNumeral(k)}条\u3000各类经营主体依法平等参与政府采购和招标投标活动，不得限定投标人所在地（含“本地”企业）。` +
      '对符合条件的企业给予奖励；具体办法另行制定。\n（一）不得设置歧视性条件；\n（二）不得指定特定经营者。\n' +
      '违反前款规定的，由上级机关责令改正。\n';
    let text = '';
    for (let k = 1; text.length < 20_000; k++) text += (k % 10 === 1 ? `第${toChineseNumeral(k)}章\u3000规定\n` : '') + article(k);
    for (let i = 0; i < 50; i++) segment(text);
    // CPU time of this process, not wall time: on a machine whose cores are busy with other work the wall clock
    // measures the other work too (the speed itself is measured by `npm run bench -- analyze`).
    const times: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t0 = process.cpuUsage();
      segment(text);
      const spent = process.cpuUsage(t0);
      times.push((spent.user + spent.system) / 1000);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    expect(median, `median ${median.toFixed(2)} ms of CPU time`).to.be.below(10);
    assertWellFormed(text, segment(text));
  });
});
