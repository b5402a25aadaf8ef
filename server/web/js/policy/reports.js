/** 文书下载: the policy's DOCX reports (review form, annotated draft, joint-review opinion, evaluation summary). */
import { h, mount } from '../dom.js';
import { REPORT_KIND_LABELS } from '../labels.js';
import { section } from '../ui.js';
import { reportControl } from '../reportControl.js';

const KINDS = [
  { kind: 'review_form', note: '公平竞争审查表（含 19 项审查标准逐项情况）', available: () => true },
  { kind: 'annotated_draft', note: '在文本中标注疑似问题并附批注的 Word 文档', available: (p) => (p.versions ?? []).some((v) => v.analysis?.status === 'analysed'), unavailable: '尚无完成分析的文本' },
  { kind: 'joint_review_opinion', note: '会审成员意见及审查结论', available: (p) => Boolean(p.jointReview), unavailable: '该政策措施未进行会审' },
  { kind: 'evaluation_summary', note: '第三方评估情况摘要', available: (p) => (p.evaluations ?? []).length > 0, unavailable: '该政策措施未委托第三方评估' },
];

export async function renderReports(root, page) {
  mount(root, section('文书下载',
    h('p', { class: 'muted small' }, '文书按当前记录生成 Word（DOCX）文件；记录更新后重新生成即为最新内容。'),
    KINDS.map(({ kind, note, available, unavailable }) => {
      const ok = available(page.policy);
      const control = reportControl({ kind, policyId: page.id }, { signal: page.signal, disabled: !ok });
      return h('div', null,
        h('div', { class: 'report-row' },
          h('div', { class: 'name' }, h('strong', null, REPORT_KIND_LABELS[kind]), h('div', { class: 'muted small' }, ok ? note : unavailable)),
          control.status, control.button),
        control.errorSlot);
    })));
}
