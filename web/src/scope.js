/** The scope of a spot-check draw in words; departments by name when `departmentNames` (id → name) knows them all. */
import { POLICY_KIND_LABELS, labelOf } from './labels.js';
import { formatDate } from './format.js';

export function scopeText(scope, departmentNames = new Map()) {
  const parts = [];
  if (scope?.kinds?.length) parts.push(scope.kinds.map((k) => labelOf(POLICY_KIND_LABELS, k)).join('、'));
  const ids = scope?.departmentIds ?? [];
  if (ids.length) parts.push(ids.every((id) => departmentNames.has(id)) ? ids.map((id) => departmentNames.get(id)).join('、') : `${ids.length} 个起草单位`);
  if (scope?.period?.from || scope?.period?.to) parts.push(`${formatDate(scope.period.from) || '不限'} 至 ${formatDate(scope.period.to) || '不限'}出台`);
  return parts.length ? parts.join('；') : '全部已出台政策措施';
}
