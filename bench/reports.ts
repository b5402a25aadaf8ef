/**
 * Report rendering benchmark (issue 5): the review form (target ≤ 100 ms) and the annotated draft of a 50-page,
 * ~60,000-character policy with 200 findings (target ≤ 1 s), p50 and max over several runs after warm-up; plus one
 * timing for each demo sample.
 *
 * `npm run bench -- reports` (default export, for the bench dispatcher) or `npx tsx bench/reports.ts`.
 */
import { pathToFileURL } from 'node:url';
import { resolveSpan } from '../templates/anchoring.js';
import { buildAnnotatedDraft, type AnnotatedDraftData, type DraftFinding, type DraftUnit } from '../templates/annotated-draft.js';
import { REPORT_KINDS, buildReport, type ReportDataByKind, type ReportKind } from '../templates/index.js';
import { buildReviewForm } from '../templates/review-form.js';
import { CHECKLIST_ITEMS, sampleReports } from '../scripts/sample-data.js';

export interface Timing {
  runs: number;
  p50Ms: number;
  maxMs: number;
  targetMs: number;
  withinTarget: boolean;
  bytes: number;
}

export interface ReportsBench {
  reviewForm: Timing;
  /** `anchored`: findings placed on the text, each of which carries a Word comment. */
  annotatedDraft: Timing & { documentChars: number; units: number; findings: number; anchored: number };
  samplesMs: Record<ReportKind, number>;
  node: string;
}

async function time(build: () => Promise<Buffer>, runs: number, warmup: number, targetMs: number): Promise<Timing> {
  let bytes = 0;
  for (let i = 0; i < warmup; i++) bytes = (await build()).length;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    bytes = (await build()).length;
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const p50 = samples[Math.floor((samples.length - 1) / 2)] ?? 0;
  const max = samples[samples.length - 1] ?? 0;
  return { runs, p50Ms: round(p50), maxMs: round(max), targetMs, withinTarget: max <= targetMs, bytes };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

const CLAUSES = [
  '对新迁入本市且注册地、纳税地均在本市的企业，按其对地方财政贡献给予奖励',
  '政府采购项目同等条件下优先采购本地企业生产的产品',
  '参与项目的供应商须在本市设立具有独立法人资格的子公司',
  '全市公共充电设施由市城市建设投资集团有限公司统一建设运营',
  '外地生产的设备进入本市销售前须经市质量检测中心重新检测合格',
  '各经营者执行统一收费标准，不得自行下浮',
  '相关部门应当按照职责分工做好政策宣传解读和组织实施工作',
  '符合条件的各类经营主体均可按规定申报，申报结果向社会公示',
];

/** A regulation-style draft of about `chars` characters: chapters of ten articles, each article two or three 款. */
export function longPolicy(chars: number): DraftUnit[] {
  const units: DraftUnit[] = [];
  let offset = 0;
  const push = (kind: DraftUnit['kind'], path: string, text: string) => {
    units.push({ kind, path, text, start: offset });
    offset += text.length + 1;
  };
  push('title', '标题', '某市关于促进新能源汽车产业高质量发展的若干措施');
  for (let article = 1; offset < chars; article++) {
    if (article % 10 === 1) push('chapter', `第${Math.ceil(article / 10)}章`, `第${Math.ceil(article / 10)}章 第${Math.ceil(article / 10)}部分`);
    for (let clause = 1; clause <= 2 + (article % 2); clause++) {
      let text = clause === 1 ? `第${article}条 ` : '';
      for (let k = 0; text.length < 70; k++) text += `${CLAUSES[(article * 3 + clause + k) % CLAUSES.length]}；`;
      push('paragraph', `第${article}条 第${clause}款`, `${text.slice(0, -1)}。`);
    }
  }
  return units;
}

/** `count` findings spread over the draft: most within one 款, every tenth overlapping its neighbour or running into the next 款. */
export function spreadFindings(units: readonly DraftUnit[], count: number): DraftFinding[] {
  const clauses = units.filter((u) => u.kind === 'paragraph');
  const statuses = ['confirmed', 'pending', 'dismissed'] as const;
  return Array.from({ length: count }, (_, i) => {
    const unit = clauses[Math.floor((i * clauses.length) / count)] as DraftUnit;
    const from = unit.start + 4 + (i % 5) * 3;
    const end = i % 10 === 9 ? unit.start + unit.text.length + 12 : from + 12 + (i % 4) * 8;
    const item = CHECKLIST_ITEMS[i % CHECKLIST_ITEMS.length] as { id: string; title: string };
    return {
      id: `F-${i + 1}`,
      itemId: item.id,
      itemTitle: item.title,
      start: from,
      end,
      path: unit.path,
      legalBasis: '《公平竞争审查条例》第九条第（三）项；《公平竞争审查条例实施办法》第十五条',
      why: '以注册地、纳税地或本地生产作为享受政策的条件，排斥或者限制外地经营者，属于审查标准禁止的情形。',
      suggestedRewrite: '删除地域限定条件，改为对符合公开、统一、客观标准的各类经营主体一视同仁。',
      status: statuses[i % 3] as DraftFinding['status'],
      reviewer: i % 3 === 1 ? undefined : '李敏',
      decidedAt: i % 3 === 1 ? undefined : '2025-05-16',
      decisionNote: i % 3 === 2 ? '起草单位已说明具有法律依据。' : undefined,
    };
  });
}

function buildSample<K extends ReportKind>(kind: K, samples: ReportDataByKind): Promise<Buffer> {
  return buildReport(kind, samples[kind]);
}

export default async function reportsBench(options: { runs?: number } = {}): Promise<ReportsBench> {
  const runs = options.runs ?? 15;
  const samples = sampleReports();

  const reviewForm = await time(() => buildReviewForm(samples.review_form), runs * 2, 3, 100);

  const units = longPolicy(60_000);
  const findings = spreadFindings(units, 200);
  const draft: AnnotatedDraftData = { ...samples.annotated_draft, units, findings };
  const documentChars = units.reduce((n, u) => n + u.text.length, 0);
  const anchored = findings.filter((f) => resolveSpan(units, f) !== null).length;
  const annotated = await time(() => buildAnnotatedDraft(draft), runs, 2, 1000);

  const samplesMs = {} as Record<ReportKind, number>;
  for (const kind of REPORT_KINDS) {
    const start = performance.now();
    await buildSample(kind, samples);
    samplesMs[kind] = round(performance.now() - start);
  }

  return {
    reviewForm,
    annotatedDraft: { ...annotated, documentChars, units: units.length, findings: findings.length, anchored },
    samplesMs,
    node: process.version,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await reportsBench(), null, 2));
}
