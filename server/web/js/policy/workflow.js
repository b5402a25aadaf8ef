/**
 * Workflow actions (POST /policies/:id/transitions {action, rev, ...}). Only the actions the server lists in
 * `availableActions` are offered; each opens the form its command needs. The server checks everything again
 * and answers 409/403/400/422, shown in the panel in Chinese.
 */
import { h, mount, formValues, daysFromToday, today } from '../dom.js';
import { api } from '../api.js';
import {
  ACTION_LABELS,
  EXCEPTION_SITUATION_LABELS,
  LEGAL_BASIS_KIND_LABELS,
  OUTCOME_LABELS,
  RECHECK_SOURCE_LABELS,
} from '../labels.js';
import { checklistTitle, isCostItem } from '../meta.js';
import { busy, field, notice, select, toast } from '../ui.js';
import { usersWithRole } from '../users.js';

const textarea = (name, attrs = {}) => h('textarea', { name, ...attrs });
const comment = () => field('备注（可选）', textarea('comment', { rows: 2 }), { wide: true });
const reason = (label = '理由') => field(label, textarea('reason', { required: true }), { required: true, wide: true });

/** Each action: a short explanation, the fields it needs, and how the form becomes the command. */
const FORMS = {
  start_review: {
    intro: '最新版本分析完成后，开始自我审查（逐项填写 19 项审查标准）。',
    fields: () => [comment()],
  },
  request_joint_review: {
    intro: '提请联席会议会审（条例第十四条；办法第三十条至第三十三条）。须先完成自我审查（初审）。',
    async fields() {
      const members = await usersWithRole('committee_member');
      return [
        field('会审成员', members.length
          ? h('div', null, members.map((m) => h('label', { class: 'choice' },
            h('input', { type: 'checkbox', name: 'members', value: m.id, checked: true }), m.displayName || m.username,
            m.departmentName ? h('span', { class: 'muted small' }, `（${m.departmentName}）`) : null)))
          : h('input', { name: 'membersText', placeholder: '会审成员的用户编号，逗号分隔' }), { required: true, wide: true }),
        field('法定签署人数', h('input', { name: 'quorum', type: 'number', min: 1, value: Math.min(2, members.length || 2), required: true }), { required: true, hint: '达到该人数的成员签署意见后，方可作出审查结论' }),
        field('会审截止日期', h('input', { name: 'deadline', type: 'date', min: today(), value: daysFromToday(14), required: true }), { required: true }),
        comment(),
      ];
    },
    command: (v) => ({
      members: v.members?.length ? v.members : (v.membersText ?? '').split(/[,，\s]+/).filter(Boolean),
      quorum: v.quorum === '' ? undefined : Number(v.quorum),
      deadline: v.deadline || undefined,
    }),
  },
  request_evaluation: {
    intro: '委托第三方机构评估（办法第三十五条）。评估提交后回到当前审查阶段。',
    async fields() {
      const evaluators = await usersWithRole('evaluator');
      return [
        field('第三方评估机构', evaluators.length
          ? select('evaluatorId', Object.fromEntries(evaluators.map((e) => [e.id, [e.displayName || e.username, e.departmentName].filter(Boolean).join(' · ')])), { placeholder: '请选择' })
          : h('input', { name: 'evaluatorId', placeholder: '评估机构账号的用户编号' }), { required: true }),
        field('评估截止日期', h('input', { name: 'deadline', type: 'date', min: today(), value: daysFromToday(30), required: true }), { required: true }),
        field('评估范围', textarea('scope', { placeholder: '如：对第三章有关补贴条款的竞争影响进行评估' }), { required: true, wide: true }),
        comment(),
      ];
    },
    command: (v) => ({ evaluatorId: v.evaluatorId || undefined, scope: v.scope || undefined, deadline: v.deadline || undefined }),
  },
  submit_evaluation: {
    intro: '提交第三方评估意见。',
    fields: () => [field('评估意见摘要', textarea('summary', { rows: 6 }), { required: true, wide: true }), comment()],
    command: (v) => ({ summary: v.summary || undefined }),
  },
  conclude: {
    intro: '作出书面审查结论（条例第十七条）。适用例外规定的，须逐项说明（办法第二十九条）并写明实施期限或终止条件。',
    fields: (page) => concludeFields(page),
    command: concludeCommand,
  },
  publish: {
    intro: '登记政策措施出台的文号和日期。审查结论为“不符合”的，不得出台（条例第十八条）。',
    fields: () => [
      field('文号', h('input', { name: 'docNumber', placeholder: '如：X商发〔2025〕12号', required: true }), { required: true }),
      field('出台日期', h('input', { name: 'publishedOn', type: 'date', value: today(), required: true }), { required: true }),
      comment(),
    ],
    command: (v) => ({ docNumber: v.docNumber || undefined, publishedOn: v.publishedOn || undefined }),
  },
  open_recheck: {
    intro: '因举报、抽查或评估发现问题，启动对已出台政策措施的复查。',
    fields: () => [
      field('来源', select('source', RECHECK_SOURCE_LABELS, { value: 'other' })),
      field('关联编号（可选）', h('input', { name: 'refId', placeholder: '举报编号或抽查编号' })),
      reason('复查理由'),
    ],
    command: (v) => ({ source: v.source || undefined, refId: v.refId || undefined, reason: v.reason || undefined }),
  },
  resume_after_recheck: {
    intro: '上传修订后的文本并完成分析后，回到自我审查，对修订稿重新审查。',
    fields: () => [comment()],
  },
  close_recheck: {
    intro: '复查未发现须修改的问题，维持出台状态。',
    fields: () => [reason('复查结论及理由')],
    command: (v) => ({ reason: v.reason || undefined }),
  },
  abolish: {
    intro: '废止该政策措施。',
    fields: () => [reason('废止理由')],
    command: (v) => ({ reason: v.reason || undefined }),
  },
  withdraw: {
    intro: '撤回该政策措施（出台前）。',
    fields: () => [reason('撤回理由')],
    command: (v) => ({ reason: v.reason || undefined }),
  },
};

