/**
 * The annotated draft (审查批注稿): the draft's extracted text laid out by its structure, every flagged clause
 * highlighted and carrying a native Word comment, then a table of all findings. It goes back to the drafting
 * department, who work in Word/WPS and answer comment by comment.
 */
import {
  AlignmentType,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  Paragraph,
  TextRun,
  type TableRow,
  type FileChild,
  type ICommentOptions,
  type ParagraphChild,
} from 'docx';
import { resolveSpan, segmentUnit, sliceUnits, type Span } from './anchoring.js';
import { FINDING_STATUS_LABELS, labelOf, type FindingStatus } from './labels.js';
import {
  SIZE,
  blankLine,
  body,
  bodyParagraph,
  columnWidths,
  commentParagraph,
  dataRow,
  excerpt,
  formatDate,
  headerRow,
  heading,
  labelled,
  packDocument,
  run,
  show,
  subtitle,
  table,
  title,
  TEXT_WIDTH,
  type DateLike,
  type Optional,
  type RunStyle,
} from './style.js';

/** How a unit is laid out: titles and chapter headings centred, everything else as indented body text. */
export type UnitKind = 'title' | 'chapter' | 'section' | 'article' | 'paragraph' | 'item';

export interface DraftUnit {
  /** Structural path, e.g. "第三章 第十二条 第二款". */
  path: string;
  text: string;
  /** Offset of text[0] in the extracted document text (same coordinates as finding spans). */
  start: number;
  kind?: Optional<UnitKind>;
}

export interface DraftFinding {
  id: string;
  itemId: string;
  itemTitle: string;
  /** Document offsets (UTF-16 code units), end exclusive. */
  start: number;
  end: number;
  /** The clause text the analyser matched; re-anchors the comment if the offsets have drifted. */
  quote?: Optional<string>;
  path?: Optional<string>;
  legalBasis?: Optional<string>;
  why?: Optional<string>;
  suggestedRewrite?: Optional<string>;
  status: FindingStatus;
  decisionNote?: Optional<string>;
  reviewer?: Optional<string>;
  decidedAt?: Optional<DateLike>;
}

export interface AnnotatedDraftData {
  policyName: string;
  draftingBody?: Optional<string>;
  version?: Optional<string | number>;
  generatedOn?: Optional<DateLike>;
  /** Shown as the comments' author in Word's margin. */
  commentAuthor?: Optional<string>;
  units: readonly DraftUnit[];
  findings: readonly DraftFinding[];
}

const STATUS_LOOK: Readonly<Record<FindingStatus, RunStyle>> = {
  confirmed: { highlight: 'yellow' },
  pending: { highlight: 'cyan' },
  // Not a strike-through: in a draft that reads as "delete this", which a dismissed concern does not mean.
  dismissed: { color: '808080', underline: { type: 'dotted', color: '808080' } },
};

/** When flagged clauses overlap, the most serious status decides how the shared text looks. */
const STATUS_PRECEDENCE: readonly FindingStatus[] = ['confirmed', 'pending', 'dismissed'];

const LEGEND =
  '说明：黄色底纹为经审查确认的问题条款，青色底纹为尚待审查的疑似问题，灰色虚线下划线为经审查已排除的疑点。' +
  '每处均附批注，载明检查项、审查依据、问题说明、修改建议和审查意见；文末附问题汇总表。';

const SUMMARY_FRACTIONS = [0.06, 0.14, 0.2, 0.26, 0.12, 0.22] as const;
const SUMMARY_COLUMNS = columnWidths(SUMMARY_FRACTIONS);
const EXCERPT_LENGTH = 60;

export function buildAnnotatedDraft(data: AnnotatedDraftData): Promise<Buffer> {
  const spans = data.findings.map((f) => resolveSpan(data.units, { start: f.start, end: f.end, quote: f.quote }));
  const commentIds = commentIdsFor(spans);
  const clauses = spans.map((span, i) => (span ? sliceUnits(data.units, span) : show(data.findings[i]?.quote)));
  const paragraphs = data.units.map((unit) => unitParagraph(unit, data.findings, spans, commentIds));
  // A draft that carries its own title unit keeps it (it may be annotated) in place of a second, plain title.
  const ownTitle = data.units[0]?.kind === 'title' ? paragraphs.splice(0, 1) : title(data.policyName).slice(0, -1);
  const children: FileChild[] = [
    ...ownTitle,
    subtitle('（公平竞争审查批注稿）'),
    blankLine(),
    ...headerLines(data),
    ...body(LEGEND),
    blankLine(),
    ...paragraphs,
    heading('附：审查问题汇总表', { newPage: true }),
    ...body(tally(data.findings, spans)),
    blankLine(),
    summaryTable(data.findings, spans, clauses),
  ];
  const comments = data.findings.flatMap((finding, i): ICommentOptions[] => {
    const id = commentIds[i];
    return id === undefined ? [] : [commentFor(finding, i, id, data)];
  });
  return packDocument({ title: `${show(data.policyName)}（公平竞争审查批注稿）`, children, comments });
}

