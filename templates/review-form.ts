/**
 * 公平竞争审查表: the record a review is filed with (条例17; 办法29; form fields per regulations.md §9.3), followed by
 * the checklist grid with the department's answer to every item.
 */
import { type FileChild, type Paragraph, type TableRow } from 'docx';
import {
  CONCLUSION_LABELS,
  FINDING_STATUS_LABELS,
  POLICY_KIND_LABELS,
  labelOf,
  type ConclusionKind,
  type FindingStatus,
  type PolicyKind,
} from './labels.js';
import {
  SIZE,
  blankLine,
  body,
  checkboxes,
  columnWidths,
  dataRow,
  dateOrBlank,
  excerpt,
  headerRow,
  heading,
  labelValueRow,
  packDocument,
  show,
  signature,
  table,
  title,
  type CellLine,
  type CellValue,
  type DateLike,
  type Optional,
} from './style.js';

export interface Organisation {
  name: string;
  contact?: Optional<string>;
  phone?: Optional<string>;
}

export interface ReviewFormConsultation {
  /** 征求利害关系人意见 */
  stakeholders?: Optional<boolean>;
  /** 向社会公开征求意见 */
  public?: Optional<boolean>;
  /** 方式: e.g. 座谈会、书面征求、政府网站公开征求 */
  method?: Optional<string>;
  /** 时间 and 对象 in the department's words */
  timing?: Optional<string>;
  recipients?: Optional<string>;
  feedback?: Optional<string>;
  adoption?: Optional<string>;
  /** Why a confidential draft was not put out for comment (办法28). */
  confidentialityNote?: Optional<string>;
}

/** The five explanations 办法29 requires when an exception (条例12) is relied on. */
export interface ExceptionExplanation {
  applies: boolean;
  restrictiveEffect?: Optional<string>;
  situation?: Optional<string>;
  leastRestrictive?: Optional<string>;
  periodReasonable?: Optional<string>;
  other?: Optional<string>;
  /** 实施期限或终止条件 as it will appear in the measure. */
  periodOrTermination?: Optional<string>;
}

export interface LinkedFinding {
  id?: Optional<string>;
  path?: Optional<string>;
  text?: Optional<string>;
  status?: Optional<FindingStatus>;
}

export interface ReviewFormItem {
  id: string;
  title: string;
  /** The department's answer to "does the measure contain such content?": 是 / 否; missing is left blank. */
  answer?: Optional<'yes' | 'no'>;
  notes?: Optional<string>;
  /** For `cost-*` items: the 法律, 行政法规 or State Council approval relied on (条例10). */
  legalBasis?: Optional<string>;
  findings?: readonly LinkedFinding[];
}

export interface ReviewFormData {
  filledOn?: Optional<DateLike>;
  policy: {
    name: string;
    industries?: readonly string[];
    kind?: Optional<PolicyKind>;
  };
  draftingBody: Organisation;
  reviewingBody?: Optional<Organisation>;
  consultation?: Optional<ReviewFormConsultation>;
  /** 咨询及第三方评估情况 (optional). */
  expertAndThirdParty?: Optional<string>;
  conclusion?: Optional<{ kind?: Optional<ConclusionKind>; text?: Optional<string> }>;
  exception?: Optional<ExceptionExplanation>;
  otherNotes?: Optional<string>;
  headOpinion?: Optional<{ opinion?: Optional<string>; signer?: Optional<string>; date?: Optional<DateLike> }>;
  items: readonly ReviewFormItem[];
}

export const REVIEW_FORM_TITLE = '公平竞争审查表';

const FORM_FRACTIONS = [0.24, 0.76] as const;
const FORM_COLUMNS = columnWidths(FORM_FRACTIONS) as [number, number];
const GRID_FRACTIONS = [0.08, 0.12, 0.29, 0.09, 0.27, 0.15] as const;
const GRID_COLUMNS = columnWidths(GRID_FRACTIONS);
const EXCERPT_LENGTH = 40;

export function buildReviewForm(data: ReviewFormData): Promise<Buffer> {
  const children: FileChild[] = [
    ...title(REVIEW_FORM_TITLE),
    ...signature([`填表日期：${dateOrBlank(data.filledOn)}`]),
    formTable(data),
    heading('附：公平竞争审查检查清单', { newPage: true }),
    ...answerTally(data.items),
    blankLine(),
    checklistGrid(data.items),
  ];
  return packDocument({ title: `${REVIEW_FORM_TITLE}：${show(data.policy.name)}`, children });
}

function formTable(data: ReviewFormData) {
  const row = (label: string, value: CellValue) => labelValueRow(label, value, FORM_COLUMNS);
  return table(
    [
      row('政策措施名称', data.policy.name),
      row('涉及行业领域', (data.policy.industries ?? []).map(show).join('、')),
      row('性质', kindChoices(data.policy.kind)),
      row('起草机构', organisationLines(data.draftingBody)),
      row('审查机构', organisationLines(data.reviewingBody)),
      row('征求意见情况', consultationLines(data.consultation)),
      row('咨询及第三方评估情况', show(data.expertAndThirdParty)),
      row('审查结论', conclusionLines(data.conclusion)),
      row('适用例外规定', exceptionLines(data.exception)),
      row('其他需要说明的情况', show(data.otherNotes)),
      row('审查机构主要负责人意见', headOpinionLines(data.headOpinion)),
    ],
    FORM_FRACTIONS,
  );
}

