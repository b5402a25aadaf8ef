import { expect } from 'chai';
import { loadAnalyzer } from '../../../workers/analysis/analyze.js';
import { AhoCorasick } from '../../../workers/analysis/match/ahoCorasick.js';
import { isNationalCitation } from '../../../workers/analysis/match/cues.js';
import { fitCalibration, sigmoid } from '../../../workers/analysis/match/score.js';

function naiveOccurrences(text: string, patterns: string[]): string[] {
  const out: string[] = [];
  patterns.forEach((p, id) => {
    for (let i = text.indexOf(p); i >= 0; i = text.indexOf(p, i + 1)) out.push(`${id}@${i}`);
  });
  return out.sort();
}

describe('Aho–Corasick automaton', () => {
  it('finds every occurrence of every pattern, overlaps included, like a naive search', () => {
    const patterns = ['本地', '本地企业', '地企', '企业', '不得', '不得低于', '低于', '业', '外地企业'];
    const text = '不得低于本地企业的标准，外地企业与本地企业不得区别对待，企业业绩';
    const found: string[] = [];
    new AhoCorasick(patterns).scan(text, (id, start, end) => {
      expect(text.slice(start, end)).to.equal(patterns[id]);
      found.push(`${id}@${start}`);
    });
    expect(found.sort()).to.deep.equal(naiveOccurrences(text, patterns));
  });

  it('agrees with a naive search on random strings over a small alphabet', () => {
    const alphabet = '本地外企业不得限定';
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const word = (len: number) => Array.from({ length: len }, () => alphabet[random(alphabet.length)]).join('');
    for (let round = 0; round < 50; round++) {
      const patterns = [...new Set(Array.from({ length: 12 }, () => word(1 + random(4))))];
      const text = word(200);
      const found: string[] = [];
      new AhoCorasick(patterns).scan(text, (id, start) => found.push(`${id}@${start}`));
      expect(found.sort()).to.deep.equal(naiveOccurrences(text, patterns));
    }
  });

  it('agrees with a naive search with hundreds of patterns over a wide alphabet (a large transition table)', () => {
    const alphabet = '本地外企业不得限定市县区省指定采购补贴奖励优先注册分支机构招标投标供应商同等条件下';
    let seed = 11;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const word = (len: number) => Array.from({ length: len }, () => alphabet[random(alphabet.length)]).join('');
    const patterns = [...new Set(Array.from({ length: 600 }, () => word(1 + random(5))))];
    const automaton = new AhoCorasick(patterns);
    for (let round = 0; round < 5; round++) {
      const text = word(2000);
      const found: string[] = [];
      automaton.scan(text, (id, start) => found.push(`${id}@${start}`));
      expect(found.sort()).to.deep.equal(naiveOccurrences(text, patterns));
    }
  });

  it('scans only the requested range', () => {
    const found: number[] = [];
    new AhoCorasick(['本市']).scan('本市本市本市', (_id, start) => found.push(start), 2, 4);
    expect(found).to.deep.equal([2]);
  });
});

