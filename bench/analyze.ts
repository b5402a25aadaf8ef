/**
 * Analyser benchmark (`npm run bench -- analyze`): a realistic ~20,000-character policy (chapters, articles,
 * enumerations; mostly ordinary policy sentences with labelled clauses from test/fixtures/clauses.jsonl mixed
 * in at a realistic density) is segmented and matched repeatedly in memory.
 *
 * Reports start-up (import + checklists + dictionary + exemplar index + calibration + model), characters per
 * second of the whole analysis (segment, rules, clause model, findings) on one core, p50/p95 milliseconds per
 * document after warm-up, peak RSS, the ratio to a one-pass scan of the sensitive-word baseline's trigger
 * words over the same text in the same run (an Aho–Corasick automaton: the cost floor of any word list), and
 * — when the extraction module is present — p50/p95 of extracting the same text as DOCX and as PDF.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ORDINARY = [
  '为深入贯彻落实党中央、国务院关于优化营商环境的决策部署，进一步激发市场主体活力，结合本市实际，制定本措施。',
  '各级各部门要提高政治站位，强化责任担当，确保各项政策措施落地见效。',
  '建立健全政策落实情况跟踪评估机制，定期通报工作进展。',
  '推进政务服务“一网通办”，企业开办全程网上办理，办理时间压缩至1个工作日以内。',
  '加强知识产权保护，依法严厉打击侵犯知识产权违法行为。',
  '深化“放管服”改革，持续精简行政审批事项，推行告知承诺制。',
  '完善社会信用体系，依法依规实施守信联合激励和失信联合惩戒。',
  '支持企业加大研发投入，提升自主创新能力和核心竞争力。',
  '畅通政企沟通渠道，建立常态化政企沟通联系机制，及时回应企业诉求。',
  '加强统筹协调，市发展改革委负责本措施实施的综合协调和督促检查。',
  '各区人民政府应当结合实际制定具体实施方案，并报市人民政府备案。',
  '鼓励金融机构创新信贷产品，扩大首贷、续贷和信用贷款投放规模。',
  '推动公共数据有序开放，提升数据资源开发利用水平。',
  '加强人才引进培养，完善人才公寓、子女入学、医疗保障等配套服务。',
  '健全市场主体退出机制，推进简易注销登记改革。',
  '加快建设高标准市场体系，推动形成全国统一大市场。',
  '持续开展营商环境评价，以评促改、以评促优。',
  '强化宣传引导，及时总结推广典型经验做法，营造良好社会氛围。',
  '本措施由市发展改革委负责解释。',
  '相关部门应当于每年一月底前将上一年度工作情况报送市人民政府。',
  '统筹推进新型基础设施建设，加快第五代移动通信网络和数据中心布局。',
  '落实安全生产责任制，督促企业落实安全生产主体责任。',
  '优化工程建设项目审批流程，实行联合审图和联合验收。',
  '加大对中小微企业的服务力度，组织开展政策宣讲和业务培训活动。',
];

const CHAPTERS = ['总则', '优化准入环境', '支持产业发展', '规范招标采购', '强化要素保障', '加强监管服务', '保障措施', '附则'];

function numeral(n: number): string {
  const d = '零一二三四五六七八九';
  if (n < 10) return d[n]!;
  if (n < 20) return '十' + (n % 10 ? d[n % 10] : '');
  return d[Math.floor(n / 10)] + '十' + (n % 10 ? d[n % 10] : '');
}

/** A regulation-style policy of at least `minChars` characters with labelled clauses mixed in. */
export function benchPolicyText(minChars: number, clauses: string[]): string {
  const lines = ['某市关于进一步优化营商环境促进高质量发展的若干措施'];
  let length = lines[0]!.length;
  let article = 1;
  let k = 0;
  for (let chapter = 1; length < minChars; chapter++) {
    lines.push(`第${numeral(chapter)}章\u3000${CHAPTERS[(chapter - 1) % CHAPTERS.length]}`);
    for (let i = 0; i < 8 && length < minChars; i++, article++, k++) {
      const body = [ORDINARY[k % ORDINARY.length], clauses[k % clauses.length], ORDINARY[(k * 7 + 3) % ORDINARY.length]].join('');
      lines.push(`第${numeral(article)}条\u3000${body}`);
      if (article % 4 === 0) {
        lines.push('有下列情形之一的，不予支持：');
        lines.push(`（一）${ORDINARY[(k + 5) % ORDINARY.length]}`);
        lines.push(`（二）${clauses[(k * 3 + 1) % clauses.length]}`);
      }
      length = lines.reduce((n, l) => n + l.length + 1, 0);
    }
  }
  return lines.join('\n');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Documents analysed before the timed runs. The optimising compiler keeps working for the first few dozen
 * documents (in runs of 10 documents after only 10 of warm-up, throughput still climbed by about a third over
 * the next 50): a worker analyses documents for hours, so the timed runs measure it warmed up.
 */
const WARMUP_RUNS = 60;

export default async function analyzeBench(options: { chars?: number; runs?: number; extraction?: number; warmup?: number } = {}) {
  const startedAt = performance.now();
  const { loadAnalyzer } = await import('../workers/analysis/analyze.js');
  const analyzer = loadAnalyzer();
  const startupMs = performance.now() - startedAt;

  const fixtures = fileURLToPath(new URL('../test/fixtures/clauses.jsonl', import.meta.url));
  const clauses = readFileSync(fixtures, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { text: string }).text);
  const text = benchPolicyText(options.chars ?? 20_000, clauses);
  const runs = options.runs ?? 100;

  const warmup = options.warmup ?? WARMUP_RUNS;
  for (let i = 0; i < warmup; i++) analyzer.analyzeText(text);
  const times: number[] = [];
  let findings = 0;
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    findings = analyzer.analyzeText(text).findings.length;
    times.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpuStart);
  const totalMs = times.reduce((a, b) => a + b, 0);
  times.sort((a, b) => a - b);

  const result: Record<string, unknown> = {
    bench: 'analyze',
    checklistVersion: analyzer.checklistVersion,
    documentChars: text.length,
    sentences: analyzer.scoreText(text).length,
    findingsPerDocument: findings,
    warmupRuns: warmup,
    runs,
    charsPerSec: Math.round((text.length * runs) / (totalMs / 1000)),
    // CPU time of this process: the single-core figure, unaffected by other load on the machine
    charsPerCpuSec: Math.round((text.length * runs) / ((cpu.user + cpu.system) / 1e6)),
    p50Ms: round(percentile(times, 0.5)),
    p95Ms: round(percentile(times, 0.95)),
    cpuMsPerDocument: round((cpu.user + cpu.system) / 1000 / runs),
    startupMs: Math.round(startupMs),
    analyzerLoadMs: Math.round(analyzer.startupMs),
    peakRssMb: 0,
    node: process.version,
  };

  if (options.extraction !== 0) {
    try {
      const extract = await import('../workers/analysis/extract/index.js');
      const docs = await import('../test/fixtures/makeDocuments.js');
      const paragraphs = text.split('\n');
      const docx = await docs.makeDocx(paragraphs.map((paragraph) => ({ paragraph })));
      const pdf = docs.makePdf(paragraphs);
      result.extraction = {
        docx: await extract.measureExtraction(docx, { runs: 20, warmup: 3 }),
        pdf: await extract.measureExtraction(pdf, { runs: 20, warmup: 3 }),
      };
      await extract.shutdownPdfWorker();
    } catch (error) {
      result.extraction = { skipped: (error as Error).message };
    }
  }
  result.triggerScan = await triggerScan(text, runs, result.charsPerCpuSec as number);
  result.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  return result;
}

/** One pass of the baseline's trigger words over the text, timed like the analysis (CPU time, one core). */
async function triggerScan(text: string, runs: number, analyserCharsPerCpuSec: number) {
  const { AhoCorasick } = await import('../workers/analysis/match/ahoCorasick.js');
  const { readWordList } = await import('../workers/analysis/evaluation.js');
  const words = readWordList(fileURLToPath(new URL('../test/baseline/sensitive-words.txt', import.meta.url)));
  const automaton = new AhoCorasick(words);
  let hits = 0;
  const count = () => {
    hits++;
  };
  automaton.scan(text, count);
  const hitsPerDocument = hits;
  for (let i = 0; i < 10; i++) automaton.scan(text, count);
  const scanRuns = runs * 20;
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < scanRuns; i++) automaton.scan(text, count);
  const cpu = process.cpuUsage(cpuStart);
  const charsPerCpuSec = Math.round((text.length * scanRuns) / ((cpu.user + cpu.system) / 1e6));
  return { words: words.length, hitsPerDocument, charsPerCpuSec, analyserRatio: round(analyserCharsPerCpuSec / charsPerCpuSec, 3) };
}