const DANGEROUS = new Set(['abolish', 'withdraw']);

/** The panel of available actions; one form opens at a time. */
export function workflowPanel(page) {
  const actions = page.actions.filter((a) => FORMS[a]);
  if (actions.length === 0) return notice('您当前没有可办理的操作。', 'info');
  const formSlot = h('div');
  const buttons = actions.map((action) => h('button', {
    type: 'button',
    class: ['btn', DANGEROUS.has(action) ? 'btn-danger' : 'btn-primary'],
    onclick: () => openForm(page, action, formSlot),
  }, ACTION_LABELS[action] ?? action));
  return h('div', null, h('div', { class: 'action-buttons' }, buttons), formSlot);
}

async function openForm(page, action, slot) {
  const spec = FORMS[action];
  const errorSlot = h('div');
  const submit = h('button', { type: 'submit', class: ['btn', DANGEROUS.has(action) ? 'btn-danger' : 'btn-primary'] }, `确认${ACTION_LABELS[action] ?? action}`);
  const form = h('form', { class: 'action-panel', novalidate: true },
    h('h3', null, ACTION_LABELS[action] ?? action),
    h('p', { class: 'muted small' }, spec.intro),
    errorSlot,
    h('div', { class: 'form-grid' }, await spec.fields(page)),
    h('div', { class: 'form-actions' }, submit, h('button', { type: 'button', class: 'btn', onclick: () => slot.replaceChildren() }, '取消')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = formValues(form);
    const command = { action, rev: page.policy.rev, ...(spec.command ? spec.command(values, form) : {}) };
    if (values.comment) command.comment = values.comment;
    const done = await busy(submit, () => api.post(`/policies/${encodeURIComponent(page.id)}/transitions`, command), { errorSlot });
    if (done) {
      toast(`已${ACTION_LABELS[action] ?? '办理'}`);
      await page.reload();
    }
  });
  mount(slot, form);
  form.querySelector('input, select, textarea')?.focus();
}

// ---------- conclude ----------

