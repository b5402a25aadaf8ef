/**
 * 自我审查 (PUT /policies/:id/self-review): an answer per checklist item (否 / 是 with a note and linked
 * findings; cost-* items may cite their legal basis), the consultation record (条例16) and the draft conclusion.
 * Editable by the drafting department during self-review; read-only for everyone else and afterwards.
 */
import { h, mount, formatDate, formatDateTime, formValues } from '../dom.js';
import { api } from '../api.js';
import { checklistItems, isCostItem } from '../meta.js';
import { CHECKLIST_CATEGORY_LABELS, CONSULTATION_AUDIENCE_LABELS, LEGAL_BASIS_KIND_LABELS, OUTCOME_LABELS, labelOf } from '../labels.js';
import { badge, busy, facts, field, notice, section, select, toast } from '../ui.js';

const ANSWER_LABELS = { no: '否', yes: '是' };

export async function renderSelfReview(root, page) {
  const review = page.policy.selfReview;
  const editable = page.recordActions.includes('update_self_review');
  // the items and their titles come from the server (GET /meta); without them there is no form to show
  const [items, findings] = await Promise.all([checklistItems(), latestFindings(page)]);
  if (!editable) {
    mount(root, readOnly(page, review, findings, items));
    return;
  }
  mount(root, editForm(page, review, findings, items));
}

async function latestFindings(page) {
  if (!page.policy.latestVersion) return [];
  try {
    return (await api.get(`/policies/${encodeURIComponent(page.id)}/findings`)).items ?? [];
  } catch {
    return []; // the form works without them; linking findings is then unavailable
  }
}

const byItem = (findings) => {
  const map = new Map();
  for (const f of findings) map.set(f.itemId, [...(map.get(f.itemId) ?? []), f]);
  return map;
};

const findingLabel = (f) => `${f.path || '未识别位置'}：${(f.text ?? '').slice(0, 40)}${(f.text ?? '').length > 40 ? '…' : ''}`;

// ---------- editing ----------

function editForm(page, review, findings, items) {
  const answers = new Map((review?.answers ?? []).map((a) => [a.itemId, a]));
  const findingsByItem = byItem(findings.filter((f) => f.decision?.status !== 'dismissed'));
  const stale = review && page.policy.latestVersion && review.versionN !== page.policy.latestVersion;
  const errorSlot = h('div');
  const progress = h('span');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, '保存自我审查');
  const rows = [];
  let category = '';
  for (const item of items) {
    if (item.category !== category) {
      category = item.category;
      rows.push(h('tr', { class: 'category-row' }, h('td', { colspan: 4 }, labelOf(CHECKLIST_CATEGORY_LABELS, category))));
    }
    rows.push(itemRow(item, answers.get(item.id), findingsByItem.get(item.id) ?? []));
  }

  const c = review?.consultation ?? {};
  const draft = review?.draftConclusion ?? {};
  const form = h('form', { novalidate: true },
    stale && notice(`以下回答针对第 ${review.versionN} 版；文本已更新为第 ${page.policy.latestVersion} 版，请对照新版本复核后重新保存。`, 'warning'),
    section(`逐项审查（${items.length} 项审查标准）`,
      h('p', { class: 'muted small' }, '对照政策措施文本逐项判断是否含有限制竞争的内容。回答“是”的须说明理由，并可关联相应的疑似问题。'),
      h('div', { class: 'form-actions' }, progress,
        h('button', { type: 'button', class: 'btn btn-sm', onclick: () => fillNo(form, items) }, '未作答且无待审疑似问题的各项填“否”')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table checklist-table' },
        h('thead', null, h('tr', null, h('th', null, '审查项'), h('th', null, '是否涉及'), h('th', null, '说明'), h('th', null, '关联疑似问题'))),
        h('tbody', null, rows)))),
    section('征求意见情况（条例第十六条）',
      h('div', { class: 'form-grid' },
        field('征求意见对象', h('div', null, Object.entries(CONSULTATION_AUDIENCE_LABELS).map(([value, label]) =>
          h('label', { class: 'choice' }, h('input', { type: 'checkbox', name: 'audiences', value, checked: (c.audiences ?? []).includes(value) }), label))), { wide: true }),
        field('征求意见方式', h('input', { name: 'channel', value: c.channel ?? '', placeholder: '如：座谈会、书面征求意见、政府网站公开征求意见' })),
        field('开始日期', h('input', { name: 'startDate', type: 'date', value: c.startDate ? formatDate(c.startDate) : '' })),
        field('结束日期', h('input', { name: 'endDate', type: 'date', value: c.endDate ? formatDate(c.endDate) : '' })),
        field('收到的意见', h('textarea', { name: 'feedback', value: c.feedback ?? '' }), { wide: true }),
        field('意见采纳情况', h('textarea', { name: 'adoption', value: c.adoption ?? '', placeholder: '采纳情况及未采纳的理由' }), { wide: true }),
        field('保密说明', h('textarea', { name: 'confidentialityNote', value: c.confidentialityNote ?? '', rows: 2 }), { wide: true, hint: '涉及国家秘密等不宜征求意见的，说明理由（此时可不选征求意见对象）' }))),
    section('初审结论',
      h('div', { class: 'form-grid' },
        field('初审意见', select('draftOutcome', OUTCOME_LABELS, { value: draft.outcome, placeholder: '请选择' }), { wide: true }),
        field('理由', h('textarea', { name: 'draftReasoning', value: draft.reasoning ?? '', rows: 4 }), { wide: true }))),
    errorSlot,
    h('div', { class: 'form-actions' }, submit,
      review?.updatedAt && h('span', { class: 'muted small' }, `上次保存：${formatDateTime(review.updatedAt)}`)));

  const updateProgress = () => {
    const answered = items.filter((item) => form.querySelector(`input[name="answer-${item.id}"]:checked`)).length;
    mount(progress, badge(`已作答 ${answered} / ${items.length}`, answered === items.length ? 'success' : 'warning'));
  };
  form.addEventListener('change', (event) => {
    const name = event.target.name ?? '';
    if (name.startsWith('answer-')) toggleYes(form, name.slice('answer-'.length));
    updateProgress();
  });
  for (const item of items) toggleYes(form, item.id);
  updateProgress();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { rev: page.policy.rev, ...collect(form, items) };
    const unexplained = body.answers.filter((a) => a.answer === 'yes' && !a.note).map((a) => a.itemId);
    if (unexplained.length) {
      mount(errorSlot, h('div', { class: 'alert alert-error' }, `回答“是”的审查项须说明理由：${unexplained.join('、')}`));
      return;
    }
    const save = async () => {
      try {
        return await api.put(`/policies/${encodeURIComponent(page.id)}/self-review`, body);
      } catch (err) {
        // name the checklist item instead of its position in the request
        for (const issue of err.issues ?? []) {
          issue.path = String(issue.path ?? '').replace(/^(?:body\.)?answers(?:\[(\d+)\]|\.(\d+))/, (m, a, b) => {
            const answer = body.answers[Number(a ?? b)];
            return answer ? `item:${answer.itemId}` : m;
          });
        }
        throw err;
      }
    };
    const saved = await busy(submit, save, { errorSlot, busyText: '正在保存…' });
    if (saved) {
      toast('自我审查已保存');
      await page.reload();
    }
  });
  return form;
}

