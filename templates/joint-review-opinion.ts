/**
 * 会审意见书: the written outcome of a joint review (条例14; 办法30–33), in which the market regulator reviews a
 * government-issued measure together with its drafter. Members' votes are shown as cast; the result and the
 * regulator's conclusion come from the workflow, not from counting here.
 */
import { type FileChild, type TableRow } from 'docx';
import { CONCLUSION_LABELS, VOTE_LABELS, labelOf, type ConclusionKind, type Vote } from './labels.js';
import {
  SIZE,
  addressee,
  blankLine,
  body,
  chineseNumber,
  columnWidths,
  dataRow,
  dateOrBlank,
  formatDate,
  headerRow,
  heading,
  labelled,
  packDocument,
  show,
  signature,
  subtitle,
  table,
  title,
  type DateLike,
  type Optional,
} from './style.js';

export type JointReviewResult = 'approved' | 'approved_with_changes' | 'rejected' | 'no_quorum';

export const JOINT_RESULT_LABELS: Readonly<Record<JointReviewResult, string>> = {
  approved: '会审通过',
  approved_with_changes: '修改后通过',
  rejected: '未通过',
  no_quorum: '参加成员未达到规定人数，会审未形成有效意见',
};

export interface JointReviewMember {
  name: string;
  unit?: Optional<string>;
  role?: Optional<string>;
  /** Missing when the member has not signed off yet. */
  vote?: Optional<Vote>;
  comment?: Optional<string>;
  signedAt?: Optional<DateLike>;
}

export interface JointReviewOpinionData {
  /** 文号, e.g. "某市监竞审〔2025〕3号". */
  documentNumber?: Optional<string>;
  policy: { name: string; draftingBody?: Optional<string>; submittedOn?: Optional<DateLike> };
  /** The reviewing market regulator, which issues the opinion. */
  regulator: string;
  meeting?: Optional<{ date?: Optional<DateLike>; place?: Optional<string>; form?: Optional<string> }>;
  members: readonly JointReviewMember[];
  /** How many sign-offs make the review valid. */
  quorum: { required: number };
  result?: Optional<JointReviewResult>;
  conclusion?: Optional<{ kind?: Optional<ConclusionKind>; text?: Optional<string>; requiredChanges?: readonly string[] }>;
  issuedOn?: Optional<DateLike>;
}

export const JOINT_REVIEW_TITLE = '公平竞争审查会审意见书';

const MEMBER_FRACTIONS = [0.07, 0.13, 0.2, 0.14, 0.32, 0.14] as const;
const MEMBER_COLUMNS = columnWidths(MEMBER_FRACTIONS);

export function buildJointReviewOpinion(data: JointReviewOpinionData): Promise<Buffer> {
  const voted = data.members.filter((m) => m.vote);
  const children: FileChild[] = [
    ...title(JOINT_REVIEW_TITLE),
    ...(data.documentNumber ? [subtitle(show(data.documentNumber)), blankLine()] : []),
    addressee(data.policy.draftingBody),
    ...body(opening(data)),
    heading('一、会审基本情况'),
    labelled('政策措施名称', data.policy.name),
    labelled('起草单位', data.policy.draftingBody),
    labelled('会审方式', data.meeting?.form),
    labelled('会审时间', formatDate(data.meeting?.date)),
    labelled('会审地点', data.meeting?.place),
    ...body(quorumSentence(data.members.length, voted.length, data.quorum.required)),
    heading('二、成员意见'),
    ...body(voteTally(data.members)),
    membersTable(data.members),
    heading('三、会审结果'),
    ...body(data.result ? labelOf(JOINT_RESULT_LABELS, data.result) : ''),
    heading('四、审查结论'),
    ...body(data.conclusion?.kind ? labelOf(CONCLUSION_LABELS, data.conclusion.kind) : ''),
    ...body(data.conclusion?.text),
    ...requiredChanges(data.conclusion?.requiredChanges ?? []),
    blankLine(),
    ...signature([data.regulator, dateOrBlank(data.issuedOn)]),
  ];
  return packDocument({ title: `${JOINT_REVIEW_TITLE}：${show(data.policy.name)}`, children });
}

function opening(data: JointReviewOpinionData): string {
  const submitted = formatDate(data.policy.submittedOn);
  return (
    `${submitted ? `${submitted}报送的` : '报送的'}《${show(data.policy.name)}》收悉。` +
    '根据《公平竞争审查条例》第十四条和《公平竞争审查条例实施办法》第三十条至第三十三条的规定，' +
    `${show(data.regulator)}会同起草单位对该政策措施进行了会审。现将会审意见函告如下：`
  );
}

export function quorumSentence(members: number, voted: number, required: number): string {
  const met = voted >= required;
  return `会审成员${members}名，规定人数${required}名，已签署意见${voted}名，${met ? '达到' : '未达到'}规定人数。`;
}

function voteTally(members: readonly JointReviewMember[]): string {
  const count = (vote: Vote) => members.filter((m) => m.vote === vote).length;
  const pending = members.filter((m) => !m.vote).length;
  return (
    `同意${count('approve')}名，修改后同意${count('approve_with_changes')}名，不同意${count('reject')}名` +
    `${pending > 0 ? `，尚未签署${pending}名` : ''}。`
  );
}

function membersTable(members: readonly JointReviewMember[]) {
  const rows: TableRow[] = [
    headerRow(['序号', '成员', '单位及职务', '表决意见', '具体意见', '签署日期'], MEMBER_COLUMNS, SIZE.xiaosi),
    ...members.map((m, i) =>
      dataRow(
        [
          String(i + 1),
          show(m.name),
          [show(m.unit), show(m.role)].filter(Boolean).join(' '),
          m.vote ? labelOf(VOTE_LABELS, m.vote) : '',
          show(m.comment),
          formatDate(m.signedAt),
        ],
        MEMBER_COLUMNS,
        { size: SIZE.xiaosi, align: ['center', 'left', 'left', 'center', 'left', 'center'] },
      ),
    ),
  ];
  return table(rows, MEMBER_FRACTIONS);
}

function requiredChanges(changes: readonly string[]) {
  if (changes.length === 0) return [];
  return [
    ...body('需修改的内容：'),
    ...changes.flatMap((change, i) => body(`（${chineseNumber(i + 1)}）${show(change)}`)),
  ];
}
