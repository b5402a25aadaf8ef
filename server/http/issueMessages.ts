/**
 * What a request schema refused, in Chinese, naming the limit: "不能超过 200 个字" (the field's Chinese name comes
 * from domain/fieldNames.ts). A message written in Chinese in a schema is kept as it is.
 */
import type { z } from 'zod';

const hasChinese = (text: string) => /[\u4e00-\u9fff]/.test(text);
const UNIT = { string: '个字', array: '项', set: '项', file: '字节' } as Record<string, string>;

/** The limit or expectation a zod issue broke, in Chinese (without the field name). */
export function issueMessage(issue: z.core.$ZodIssue): string {
  if (hasChinese(issue.message)) return issue.message;
  switch (issue.code) {
    case 'too_big': {
      const unit = UNIT[issue.origin];
      return unit ? `不能超过 ${String(issue.maximum)} ${unit}` : `不能大于 ${String(issue.maximum)}`;
    }
    case 'too_small': {
      const unit = UNIT[issue.origin];
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return '不能为空';
      return unit ? `至少 ${String(issue.minimum)} ${unit}` : `不能小于 ${String(issue.minimum)}`;
    }
    case 'invalid_type':
      // zod keeps no input on the issue: its English message is what tells "absent" from "of the wrong type"
      if (/received undefined/.test(issue.message)) return '必填';
      return { string: '应为文本', number: '应为数字', int: '应为整数', boolean: '应为是或否', array: '应为列表', object: '应为对象' }[issue.expected as string] ?? '类型不正确';
    case 'invalid_value':
      return '请从给定选项中选择';
    case 'invalid_format':
      return { date: '应为日期（YYYY-MM-DD）', datetime: '应为日期时间' }[issue.format as string] ?? '格式不正确';
    case 'unrecognized_keys':
      return `包含不允许的字段（${issue.keys.join('、')}）`;
    case 'not_multiple_of':
      return '数值不符合要求';
    default:
      return '格式不正确';
  }
}