function itemRow(item, answer, findings) {
  const id = item.id;
  const open = findings.filter((f) => (f.decision?.status ?? 'pending') === 'pending').length;
  const confirmed = findings.filter((f) => f.decision?.status === 'confirmed').length;
  const linked = new Set(answer?.findingIds ?? []);
  return h('tr', { dataset: { item: id } },
    h('td', { style: { width: '32%' } },
      h('strong', null, id), ' ', item.title,
      h('div', { class: 'muted small' }, [item.basis.regulation, ...item.basis.measures].join('；')),
      h('details', { class: 'small' }, h('summary', null, '具体情形'),
        h('ol', { class: 'sub-items' }, item.subItems.map((s) => h('li', null, s.text)))),
      (open > 0 || confirmed > 0) && h('div', null,
        confirmed > 0 && badge(`已确认问题 ${confirmed}`, 'danger'), ' ',
        open > 0 && badge(`待审疑似问题 ${open}`, 'warning'))),
    h('td', { class: 'answer-cell' }, Object.entries(ANSWER_LABELS).map(([value, label]) =>
      h('label', { class: 'choice' }, h('input', { type: 'radio', name: `answer-${id}`, value, checked: answer?.answer === value }), label))),
    h('td', null,
      h('textarea', { name: `note-${id}`, value: answer?.note ?? '', rows: 2, placeholder: '回答“是”时必填', 'aria-label': `${id} 说明` }),
      isCostItem(id) && h('div', { class: 'legal-basis', dataset: { for: id } },
        h('div', { class: 'small muted' }, '依据法律、行政法规或经国务院批准的（条例第十条），请写明：'),
        select(`basisKind-${id}`, LEGAL_BASIS_KIND_LABELS, { value: answer?.legalBasis?.kind, placeholder: '依据类别（无则不选）' }),
        h('input', { name: `basisCitation-${id}`, value: answer?.legalBasis?.citation ?? '', placeholder: '依据名称及条款', style: { marginTop: '4px' } }))),
    h('td', null, findings.length === 0
      ? h('span', { class: 'muted small' }, '无')
      : findings.map((f) => h('label', { class: 'choice small', style: { display: 'flex' } },
        h('input', { type: 'checkbox', name: `findings-${id}`, value: f.id, checked: linked.has(f.id) }), findingLabel(f)))));
}