/** Word comment ids are small integers; only anchored findings get one. */
function commentIdsFor(spans: readonly (Span | null)[]): (number | undefined)[] {
  let next = 0;
  return spans.map((span) => (span ? next++ : undefined));
}

function headerLines(data: AnnotatedDraftData): Paragraph[] {
  return [
    labelled('起草单位', data.draftingBody),
    labelled('版本', data.version),
    labelled('生成日期', formatDate(data.generatedOn)),
  ];
}

function unitParagraph(
  unit: DraftUnit,
  findings: readonly DraftFinding[],
  spans: readonly (Span | null)[],
  commentIds: readonly (number | undefined)[],
): Paragraph {
  const base = baseStyleFor(unit.kind);
  const children: ParagraphChild[] = [];
  for (const segment of segmentUnit(unit, spans)) {
    for (const i of segment.opening) children.push(new CommentRangeStart(commentIds[i] as number));
    const statuses = segment.covering.map((i) => findings[i]?.status as FindingStatus);
    children.push(run(unit.text.slice(segment.from, segment.to), { ...base, ...lookFor(statuses) }));
    for (const i of segment.closing) {
      const id = commentIds[i] as number;
      children.push(new CommentRangeEnd(id), new TextRun({ children: [new CommentReference(id)] }));
    }
  }
  return layoutFor(unit.kind, children);
}

function lookFor(statuses: readonly FindingStatus[]): RunStyle {
  const winner = STATUS_PRECEDENCE.find((status) => statuses.includes(status));
  return winner ? STATUS_LOOK[winner] : {};
}

function baseStyleFor(kind: Optional<UnitKind>): RunStyle {
  if (kind === 'title') return { role: 'title', size: SIZE.er };
  if (kind === 'chapter' || kind === 'section') return { role: 'heading' };
  return {};
}

function layoutFor(kind: Optional<UnitKind>, children: ParagraphChild[]): Paragraph {
  if (kind === 'title' || kind === 'chapter' || kind === 'section') {
    return new Paragraph({ alignment: AlignmentType.CENTER, keepNext: true, children });
  }
  return bodyParagraph(children);
}

// ---------------------------------------------------------------- comments

function commentFor(finding: DraftFinding, index: number, id: number, data: AnnotatedDraftData): ICommentOptions {
  const decidedAt = finding.decidedAt ?? data.generatedOn;
  const date = decidedAt ? new Date(decidedAt) : undefined;
  return {
    id,
    author: show(finding.reviewer) || show(data.commentAuthor) || 'FairReview',
    initials: 'FR',
    date: date && !Number.isNaN(date.getTime()) ? date : undefined,
    children: [
      commentParagraph(`问题${index + 1}【${show(finding.itemId)} ${show(finding.itemTitle)}】`),
      commentParagraph('位置：', finding.path),
      commentParagraph('审查依据：', finding.legalBasis),
      commentParagraph('问题说明：', finding.why),
      commentParagraph('修改建议：', finding.suggestedRewrite),
      commentParagraph('审查意见：', decisionText(finding)),
    ],
  };
}

function decisionText(finding: DraftFinding): string {
  const who = [show(finding.reviewer), formatDate(finding.decidedAt)].filter(Boolean).join('，');
  const note = show(finding.decisionNote);
  return `${labelOf(FINDING_STATUS_LABELS, finding.status)}${who ? `（${who}）` : ''}${note ? `：${note}` : ''}`;
}

// ---------------------------------------------------------------- summary

function tally(findings: readonly DraftFinding[], spans: readonly (Span | null)[]): string {
  const count = (status: FindingStatus) => findings.filter((f) => f.status === status).length;
  const unplaced = spans.filter((s) => s === null).length;
  if (findings.length === 0) return '经审查，本稿未发现涉嫌违反公平竞争审查标准的内容。';
  return (
    `共标注${findings.length}处：已确认${count('confirmed')}处，待审查${count('pending')}处，已排除${count('dismissed')}处。` +
    (unplaced > 0 ? `其中${unplaced}处未能在本稿原文中定位，仅列于下表。` : '')
  );
}

function summaryTable(findings: readonly DraftFinding[], spans: readonly (Span | null)[], clauses: readonly string[]) {
  const rows: TableRow[] = [
    headerRow(['序号', '位置', '检查项', '原文摘录', '审查意见', '修改建议'], SUMMARY_COLUMNS, SIZE.wu),
    ...findings.map((finding, i) =>
      dataRow(
        [
          String(i + 1),
          show(finding.path),
          `${show(finding.itemId)} ${show(finding.itemTitle)}`,
          excerpt(clauses[i], EXCERPT_LENGTH) + (spans[i] ? '' : '（未能在原文中定位）'),
          decisionText(finding),
          show(finding.suggestedRewrite),
        ],
        SUMMARY_COLUMNS,
        { size: SIZE.wu, align: ['center'] },
      ),
    ),
  ];
  if (findings.length === 0) {
    rows.push(dataRow(['无'], [TEXT_WIDTH], { size: SIZE.wu, align: ['center'], columnSpan: SUMMARY_COLUMNS.length }));
  }
  return table(rows, SUMMARY_FRACTIONS);
}
