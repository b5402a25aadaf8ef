/**
 * Chinese wording for the machine values the API uses. The words themselves are the server's one vocabulary
 * (server/domain/vocabulary.ts, bundled at build time), the same the DOCX reports and
 * the API's messages use; this module adds only what is presentation: badge tones. An unknown value is shown as
 * given, never dropped.
 */
export {
  ANALYSIS_STATUS_LABELS,
  CHECKLIST_CATEGORY_LABELS,
  COMPLAINT_ACTION_LABELS,
  COMPLAINT_STATE_LABELS,
  CONCLUSION_OUTCOME_LABELS as OUTCOME_LABELS,
  CONSULTATION_AUDIENCE_LABELS,
  DEPARTMENT_KIND_LABELS,
  FIELD_LABELS,
  EXCEPTION_SITUATION_LABELS,
  FINDING_DECISION_LABELS,
  ISSUING_LEVEL_LABELS,
  LEGAL_BASIS_KIND_LABELS,
  POLICY_ACTION_LABELS as ACTION_LABELS,
  POLICY_KIND_LABELS,
  POLICY_STATE_LABELS,
  RATING_GRADE_LABELS,
  RECHECK_SOURCE_LABELS,
  REPORT_KIND_LABELS,
  ROLE_LABELS,
  DISPOSITION_LABELS,
  SCREENING_BATCH_STATE_LABELS,
  SCREENING_DOCUMENT_STATUS_LABELS,
  SPOT_CHECK_OUTCOME_LABELS,
  VOTE_LABELS,
} from '@server/domain/vocabulary.ts';
import { FIELD_LABELS } from '@server/domain/vocabulary.ts';

/** Badge colour per state: grey = not started, blue = under review, green = done, red/amber = attention. */
export const POLICY_STATE_TONES = {
  draft: 'neutral',
  self_review: 'info',
  joint_review: 'info',
  third_party_evaluation: 'info',
  concluded: 'success',
  published: 'success',
  recheck: 'warning',
  abolished: 'danger',
  withdrawn: 'neutral',
};

export const VOTE_TONES = { approve: 'success', approve_with_changes: 'warning', reject: 'danger' };

export const ANALYSIS_STATUS_TONES = { queued: 'neutral', analysing: 'info', analysed: 'success', failed: 'danger' };

export const FINDING_DECISION_TONES = { pending: 'warning', confirmed: 'danger', dismissed: 'neutral' };

export const COMPLAINT_STATE_TONES = {
  received: 'warning',
  supplement_requested: 'warning',
  accepted: 'info',
  not_accepted: 'neutral',
  verifying: 'info',
  violation_confirmed: 'danger',
  no_violation: 'success',
  replied: 'success',
  closed: 'neutral',
  transferred: 'neutral',
};

/** A label from a table, or the value itself when the table does not know it. */
export function labelOf(table, value) {
  if (value === undefined || value === null || value === '') return '';
  return Object.hasOwn(table, value) ? table[value] : String(value);
}

// ---------- what a 422 says is missing ----------


/** '检查项 entry-1', 'cost-2 的法律依据', or the Chinese name of a field; unknown names are shown as given. */
export function missingLabel(name, checklistTitle = () => '', overrides = {}) {
  if (overrides[name]) return overrides[name];
  const item = /^checklist\.([a-z]+-\d)$/.exec(name);
  if (item) return `检查项 ${item[1]}（${checklistTitle(item[1]) || '未作答'}）的回答`;
  const basis = /^checklist\.([a-z]+-\d)\.legalBasis$/.exec(name);
  if (basis) return `检查项 ${basis[1]} 的法律、行政法规依据或国务院批准文件（条例第十条）`;
  return FIELD_LABELS[name] ?? name;
}

// ---------- what a 400 says is wrong ----------

/** The Chinese name of a request field path such as 'body.exception.endDate' or 'answers[3].note'. */
export function fieldLabel(path, overrides = {}) {
  const bare = String(path ?? '').replace(/^(body|query|params)\./, '');
  // an issue about the request as a whole, such as unknown fields at its top level (as server/domain/fieldNames.ts)
  const whole = { body: '请求内容', query: '查询参数', params: '路径参数' }[bare];
  if (whole) return whole;
  if (overrides[bare]) return overrides[bare];
  if (FIELD_LABELS[bare]) return FIELD_LABELS[bare];
  // answers[3].note, or item:flow-2.note once the form has put the item id in place of the position
  const answer = /^(?:answers(?:\[(\d+)\]|\.(\d+))|item:([a-z]+-\d))\.(\w+)/.exec(bare);
  if (answer) {
    const part = { note: '说明', answer: '回答', itemId: '审查项', findingIds: '关联疑似问题', legalBasis: '法律依据' }[answer[4]] ?? answer[4];
    return answer[3] ? `审查项 ${answer[3]} 的${part}` : `第 ${Number(answer[1] ?? answer[2]) + 1} 项回答的${part}`;
  }
  const last = bare.split('.').at(-1);
  return FIELD_LABELS[last] ?? bare;
}

/**
 * Validation messages from the schema layer are English; say them in Chinese, with the limit when the message
 * has one ("Too big: expected string to have <=200 characters" → 不能超过 200 个字). Chinese messages pass through.
 */
export function issueMessage(message) {
  const m = String(message ?? '');
  if (/[\u4e00-\u9fff]/.test(m)) return m;
  const limit = /([<>]=?)\s*(\d+)/.exec(m)?.[2];
  if (/too big|too long|at most/i.test(m)) {
    if (!limit) return '内容过长';
    return /string/i.test(m) ? `不能超过 ${limit} 个字` : /array/i.test(m) ? `最多 ${limit} 项` : `不能大于 ${limit}`;
  }
  if (/too small|at least/i.test(m)) {
    if (!limit || /string/i.test(m) && limit === '1') return '不能为空';
    return /string/i.test(m) ? `至少 ${limit} 个字` : /array/i.test(m) ? `至少 ${limit} 项` : `不能小于 ${limit}`;
  }
  if (/^Invalid option|^Invalid enum/i.test(m)) return '请从给定选项中选择';
  if (/expected string/i.test(m)) return '应为文本';
  if (/expected number|expected int/i.test(m)) return '应为数字';
  if (/expected array/i.test(m)) return '应为列表';
  if (/unrecognized key/i.test(m)) return '包含不允许的字段';
  if (/required/i.test(m)) return '必填';
  return '格式不正确';
}

/** 存量清理: the suggested disposition's badge (废止 red, 修订 amber, 需人工判断 blue, 保留 green). */
export const DISPOSITION_TONES = { abolish: 'danger', revise: 'warning', manual: 'info', keep: 'success' };
export const SCREENING_BATCH_STATE_TONES = { running: 'info', paused: 'warning', cancelled: 'neutral', completed: 'success', failed: 'danger' };