describe('clause matcher', () => {
  const analyzer = loadAnalyzer();
  const items = (text: string) => analyzer.analyzeClause(text).items;

  describe('prohibition and negation scope', () => {
    it('reads a prohibition of the restriction as compliant', () => {
      expect(items('招标人不得限定投标人所在地区和所有制形式。')).to.deep.equal([]);
      expect(items('各部门不得要求外地企业在本地设立分支机构。')).to.deep.equal([]);
      expect(items('任何单位不得以企业在本地纳税为条件给予奖励。')).to.deep.equal([]);
    });

    it('flags the same restriction when it is imposed', () => {
      expect(items('投标人须为本市注册企业，外地企业不得参加投标。')[0]).to.equal('flow-3');
      expect(items('外地企业须在本地设立分支机构方可承接业务。')[0]).to.equal('flow-2');
    });

    it('does not let 不予 clear discrimination against non-local parties', () => {
      expect(items('对外地企业不予补贴。')[0]).to.equal('flow-4');
      expect(items('外地生产的同类产品不予奖励。')).to.include('flow-4');
    });

    it('treats 不得/禁止 aimed at a market activity as the restriction itself', () => {
      expect(items('禁止外地生猪调入本县。')[0]).to.equal('flow-1');
      expect(items('获得奖励的企业十年内不得迁离本区。')).to.not.deep.equal([]);
      expect(items('其他经营者不得从事殡葬用品销售业务，相关业务由市殡仪馆特许经营。')[0]).to.equal('entry-2');
    });

    it('puts the items of a prohibiting enumeration lead-in under the prohibition', () => {
      const text = '行政机关不得有下列行为：\n（一）指定交易对象，要求使用特定企业的产品；\n（二）要求外地企业在本地设立分支机构；';
      expect(analyzer.analyzeText(text).findings).to.deep.equal([]);
      const imposed = '投标人应当符合下列条件：\n（一）须为在本县注册并纳税的企业；\n（二）近三年在本县完成过同类项目。';
      expect(analyzer.analyzeText(imposed).findings.length).to.be.greaterThan(0);
    });

    it('ends a prohibition scope at a contrast (但): the rules hold on what follows it', () => {
      const ruled = (text: string) =>
        analyzer.scoreText(text).flatMap((u) => u.scores.filter((s) => s.matched.length > 0).map((s) => analyzer.checklists.items[s.itemIndex]!.id));
      expect(ruled('不得限定投标人所在地。')).to.not.include('flow-3');
      expect(ruled('不得限定投标人所在地，但投标人须在本市缴纳社会保险满一年。')).to.include('flow-3');
    });
  });

  describe('context: who is favoured or excluded', () => {
    it('flags a locality preference and not the same sentence without locality', () => {
      expect(items('农村公路养护原则上选用本县企业。')[0]).to.equal('entry-3');
      expect(items('农村公路养护原则上选用具备相应资质的企业。')).to.deep.equal([]);
    });

    it('flags subsidies to a named firm but not uniform subsidies when screening, and rates a uniform one far lower', () => {
      const named = '对远景光电有限公司给予设备投资补助500万元。';
      const uniform = '对设备投资额超过500万元的企业按统一比例给予补助。';
      expect(items(named)[0]).to.equal('cost-2');
      expect(analyzer.analyzeClause(named, { point: 'screen' }).items[0]).to.equal('cost-2');
      // the review point spends its false-positive budget on real text, and a uniform subsidy lies near its threshold
      expect(analyzer.analyzeClause(uniform, { point: 'screen' }).items).to.deep.equal([]);
      expect(analyzer.analyzeClause(uniform).probability).to.be.below(analyzer.analyzeClause(named).probability - 0.4);
    });

    it('does not take 小区内 or 园区内 for a locality preference', () => {
      expect(items('小区内的公共充电设施对所有品牌车辆开放。')).to.deep.equal([]);
    });
  });

  describe('openness markers', () => {
    it('clears a clause whose beneficiaries are open to all operators', () => {
      expect(items('对首次进入规模以上统计的企业给予奖励，符合条件的各类企业均可申报，结果向社会公示。')).to.deep.equal([]);
      expect(items('城市更新项目资本金补助对各类所有制企业一视同仁。')).to.deep.equal([]);
    });
  });

  describe('legal basis and exception markers', () => {
    it('accepts a tax preference with a national legal basis and flags the same preference without one', () => {
      expect(items('依照《中华人民共和国企业所得税法》，对经认定的高新技术企业减按15%的税率征收企业所得税。')).to.deep.equal([]);
      expect(items('对经县政府认定的重点企业减按15%的税率征收企业所得税。')[0]).to.equal('cost-1');
    });

    it('does not accept a local document as the basis of a cost-* favour', () => {
      expect(items('依照《某市促进总部经济发展办法》，对迁入本市的总部企业按地方财政贡献给予奖励。')[0]).to.equal('cost-2');
    });

    it('classifies citations as national or local', () => {
      expect(isNationalCitation('中华人民共和国反垄断法')).to.equal(true);
      expect(isNationalCitation('公平竞争审查条例')).to.equal(true);
      expect(isNationalCitation('危险化学品安全管理条例')).to.equal(true);
      expect(isNationalCitation('苏州市促进民营经济发展条例')).to.equal(false);
      expect(isNationalCitation('关于进一步优化营商环境的若干措施')).to.equal(false);
      expect(isNationalCitation('城市供水条例')).to.equal(true);
    });

    it('accepts statutory qualification conditions', () => {
      expect(items('从事危险化学品经营的企业，应当具备《危险化学品安全管理条例》规定的经营场所和储存设施。')).to.deep.equal([]);
    });
  });

  describe('scores', () => {
    it('reports item scores as calibrated probabilities, best first', () => {
      const result = analyzer.analyzeClause('外地车辆进入景区停车场，按本地车辆收费标准的两倍收取停车费。');
      expect(result.flagged).to.equal(true);
      const scores = result.findings.map((f) => f.score);
      expect(scores).to.deep.equal([...scores].sort((a, b) => b - a));
      for (const s of scores) expect(s).to.be.within(0.5, 1);
    });

    it('fits a calibration slope that separates violating from compliant log-odds', () => {
      const samples = [
        ...[2, 3, 1.5, 4, -0.5].map((z) => ({ z, label: 1 as const })),
        ...[-3, -2, -4, 0.5, -1].map((z) => ({ z, label: 0 as const })),
      ];
      const { a, b } = fitCalibration(samples);
      expect(a).to.be.greaterThan(0);
      expect(b).to.equal(0);
      expect(sigmoid(a * 3)).to.be.greaterThan(0.8);
      expect(sigmoid(a * -3)).to.be.lessThan(0.2);
    });
  });
});
