import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeText, clauseVector, createAnalyzer, documentClauseVectors, loadAnalyzer, loadRuleEngine } from '../../../workers/analysis/analyze.js';
import { cueBucket, foldText, sentenceFeatures, sentenceNgramSpans, type SentenceInput } from '../../../workers/analysis/model/features.js';
import { chooseThreshold, featurize, serialiseArtefact, trainModel, type FeaturedClause, type OutOfFold } from '../../../workers/analysis/model/train.js';
import { trainBinary, trainOneVsRest, type RowExample } from '../../../workers/analysis/model/logistic.js';
import { loadSets, readClauses, sharedEval } from '../../../scripts/trainingData.js';

const MODEL_FILE = fileURLToPath(new URL('../../../checklists/data/model.json', import.meta.url));
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
/** A sentence read with nothing around it, unless `around` says what stands there. */
const inputOf = (sentence: string, around: Partial<Omit<SentenceInput, 'sentence'>> = {}): SentenceInput => ({
  sentence: foldText(sentence),
  context: [],
  headings: [],
  previous: [],
  cues: [],
  ...around,
});

describe('clause model', function () {
  this.timeout(120_000);
  const engine = loadRuleEngine();

  describe('features', () => {
    it('folds digit runs and white space but maps every n-gram back to a verbatim span', () => {
      const text = '按 2024 年纳税额的 50.5% 奖励';
      const folded = foldText(text);
      expect(String.fromCharCode(...folded.codes.subarray(0, folded.length))).to.equal('按0年纳税额的0%奖励');
      for (const span of sentenceNgramSpans(folded)) expect(text.slice(span.start, span.end).replace(/\s/g, '').length).to.be.greaterThan(0);
      const digits = sentenceNgramSpans(folded).find((s) => text.slice(s.start, s.end) === '50.5%');
      expect(digits, 'the n-gram "0%" covers the whole number').to.not.equal(undefined);
    });

    it('reads a place before 市/县/省 as 本 and a company before 公司/集团 as 某, each mapping back to the verbatim name', () => {
      const text = '由上海杨浦环境发展有限公司负责清运，注册在海口市的优先，在本市注册，进入农贸市场，推动企业上市';
      const folded = foldText(text);
      const read = String.fromCharCode(...folded.codes.subarray(0, folded.length));
      expect(read).to.equal('由某公司负责清运，注册在本市的优先，在本市注册，进入农贸市场，推动企业上市');
      const company = read.indexOf('某');
      expect(text.slice(folded.start[company], folded.end[company])).to.equal('上海杨浦环境发展有限');
      const place = read.indexOf('本');
      expect(text.slice(folded.start[place], folded.end[place])).to.equal('海口');
      const county = foldText('由临溪县殡仪馆统一承担');
      expect(String.fromCharCode(...county.codes.subarray(0, county.length))).to.equal('由本县殡仪馆统一承担');
    });

    it('gives the same features to the same sentence and different ones to a different sentence', () => {
      const a = sentenceFeatures(inputOf('外地企业不得参加投标', { cues: [cueBucket('group:local')] }));
      const b = sentenceFeatures(inputOf('外地企业不得参加投标', { cues: [cueBucket('group:local')] }));
      const c = sentenceFeatures(inputOf('各类企业平等参加投标'));
      expect(Array.from(a.index)).to.deep.equal(Array.from(b.index));
      expect(Array.from(a.index)).to.not.deep.equal(Array.from(c.index));
      expect(Array.from(a.index)).to.deep.equal([...a.index].sort((x, y) => x - y));
    });

    it('reads the heading a sentence stands under as features of their own, at less weight than the sentence', () => {
      const alone = sentenceFeatures(inputOf('给予奖励'));
      const underHeading = sentenceFeatures(inputOf('给予奖励', { headings: [foldText('给予奖励')] }));
      const own = new Set(alone.index);
      const added = Array.from(underHeading.index).filter((b) => !own.has(b));
      // the heading's 4 + 3 + 2 + 1 n-grams, none of them in the buckets of the same words in the sentence
      expect(added).to.have.length(10);
      const ngramValue = Math.fround(1 / Math.pow(10, 0.35));
      for (const b of added) expect(underHeading.value[Array.from(underHeading.index).indexOf(b)]).to.be.within(0.1 * ngramValue, 0.5 * ngramValue);
      expect(Array.from(underHeading.index).filter((b) => own.has(b))).to.deep.equal(Array.from(alone.index));
    });

    it('reads the sentence before as features of their own, apart from the heading and at less weight than the sentence', () => {
      const alone = sentenceFeatures(inputOf('可再申请'));
      const afterGrant = sentenceFeatures(inputOf('可再申请', { previous: [foldText('可再申请')] }));
      const underHeading = sentenceFeatures(inputOf('可再申请', { headings: [foldText('可再申请')] }));
      const own = new Set(alone.index);
      const added = Array.from(afterGrant.index).filter((b) => !own.has(b));
      expect(added).to.have.length(10);
      expect(added.filter((b) => underHeading.index.includes(b)), 'not the buckets of the same words as a heading').to.deep.equal([]);
      const ngramValue = Math.fround(1 / Math.pow(10, 0.35));
      for (const b of added) expect(afterGrant.value[Array.from(afterGrant.index).indexOf(b)]).to.be.within(0.1 * ngramValue, 0.5 * ngramValue);
    });

    it('marks how a sentence begins and ends, at less weight than its n-grams', () => {
      const heading = sentenceFeatures(inputOf('规模升级；'));
      // 5 + 4 + 3 + 2 n-grams, and the first and last 1, 2 and 3 characters
      expect(heading.index.length).to.equal(14 + 6);
      const ngramValue = Math.fround(1 / Math.pow(14, 0.35));
      const values = Array.from(heading.value);
      expect(values.filter((v) => v === ngramValue)).to.have.length(14);
      expect(values.filter((v) => v < ngramValue && v > 0)).to.have.length(6);

      const inside = sentenceFeatures(inputOf('加快规模升级；推进合作'));
      const insideBuckets = new Set(inside.index);
      const edgesOfHeading = Array.from(heading.index).filter((_, i) => heading.value[i]! < ngramValue);
      expect(edgesOfHeading.filter((b) => insideBuckets.has(b)), 'the same words inside a sentence are not its edges').to.deep.equal([]);
      expect(Array.from(heading.index).filter((_, i) => heading.value[i] === ngramValue).every((b) => insideBuckets.has(b))).to.equal(true);
    });
  });

  describe('training', () => {
    const own = loadSets().find((s) => s.source === 'own')!;
    const sample = featurize(engine, own.clauses.slice(0, 400));

    it('is reproducible: the same clauses give the same artefact, byte for byte, whatever their order', () => {
      const first = trainModel(engine, sample, { review: 0.5, screen: 0.7 }).artefact;
      const second = trainModel(engine, [...sample].reverse(), { review: 0.5, screen: 0.7 }).artefact;
      expect(sha(JSON.stringify(second))).to.equal(sha(JSON.stringify(first)));
      const fewer = trainModel(engine, sample.slice(1), { review: 0.5, screen: 0.7 }).artefact;
      expect(sha(JSON.stringify(fewer))).to.not.equal(sha(JSON.stringify(first)));
    });

    it('learns: a model trained on violations and compliant clauses separates them', () => {
      const { model } = trainModel(engine, sample, { review: 0.5, screen: 0.7 });
      const analyzer = createAnalyzer(engine, model);
      const violations = sample.filter((c) => c.label === 'violation').slice(0, 50);
      const compliant = sample.filter((c) => c.label === 'compliant').slice(0, 50);
      const mean = (cs: FeaturedClause[]) => cs.reduce((s, c) => s + analyzer.analyzeClause(c.text).probability, 0) / cs.length;
      expect(mean(violations)).to.be.greaterThan(mean(compliant) + 0.3);
    });

    it('averages the weights of models trained in several seeded orders, so no single order decides', () => {
      const examples: RowExample[] = Array.from({ length: 40 }, (_, i) => ({
        rows: Int32Array.from([i % 7, 7 + (i % 3)]),
        values: Float32Array.from([1, 0.5]),
        label: i % 2,
        weight: 1,
      }));
      const once = { epochs: 3, learningRate: 0.3, l2: 1, seed: 11, runs: 1 };
      const [a, b] = [trainBinary(examples, 10, once), trainBinary(examples, 10, { ...once, seed: 12 })];
      expect(Array.from(a.weights), 'two orders give different weights').to.not.deep.equal(Array.from(b.weights));
      const averaged = trainBinary(examples, 10, { ...once, runs: 2 });
      expect(averaged.bias).to.be.closeTo((a.bias + b.bias) / 2, 1e-12);
      averaged.weights.forEach((w, r) => expect(w).to.be.closeTo((a.weights[r]! + b.weights[r]!) / 2, 1e-12));

      const [p, q] = [trainOneVsRest(examples, 10, 2, once), trainOneVsRest(examples, 10, 2, { ...once, seed: 12 })];
      const averagedItems = trainOneVsRest(examples, 10, 2, { ...once, runs: 2 });
      averagedItems.weights.forEach((w, i) => expect(w).to.be.closeTo((p.weights[i]! + q.weights[i]!) / 2, 1e-12));
      averagedItems.bias.forEach((w, c) => expect(w).to.be.closeTo((p.bias[c]! + q.bias[c]!) / 2, 1e-12));
    });

    it('trains one model per item that is the binary model of "this item rather than another"', () => {
      const examples: RowExample[] = Array.from({ length: 60 }, (_, i) => ({
        rows: Int32Array.from([i % 3, 3 + (i % 4)]),
        values: Float32Array.from([1, 0.5]),
        label: i % 3,
        weight: 1 + (i % 2),
      }));
      const opts = { epochs: 4, learningRate: 0.3, l2: 1, seed: 5, runs: 2 };
      const perItem = trainOneVsRest(examples, 7, 3, opts);
      for (let c = 0; c < 3; c++) {
        const alone = trainBinary(examples.map((e) => ({ ...e, label: e.label === c ? 1 : 0 })), 7, opts);
        expect(perItem.bias[c]).to.equal(alone.bias);
        for (let r = 0; r < 7; r++) expect(perItem.weights[r * 3 + c]).to.equal(alone.weights[r]);
      }
      // row c holds the examples of class c: its weight is largest in the model of class c
      for (let r = 0; r < 3; r++) {
        const row = [0, 1, 2].map((c) => perItem.weights[r * 3 + c]!);
        expect(row.indexOf(Math.max(...row))).to.equal(r);
      }
    });

    it('gives each item a share of the sentence, the shares adding up to 1', () => {
      const { model } = loadAnalyzer();
      const shares = model.itemProbabilitiesOf(inputOf('外地企业参加本市政府采购须在本市设立分支机构'));
      expect(shares).to.have.length(model.itemIds.length);
      expect(Array.from(shares).reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-9);
      for (const share of shares) expect(share).to.be.within(0, 1);
    });

    it('chooses the lowest threshold whose false-positive rate on real-style compliant clauses is within the limit', () => {
      const oof = (source: string, label: 'violation' | 'compliant', probability: number): OutOfFold =>
        ({ clause: { source, label } as FeaturedClause, probability, items: { review: [], screen: [] } });
      const results = [
        ...[0.1, 0.2, 0.3, 0.6, 0.9].map((p) => oof('real-docs', 'compliant', p)),
        oof('own', 'compliant', 0.99),
        ...[0.5, 0.7, 0.95].map((p) => oof('real-cases', 'violation', p)),
      ];
      expect(chooseThreshold(results, 0.2)).to.deep.equal({ threshold: 0.61, falsePositiveRate: 0.2, recall: 2 / 3 });
      expect(chooseThreshold(results, 0)).to.deep.include({ threshold: 0.91, falsePositiveRate: 0 });
    });

    it('keeps the false-positive rate within the limit on each realistic source alone, however clean our own real-style clauses are', () => {
      const oof = (source: string, label: 'violation' | 'compliant', probability: number): OutOfFold =>
        ({ clause: { source, label } as FeaturedClause, probability, items: { review: [], screen: [] } });
      const results = [
        ...[0.1, 0.2, 0.3, 0.6, 0.9].map((p) => oof('real-docs', 'compliant', p)),
        ...Array.from({ length: 15 }, () => oof('own-realstyle', 'compliant', 0.1)),
        ...[0.5, 0.7, 0.95].map((p) => oof('real-cases', 'violation', p)),
      ];
      // pooled, 2 of 20 reach 0.6 (10 %), but on the real documents 2 of 5 (40 %): 0.61 keeps each within 20 %
      expect(chooseThreshold(results, 0.2)).to.deep.equal({ threshold: 0.61, falsePositiveRate: 0.2, recall: 2 / 3 });
      // and the other way round: our own real-style clauses must hold the limit too
      const ownHarder = [...results, ...Array.from({ length: 5 }, () => oof('own-realstyle', 'compliant', 0.8))];
      expect(chooseThreshold(ownHarder, 0.2)).to.deep.include({ threshold: 0.81 });
    });

    if (existsSync(`${sharedEval}real-docs/clauses.jsonl`)) {
      it('rebuilds the committed model from the labelled data (npm run train)', () => {
        const committed = loadAnalyzer().model.artefact;
        const clauses = featurize(engine, loadSets().filter((s) => s.training).flatMap((s) => s.clauses));
        const rebuilt = trainModel(engine, clauses, committed.thresholds).artefact;
        expect(rebuilt.rulesVersion, 'trained against the current rules').to.equal(engine.checklists.rulesVersion);
        expect(rebuilt.training.examplesSha256, 'trained on the current data').to.equal(committed.training.examplesSha256);
        expect(sha(serialiseArtefact(rebuilt)), 'same file').to.equal(sha(readFileSync(MODEL_FILE, 'utf8')));
      });
    }
  });

  describe('clauses read in their document', () => {
    const documentText = ['对符合下列情况之一的投资项目，实行“一事一议”：', '（一）世界500强企业投资的项目；', '（二）固定资产投资额在5亿元以上的项目。'].join('\n');
    const clause = '世界500强企业投资的项目；';
    const span = { start: documentText.indexOf(clause), end: documentText.indexOf(clause) + clause.length };

    it('reads an enumerated clause with its lead-in as context, as the analyser reads the document', () => {
      const [inDocument] = documentClauseVectors(engine, documentText, [span]);
      const alone = clauseVector(engine, clause)!;
      expect(inDocument).to.not.equal(undefined);
      const aloneBuckets = new Set(alone.index);
      const added = Array.from(inDocument!.index).filter((b) => !aloneBuckets.has(b));
      expect(added.length, 'the lead-in adds features').to.be.greaterThan(10);
    });

    it('scores a clause in its document as analyzeText scores that sentence of the document', () => {
      const analyzer = loadAnalyzer();
      const [inDocument] = documentClauseVectors(engine, documentText, [span]);
      for (const point of ['review', 'screen'] as const) {
        const [result] = analyzer.analyzeClausesInDocument(documentText, [span], { point });
        expect(result!.probability).to.equal(Math.round(analyzer.model.probability(inDocument!) * 1000) / 1000);
        const inText = analyzer.analyzeText(documentText, { point }).findings.filter((f) => f.start < span.end && span.start < f.end);
        expect(result!.items).to.deep.equal([...new Set(inText.map((f) => f.itemId))]);
        for (const f of result!.findings) for (const e of f.evidence) expect(documentText.slice(e.start, e.end)).to.equal(e.phrase);
      }
    });

    it('finds a labelled clause in its document file (title and address lines skipped), or reads it alone', () => {
      const dir = mkdtempSync(join(tmpdir(), 'clauses-'));
      writeFileSync(join(dir, 'd1.txt'), ['某县招商引资优惠政策', 'http://example.org/d1', documentText].join('\n'));
      const path = join(dir, 'clauses.jsonl');
      const lines = [
        { id: 'd1-1', doc: 'd1', text: clause, label: 'violation', item: 'cost-2' },
        { id: 'd1-2', doc: 'd1', text: '不在文件里的一句话。', label: 'compliant', item: null },
        { id: 'd2-1', doc: 'd2', text: clause, label: 'violation', item: 'cost-2' },
      ];
      writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n'));
      const [found, missing, noFile] = readClauses(path, 'real-docs', (raw) => String(raw.doc), (raw) => join(dir, `${String(raw.doc)}.txt`));
      expect(found!.inDocument!.text).to.equal(documentText);
      expect(found!.inDocument!.text.slice(found!.inDocument!.start, found!.inDocument!.end)).to.equal(clause);
      expect(missing!.inDocument).to.equal(undefined);
      expect(noFile!.inDocument).to.equal(undefined);
      const featured = featurize(engine, [found!, missing!]);
      expect(Array.from(featured[0]!.vector.index)).to.deep.equal(Array.from(documentClauseVectors(engine, documentText, [span])[0]!.index));
      rmSync(dir, { recursive: true });
    });
  });

  describe('findings', () => {
    it('gives a finding only the model flags (no rule holds) verbatim evidence: its most telling phrases', () => {
      const analyzer = loadAnalyzer();
      const text = '乙方经营期限内，甲方不在城区内引进其他同类服务企业。';
      const result = analyzer.analyzeText(text);
      const modelOnly = result.findings.filter((f) => f.evidenceSource === 'model');
      expect(modelOnly.length, JSON.stringify(result.findings)).to.be.greaterThan(0);
      for (const f of modelOnly) {
        expect(f.evidence.length).to.be.within(1, 3);
        for (const e of f.evidence) {
          expect(text.slice(e.start, e.end)).to.equal(e.phrase);
          expect(e.phrase.length).to.be.within(2, 12);
          expect(e.start).to.be.at.least(f.start);
          expect(e.end).to.be.at.most(f.end);
        }
        expect(f.explanation).to.include('请人工核实');
      }
    });

    it('records the operating point and its threshold on every analysis', () => {
      const analyzer = loadAnalyzer();
      const review = analyzeText('对在本县注册的企业给予一次性奖励50万元。');
      const screen = analyzeText('对在本县注册的企业给予一次性奖励50万元。', { point: 'screen' });
      expect(review).to.include({ operatingPoint: 'review', threshold: analyzer.model.thresholds.review });
      expect(screen).to.include({ operatingPoint: 'screen', threshold: analyzer.model.thresholds.screen });
      for (const f of [...review.findings, ...screen.findings]) expect(f.score).to.be.at.least(review.threshold);
    });

    it('never flags what is enumerated under a prohibiting lead-in', () => {
      const text = '行政机关不得有下列行为：\n（一）限定经营者购买指定企业的商品；\n（二）要求外地企业在本地设立分支机构。';
      expect(analyzeText(text).findings).to.deep.equal([]);
    });
  });

  describe('labelled clause files', () => {
    it('names the file and line of a clause that is not labelled correctly', () => {
      const dir = mkdtempSync(join(tmpdir(), 'clauses-'));
      const path = join(dir, 'bad.jsonl');
      writeFileSync(path, ['{"id":"a","text":"本地企业优先","label":"violation","item":"flow-3"}', '{"id":"b","text":"x","label":"maybe","item":null}'].join('\n'));
      expect(() => readClauses(path, 'own', () => 'g')).to.throw(`${path}:2: label 应为 violation 或 compliant`);
      writeFileSync(path, '{"id":"a","text":"本地企业优先","label":"violation","item":"flow-9"}\n');
      expect(() => readClauses(path, 'own', () => 'g')).to.throw(`${path}:1: 未知的审查事项 flow-9`);
      rmSync(dir, { recursive: true });
    });
  });
});
