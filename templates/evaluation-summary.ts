/**
 * Summary of a third-party evaluation (第三方评估, 办法35), laid out after the report contents of the 2019 guide
 * (regulations.md §9.4): background and scope, methods, findings, an explicit conclusion, recommendations.
 */
import { type FileChild, type Paragraph } from 'docx';
import { CONCLUSION_LABELS, labelOf, type ConclusionKind } from './labels.js';
import {
  blankLine,
  body,
  chineseNumber,
  dateOrBlank,
  formatDate,
  heading,
  labelled,
  packDocument,
  show,
  signature,
  subheading,
  subtitle,
  title,
  type DateLike,
  type Optional,
} from './style.js';

export interface EvaluationFinding {
  title: string;
  /** Checklist item the finding concerns, if any (e.g. "cost-2"). */
  itemId?: Optional<string>;
  detail?: Optional<string>;
}

export interface EvaluationSummaryData {
  policy: { name: string; draftingBody?: Optional<string> };
  commissionedBy?: Optional<string>;
  evaluator: { name: string; qualification?: Optional<string>; contact?: Optional<string>; phone?: Optional<string> };
  /** e.g. 出台前评估、实施后评估、例外规定年度评估. */
  evaluationType?: Optional<string>;
  scope?: Optional<string>;
  period?: Optional<{ from?: Optional<DateLike>; to?: Optional<DateLike> }>;
  methods: readonly string[];
  findings: readonly EvaluationFinding[];
  conclusion?: Optional<{ kind?: Optional<ConclusionKind>; text?: Optional<string> }>;
  recommendations: readonly string[];
  annexes?: readonly string[];
  reportDate?: Optional<DateLike>;
}

export const EVALUATION_SUMMARY_TITLE = '公平竞争审查第三方评估报告（摘要）';

export function buildEvaluationSummary(data: EvaluationSummaryData): Promise<Buffer> {
  const children: FileChild[] = [
    ...title(EVALUATION_SUMMARY_TITLE),
    subtitle(`——《${show(data.policy.name)}》`),
    blankLine(),
    heading('一、评估基本情况'),
    labelled('评估对象', `《${show(data.policy.name)}》`),
    labelled('起草单位', data.policy.draftingBody),
    labelled('委托单位', data.commissionedBy),
    labelled('评估机构', data.evaluator.name),
    labelled('机构资质', data.evaluator.qualification),
    labelled('联系人', [show(data.evaluator.contact), show(data.evaluator.phone)].filter(Boolean).join('，')),
    labelled('评估类型', data.evaluationType),
    labelled('评估期间', periodText(data.period)),
    heading('二、评估范围'),
    ...body(data.scope),
    heading('三、评估方法'),
    ...numbered(data.methods, '未载明评估方法。'),
    heading('四、评估发现'),
    ...findings(data.findings),
    heading('五、评估结论'),
    ...body(data.conclusion?.kind ? labelOf(CONCLUSION_LABELS, data.conclusion.kind) : ''),
    ...body(data.conclusion?.text),
    heading('六、意见建议'),
    ...numbered(data.recommendations, '无。'),
    ...annexes(data.annexes ?? []),
    blankLine(),
    ...signature([data.evaluator.name, dateOrBlank(data.reportDate)]),
  ];
  return packDocument({ title: `${EVALUATION_SUMMARY_TITLE}：${show(data.policy.name)}`, children });
}

function periodText(period: EvaluationSummaryData['period']): string {
  const from = formatDate(period?.from);
  const to = formatDate(period?.to);
  return from || to ? `${from}至${to}` : '';
}

function numbered(lines: readonly string[], whenEmpty: string): Paragraph[] {
  if (lines.length === 0) return body(whenEmpty);
  return lines.flatMap((line, i) => body(`（${chineseNumber(i + 1)}）${show(line)}`));
}

function findings(list: readonly EvaluationFinding[]): Paragraph[] {
  if (list.length === 0) return body('评估未发现违反公平竞争审查标准的问题。');
  return list.flatMap((f, i) => [
    subheading(`（${chineseNumber(i + 1)}）${show(f.title)}${f.itemId ? `［${show(f.itemId)}］` : ''}`),
    ...body(f.detail),
  ]);
}

function annexes(list: readonly string[]): Paragraph[] {
  if (list.length === 0) return [];
  // Later annex names line up under the first, past "附件：" (three full-width characters).
  const lines = list.map((name, i) => `${i === 0 ? '附件：' : '　　　'}${i + 1}. ${show(name)}`);
  return [blankLine(), ...lines.flatMap((line) => body(line))];
}