function concludeFields(page) {
  const exceptionBox = h('div', { class: 'field-wide', hidden: true },
    h('fieldset', null,
      h('legend', null, '适用例外规定的说明（办法第二十九条）'),
      h('div', { class: 'form-grid' },
        field('（一）对公平竞争的影响', textarea('restrictiveEffect'), { required: true, wide: true }),
        field('（二）适用的例外情形', select('situation', EXCEPTION_SITUATION_LABELS, { placeholder: '请选择' }), { required: true, wide: true }),
        field('情形的具体说明', textarea('situationExplanation'), { required: true, wide: true }),
        h('div', { class: 'field-wide situation-basis', hidden: true },
          h('div', { class: 'form-grid' },
            field('依据类别', select('situationBasisKind', LEGAL_BASIS_KIND_LABELS, { placeholder: '请选择' }), { required: true }),
            field('依据名称及条款', h('input', { name: 'situationBasisCitation', placeholder: '如：《中华人民共和国××法》第×条' }), { required: true }))),
        field('（三）对竞争影响最小的理由（不存在替代方案）', textarea('leastRestrictive'), { required: true, wide: true }),
        field('（四）实施期限或终止条件的合理性', textarea('periodReasonableness'), { required: true, wide: true }),
        field('（五）其他需要说明的情况', textarea('other', { placeholder: '没有的填“无”' }), { required: true, wide: true }),
        field('实施期限（截止日期）', h('input', { name: 'endDate', type: 'date', min: today() }), { hint: '与终止条件至少填写一项' }),
        field('终止条件', h('input', { name: 'terminationCondition' })))));

  const outcome = select('outcome', OUTCOME_LABELS, { placeholder: '请选择', value: page.policy.selfReview?.draftConclusion?.outcome });
  const basis = exceptionBox.querySelector('.situation-basis');
  const situation = exceptionBox.querySelector('select[name="situation"]');
  // Hidden parts are disabled too, so the form sends only what the chosen outcome needs.
  const enable = (box, on) => {
    box.hidden = !on;
    box.querySelectorAll('input, select, textarea').forEach((el) => { el.disabled = !on; });
  };
  const costWarning = costConcerns(page);
  const sync = () => {
    if (costWarning) costWarning.hidden = outcome.value !== 'compliant';
    enable(exceptionBox, outcome.value === 'exception');
    if (outcome.value === 'exception') enable(basis, situation.value === 'law_or_state_council');
  };
  outcome.addEventListener('change', sync);
  situation.addEventListener('change', sync);
  sync();

  return [
    field('审查结论', outcome, { required: true, wide: true }),
    field('结论理由', textarea('reasoning', { rows: 4, value: page.policy.selfReview?.draftConclusion?.reasoning ?? '' }), { required: true, wide: true }),
    costWarning,
    exceptionBox,
  ];
}

/** 条例10: a `compliant` conclusion may not clear a cost-* concern unless the self-review cites its legal basis. */
function costConcerns(page) {
  const answers = (page.policy.selfReview?.answers ?? []).filter((a) => isCostItem(a.itemId) && a.answer === 'yes');
  if (answers.length === 0) return null;
  return h('div', { class: 'field-wide alert alert-warning' },
    h('strong', null, '影响生产经营成本的审查项（条例第十条）'),
    h('p', null, '结论为“符合”时，以下回答“是”的事项须在自我审查中写明法律、行政法规依据或国务院批准文件：'),
    h('ul', null, answers.map((a) => h('li', null, `${a.itemId} ${checklistTitle(a.itemId)}：`,
      a.legalBasis?.citation ? `${LEGAL_BASIS_KIND_LABELS[a.legalBasis.kind] ?? ''} ${a.legalBasis.citation}` : h('strong', null, '未写明依据')))));
}

function concludeCommand(v) {
  const command = { outcome: v.outcome || undefined, reasoning: v.reasoning || undefined };
  if (v.outcome === 'exception') {
    command.exception = {
      restrictiveEffect: v.restrictiveEffect,
      situation: v.situation || undefined,
      situationExplanation: v.situationExplanation,
      leastRestrictive: v.leastRestrictive,
      periodReasonableness: v.periodReasonableness,
      other: v.other,
      ...(v.situation === 'law_or_state_council' && { situationBasis: { kind: v.situationBasisKind || undefined, citation: v.situationBasisCitation } }),
      ...(v.endDate && { endDate: v.endDate }),
      ...(v.terminationCondition && { terminationCondition: v.terminationCondition }),
    };
  }
  return command;
}