/** The legal-basis inputs of a cost-* item only apply to a "是". */
function toggleYes(form, id) {
  const box = form.querySelector(`.legal-basis[data-for="${id}"]`);
  if (!box) return;
  const yes = form.querySelector(`input[name="answer-${id}"]:checked`)?.value === 'yes';
  box.hidden = !yes;
  box.querySelectorAll('input, select').forEach((el) => { el.disabled = !yes; });
}

function fillNo(form, items) {
  for (const item of items) {
    if (form.querySelector(`input[name="answer-${item.id}"]:checked`)) continue;
    const row = form.querySelector(`tr[data-item="${item.id}"]`);
    if (row.querySelector('.badge-warning, .badge-danger')) continue;
    form.querySelector(`input[name="answer-${item.id}"][value="no"]`).checked = true;
    toggleYes(form, item.id);
  }
  form.dispatchEvent(new Event('change'));
}

function collect(form, items) {
  const v = formValues(form);
  const answers = [];
  for (const item of items) {
    const answer = v[`answer-${item.id}`];
    if (!answer) continue;
    const entry = { itemId: item.id, answer, findingIds: v[`findings-${item.id}`] ?? [] };
    if (v[`note-${item.id}`]) entry.note = v[`note-${item.id}`];
    if (answer === 'yes' && isCostItem(item.id) && (v[`basisKind-${item.id}`] || v[`basisCitation-${item.id}`])) {
      entry.legalBasis = { kind: v[`basisKind-${item.id}`] || undefined, citation: v[`basisCitation-${item.id}`] || undefined };
    }
    answers.push(entry);
  }
  const consultationFields = ['channel', 'startDate', 'endDate', 'feedback', 'adoption', 'confidentialityNote'];
  const anyConsultation = v.audiences.length > 0 || consultationFields.some((f) => v[f]);
  const consultation = anyConsultation
    ? { audiences: v.audiences, ...Object.fromEntries(consultationFields.filter((f) => v[f]).map((f) => [f, v[f]])) }
    : null;
  const draftConclusion = v.draftOutcome ? { outcome: v.draftOutcome, reasoning: v.draftReasoning } : null;
  return { answers, consultation, draftConclusion };
}

// ---------- reading ----------

function readOnly(page, review, findings, items) {
  const intro = page.policy.state === 'draft'
    ? notice('开始自我审查后，起草单位在此逐项填写审查标准。', 'info')
    : null;
  if (!review) return h('div', null, intro, section('自我审查', h('p', { class: 'muted' }, '尚未填写自我审查。')));
  const answers = new Map(review.answers.map((a) => [a.itemId, a]));
  const findingById = new Map(findings.map((f) => [f.id, f]));
  const c = review.consultation;
  return h('div', null,
    intro,
    section(`逐项审查（针对第 ${review.versionN} 版）`,
      h('div', { class: 'table-wrap' }, h('table', { class: 'table checklist-table' },
        h('thead', null, h('tr', null, h('th', null, '审查项'), h('th', null, '是否涉及'), h('th', null, '说明'), h('th', null, '关联疑似问题'))),
        h('tbody', null, items.map((item) => {
          const a = answers.get(item.id);
          return h('tr', null,
            h('td', { style: { width: '34%' } }, h('strong', null, item.id), ' ', item.title),
            h('td', null, a ? badge(ANSWER_LABELS[a.answer], a.answer === 'yes' ? 'danger' : 'success') : badge('未作答', 'neutral')),
            h('td', null, a?.note ?? '', a?.legalBasis?.citation && h('div', { class: 'small' }, `依据：${labelOf(LEGAL_BASIS_KIND_LABELS, a.legalBasis.kind)} ${a.legalBasis.citation}`)),
            h('td', { class: 'small' }, (a?.findingIds ?? []).map((fid) => h('div', null, findingById.has(fid) ? findingLabel(findingById.get(fid)) : fid))));
        }))))),
    h('div', { class: 'grid-2' },
      section('征求意见情况', c ? facts([
        ['对象', (c.audiences ?? []).map((x) => labelOf(CONSULTATION_AUDIENCE_LABELS, x)).join('、') || '未征求意见'],
        ['方式', c.channel],
        ['期间', c.startDate || c.endDate ? `${formatDate(c.startDate)} 至 ${formatDate(c.endDate)}` : ''],
        ['收到的意见', c.feedback],
        ['采纳情况', c.adoption],
        ['保密说明', c.confidentialityNote],
      ]) : h('p', { class: 'muted' }, '未填写。')),
      section('初审结论', review.draftConclusion
        ? facts([['意见', labelOf(OUTCOME_LABELS, review.draftConclusion.outcome)], ['理由', review.draftConclusion.reasoning], ['保存时间', formatDateTime(review.updatedAt)]])
        : h('p', { class: 'muted' }, '未填写。'))));
}
