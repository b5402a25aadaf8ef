/**
 * 举报答复函: the letter that answers a complainant (条例22; 办法37–38). The regulator has no duty to inform the
 * reporter, so the letter is optional in the workflow; when sent it says what was reported, what was found and
 * what happens next, in the 函 layout of GB/T 9704.
 */
import { type FileChild, type Paragraph } from 'docx';
import {
  addressee,
  blankLine,
  body,
  dateOrBlank,
  flushRight,
  formatDate,
  packDocument,
  show,
  signature,
  title,
  type DateLike,
  type Optional,
} from './style.js';

export type ComplaintOutcome = 'violation_confirmed' | 'no_violation' | 'not_accepted' | 'transferred';

export interface ComplaintReplyData {
  /** 发文字号 of the letter, e.g. "某市监竞函〔2025〕12号". */
  referenceNumber: string;
  /** The case's own number, which the reporter knows it by. */
  complaintRefNo?: Optional<string>;
  /** Whom the letter is addressed to; the complainant's name is visible only to the assigned handlers. */
  addressee?: Optional<string>;
  receivedOn?: Optional<DateLike>;
  reported: { policyName?: Optional<string>; summary?: Optional<string> };
  findings?: Optional<string>;
  outcome: { kind: ComplaintOutcome; text?: Optional<string>; transferredTo?: Optional<string> };
  contact?: Optional<{ person?: Optional<string>; phone?: Optional<string>; address?: Optional<string>; email?: Optional<string> }>;
  /** Closing formula; "特此函复。" unless given. */
  closing?: Optional<string>;
  issuingBody: string;
  issuedOn?: Optional<DateLike>;
}

export function buildComplaintReply(data: ComplaintReplyData): Promise<Buffer> {
  const children: FileChild[] = [
    flushRight(data.referenceNumber),
    blankLine(),
    ...title(letterTitle(data.reported.policyName)),
    addressee(show(data.addressee) || '举报人'),
    ...body(acknowledgement(data)),
    ...body(data.reported.summary ? `你反映：${show(data.reported.summary)}` : ''),
    ...body(data.findings ? `经核查，${show(data.findings)}` : ''),
    ...body(outcomeSentence(data.outcome)),
    ...body(data.outcome.text),
    ...body('感谢你对公平竞争审查工作的关心和支持。'),
    ...body(show(data.closing) || '特此函复。'),
    blankLine(),
    ...signature([data.issuingBody, dateOrBlank(data.issuedOn)]),
    blankLine(),
    ...contactNote(data.contact),
  ];
  return packDocument({ title: `${letterTitle(data.reported.policyName)}（${show(data.referenceNumber)}）`, children });
}

export function letterTitle(policyName: Optional<string>): string {
  const name = show(policyName);
  return name ? `关于对《${name}》有关举报事项的答复` : '关于有关举报事项的答复';
}

function acknowledgement(data: ComplaintReplyData): string {
  const when = formatDate(data.receivedOn);
  const ref = show(data.complaintRefNo);
  const name = show(data.reported.policyName);
  return (
    `你${when ? `于${when}` : ''}提交的${ref ? `（举报编号：${ref}）` : ''}` +
    `${name ? `关于《${name}》` : ''}涉嫌排除、限制竞争问题的举报材料收悉。我局依据《公平竞争审查条例》第二十二条` +
    '和《公平竞争审查条例实施办法》第三十七条、第三十八条的规定进行了处理。现将有关情况答复如下：'
  );
}

function outcomeSentence(outcome: ComplaintReplyData['outcome']): string {
  switch (outcome.kind) {
    case 'violation_confirmed':
      return '经认定，该政策措施存在违反公平竞争审查标准的问题。我局已依据《公平竞争审查条例实施办法》第四十条督促起草单位予以整改。';
    case 'no_violation':
      return '经核查，未发现该政策措施违反公平竞争审查标准。';
    case 'not_accepted':
      return '根据《公平竞争审查条例实施办法》第三十八条的规定，你反映的事项不予受理。';
    case 'transferred':
      return `你反映的事项不属于我局管辖，已移送${show(outcome.transferredTo) || '有管辖权的机关'}处理。`;
  }
}

/** 附注 under the date: "（联系人：…；联系电话：…）", with the address and email when known. */
function contactNote(contact: ComplaintReplyData['contact']): Paragraph[] {
  const parts = [
    `联系人：${show(contact?.person)}`,
    `联系电话：${show(contact?.phone)}`,
    ...(contact?.address ? [`通信地址：${show(contact.address)}`] : []),
    ...(contact?.email ? [`电子邮箱：${show(contact.email)}`] : []),
  ];
  return body(`（${parts.join('；')}）`);
}
