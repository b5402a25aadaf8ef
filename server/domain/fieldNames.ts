/**
 * Chinese names for what an error message mentions: request fields ('exception.endDate', 'answers.3.note'),
 * preconditions a 422 lists as missing, and actions. The words are the one vocabulary's (FIELD_LABELS and the
 * action labels), so no machine name reaches a user through a message's text; the machine names stay in the
 * problem's `issues`, `problems` and `missing` for clients.
 */
import { COMPLAINT_ACTION_LABELS, FIELD_LABELS, POLICY_ACTION_LABELS } from '../../checklists/vocabulary';

const ACTIONS: Readonly<Record<string, string>> = { ...COMPLAINT_ACTION_LABELS, ...POLICY_ACTION_LABELS };

/** 'body.exception.endDate' → its label; 'answers.3.note' → 第 4 项的说明; an unknown name → 该字段. */
export function fieldName(path: string | readonly PropertyKey[]): string {
  const parts = (typeof path === 'string' ? path.split('.') : path.map(String)).filter((p) => !['body', 'query', 'params'].includes(p) && p !== '');
  const dotted = parts.join('.');
  if (FIELD_LABELS[dotted]) return FIELD_LABELS[dotted]!;
  const named = [...parts].reverse().find((p) => !/^\d+$/.test(p) && FIELD_LABELS[p]);
  if (!named) return parts.length ? '该字段' : '请求内容';
  const position = parts.find((p) => /^\d+$/.test(p));
  return position !== undefined && parts.indexOf(named) > parts.indexOf(position) ? `第 ${Number(position) + 1} 项的${FIELD_LABELS[named]}` : FIELD_LABELS[named]!;
}

export function actionName(action: string): string {
  return ACTIONS[action] ?? '此操作';
}

/** What a 422 lists as missing, in words: checklist answers are counted, findings too, the rest named. */
export function describeMissing(missing: readonly string[]): string {
  const answers = missing.filter((m) => /^checklist\.[a-z]+-\d+$/.test(m)).length;
  const bases = missing.filter((m) => /^checklist\.[a-z]+-\d+\.legalBasis$/.test(m)).length;
  const findings = missing.filter((m) => m.startsWith('finding:')).length;
  const named = missing.filter((m) => !m.startsWith('checklist.') && !m.startsWith('finding:')).map((m) => FIELD_LABELS[m] ?? fieldName(m));
  return [
    ...named,
    ...(answers ? [`${answers} 个审查项的回答`] : []),
    ...(bases ? [`${bases} 个审查项的法律、行政法规依据或国务院批准文件`] : []),
    ...(findings ? [`${findings} 处疑似问题的确认、排除或理由`] : []),
  ].join('、');
}