function kindChoices(kind: Optional<PolicyKind>): string {
  return checkboxes(
    (Object.keys(POLICY_KIND_LABELS) as PolicyKind[]).map((key) => ({ label: POLICY_KIND_LABELS[key], checked: key === kind })),
  );
}

function organisationLines(org: Optional<Organisation>): string {
  return [`名称：${show(org?.name)}`, `联系人：${show(org?.contact)}`, `联系电话：${show(org?.phone)}`].join('\n');
}

function consultationLines(c: Optional<ReviewFormConsultation>): string {
  const lines = [
    checkboxes([
      { label: '征求利害关系人意见', checked: c?.stakeholders === true },
      { label: '向社会公开征求意见', checked: c?.public === true },
    ]),
    `征求方式：${show(c?.method)}`,
    `时间及对象：${[show(c?.timing), show(c?.recipients)].filter(Boolean).join('；')}`,
    `意见反馈情况：${show(c?.feedback)}`,
    `意见采纳情况：${show(c?.adoption)}`,
  ];
  if (c?.confidentialityNote) lines.push(`未征求意见的说明：${show(c.confidentialityNote)}`);
  return lines.join('\n');
}

function conclusionLines(conclusion: ReviewFormData['conclusion']): string {
  const kinds = Object.keys(CONCLUSION_LABELS) as ConclusionKind[];
  const choices = kinds.map((kind) => `${kind === conclusion?.kind ? '☑' : '□'}${CONCLUSION_LABELS[kind]}`);
  return [...choices, `具体说明：${show(conclusion?.text)}`].join('\n');
}

function exceptionLines(exception: Optional<ExceptionExplanation>): string {
  const choice = checkboxes([
    { label: '是', checked: exception?.applies === true },
    { label: '否', checked: exception?.applies === false },
  ]);
  if (exception?.applies !== true) return choice;
  return [
    choice,
    `（一）对公平竞争的影响：${show(exception.restrictiveEffect)}`,
    `（二）适用的例外情形：${show(exception.situation)}`,
    `（三）对公平竞争损害最小的理由：${show(exception.leastRestrictive)}`,
    `（四）实施期限或者终止条件合理的理由：${show(exception.periodReasonable)}`,
    `（五）其他需要说明的情况：${show(exception.other)}`,
    `实施期限或终止条件：${show(exception.periodOrTermination)}`,
  ].join('\n');
}

function headOpinionLines(head: ReviewFormData['headOpinion']): CellLine[] {
  const signer = show(head?.signer) || '            ';
  return [
    { text: show(head?.opinion) },
    { text: '' },
    { text: `负责人（签字）：${signer}        （盖章）`, align: 'right' },
    { text: dateOrBlank(head?.date), align: 'right' },
  ];
}

function answerLabel(answer: ReviewFormItem['answer']): string {
  if (answer === 'yes') return '是';
  if (answer === 'no') return '否';
  return '';
}

function answerTally(items: readonly ReviewFormItem[]): Paragraph[] {
  const yes = items.filter((i) => i.answer === 'yes').length;
  const no = items.filter((i) => i.answer === 'no').length;
  const open = items.length - yes - no;
  const text = `共${items.length}项：答“是”${yes}项，答“否”${no}项${open > 0 ? `，未作答${open}项` : ''}。`;
  return body(text);
}

function notesOf(item: ReviewFormItem): string {
  const basis = show(item.legalBasis);
  return [show(item.notes), basis ? `依据：${basis}` : ''].filter(Boolean).join('\n');
}

function findingLine(finding: LinkedFinding): string {
  const short = excerpt(finding.text, EXCERPT_LENGTH);
  const where = [show(finding.id), show(finding.path)].filter(Boolean).join(' ');
  const status = finding.status ? `（${labelOf(FINDING_STATUS_LABELS, finding.status)}）` : '';
  return `${where ? `${where}：` : ''}${short ? `“${short}”` : ''}${status}`;
}

function checklistGrid(items: readonly ReviewFormItem[]) {
  const rows: TableRow[] = [
    headerRow(['序号', '编号', '审查标准', '是否涉及', '关联问题', '备注'], GRID_COLUMNS, SIZE.wu),
    ...items.map((item, index) =>
      dataRow(
        [String(index + 1), item.id, item.title, answerLabel(item.answer), (item.findings ?? []).map(findingLine).join('\n'), notesOf(item)],
        GRID_COLUMNS,
        { size: SIZE.wu, align: ['center', 'center', 'left', 'center', 'left', 'left'] },
      ),
    ),
  ];
  return table(rows, GRID_FRACTIONS);
}
