/** 概况与办理: what the user can do now, then the record so far (metadata, evaluation, conclusion, publication, recheck). */
import { h, mount, formatDate, formatDateTime } from '../dom.js';
import {
  ANALYSIS_STATUS_LABELS,
  EXCEPTION_SITUATION_LABELS,
  ISSUING_LEVEL_LABELS,
  LEGAL_BASIS_KIND_LABELS,
  OUTCOME_LABELS,
  POLICY_KIND_LABELS,
  RECHECK_SOURCE_LABELS,
  labelOf,
} from '../labels.js';
import { badge, facts, section } from '../ui.js';
import { workflowPanel } from './workflow.js';
import { jointReviewSection } from './jointReview.js';
import { userName } from '../users.js';

export async function renderOverview(root, page) {
  const p = page.policy;
  const latest = (p.versions ?? []).reduce((a, v) => (!a || v.n > a.n ? v : a), null);
  const joint = await jointReviewSection(page);
  mount(root,
    section('办理', nextStepHint(p, latest), workflowPanel(page)),
    joint,
    h('div', { class: 'grid-2' },
      section('基本情况', facts([
        ['名称', p.title],
        ['性质', labelOf(POLICY_KIND_LABELS, p.kind)],
        ['制定层级', labelOf(ISSUING_LEVEL_LABELS, p.issuingLevel)],
        ['涉及行业', (p.industries ?? []).join('、')],
        ['起草单位', p.draftingDepartmentName],
        ['当前文本', latest ? `第 ${latest.n} 版 · ${latest.filename} · ${labelOf(ANALYSIS_STATUS_LABELS, latest.analysis?.status)}` : '尚未上传'],
        ['文号', p.docNumber],
      ])),
      conclusionSection(p)),
    evaluationsSection(p),
    publicationSection(p),
    recheckSection(p));
}

/** A one-line hint of what usually comes next, so the page reads as a process and not a form dump. */
function nextStepHint(p, latest) {
  const tips = {
    draft: latest ? (latest.analysis?.status === 'analysed' ? '文本已分析完成，可以开始自我审查。' : '文本正在分析，完成后可以开始自我审查。') : '请在“文本与疑似问题”中上传政策措施文本（DOCX 或 PDF）。',
    self_review: '逐一确认或排除疑似问题，并在“自我审查”中填写 19 项审查标准、征求意见情况和初审结论。',
    joint_review: '会审成员签署意见达到法定人数后，由市场监管部门作出审查结论。',
    third_party_evaluation: '等待第三方评估机构提交评估意见。',
    concluded: '审查结论已作出，出台后请登记文号和出台日期。',
    published: '政策措施已出台。',
    recheck: '复查中：起草单位需修订的，上传修订稿并完成分析后“修订后重新审查”；审查员认为无须修改的，可“复查结束（维持）”。',
  };
  return tips[p.state] ? h('p', { class: 'muted' }, tips[p.state]) : null;
}

function conclusionSection(p) {
  const c = p.conclusion;
  if (!c) {
    const draft = p.selfReview?.draftConclusion;
    return section('审查结论', draft
      ? facts([['初审意见', labelOf(OUTCOME_LABELS, draft.outcome)], ['初审理由', draft.reasoning]])
      : h('p', { class: 'muted' }, '尚未作出审查结论。'));
  }
  const tone = c.outcome === 'non_compliant' ? 'danger' : c.outcome === 'exception' ? 'warning' : 'success';
  const e = c.exception;
  return section('审查结论',
    h('p', null, badge(labelOf(OUTCOME_LABELS, c.outcome), tone)),
    facts([
      ['理由', c.reasoning],
      ['针对版本', c.versionN ? `第 ${c.versionN} 版` : ''],
      ['作出人', `${userName(c.concludedBy)} · ${formatDateTime(c.concludedAt)}${c.jointReview ? '（会审）' : ''}`],
      ...(e ? [
        ['（一）竞争影响', e.restrictiveEffect],
        ['（二）例外情形', `${labelOf(EXCEPTION_SITUATION_LABELS, e.situation)}：${e.situationExplanation ?? ''}`],
        e.situationBasis && ['情形依据', `${labelOf(LEGAL_BASIS_KIND_LABELS, e.situationBasis.kind)} ${e.situationBasis.citation ?? ''}`],
        ['（三）影响最小', e.leastRestrictive],
        ['（四）期限合理性', e.periodReasonableness],
        ['（五）其他', e.other],
        ['实施期限', e.endDate ? formatDate(e.endDate) : ''],
        ['终止条件', e.terminationCondition],
      ] : []),
    ]));
}

function evaluationsSection(p) {
  const evaluations = p.evaluations ?? [];
  if (evaluations.length === 0) return null;
  const status = { requested: badge('评估中', 'info'), submitted: badge('已提交', 'success'), cancelled: badge('已取消', 'neutral') };
  return section('第三方评估', h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
    h('thead', null, h('tr', null, h('th', null, '序号'), h('th', null, '评估机构'), h('th', null, '范围'), h('th', null, '截止'), h('th', null, '状态'), h('th', null, '评估意见'))),
    h('tbody', null, evaluations.map((e) => h('tr', null,
      h('td', null, e.n),
      h('td', null, userName(e.evaluatorId)),
      h('td', null, e.scope),
      h('td', { class: 'nowrap' }, formatDateTime(e.deadline)),
      h('td', null, status[e.status] ?? e.status),
      h('td', null, e.summary ?? '')))))));
}

function publicationSection(p) {
  const pub = p.publication;
  if (!pub) return null;
  return section('出台情况', facts([['文号', pub.docNumber], ['出台日期', formatDate(pub.publishedOn)], ['登记时间', formatDateTime(pub.recordedAt)]]));
}

function recheckSection(p) {
  const r = p.recheck;
  if (!r) return null;
  const outcomes = { revised: '修订后重新审查', abolished: '废止', upheld: '维持' };
  return section('复查', facts([
    ['来源', labelOf(RECHECK_SOURCE_LABELS, r.source)],
    ['关联编号', r.refId],
    ['理由', r.reason],
    ['启动时间', formatDateTime(r.openedAt)],
    ['结果', r.outcome ? outcomes[r.outcome] ?? r.outcome : '进行中'],
    ['结果说明', r.closingReason],
  ]));
}
