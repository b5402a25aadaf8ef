/**
 * What a request schema refused, in Chinese, naming the limit: "不能超过 200 个字" (the field's Chinese name comes
 * from domain/fieldNames.ts). A message written in Chinese in a schema is kept as it is. An unknown field is named
 * as sent, with the fields accepted in its place (`unknownFieldsMessage`).
 */
import { z } from 'zod';

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
      // the request endpoints word this with unknownFieldsMessage, which also says what is accepted
      return `不认识的字段 ${quoted(issue.keys)}`;
    case 'not_multiple_of':
      return '数值不符合要求';
    default:
      return '格式不正确';
  }
}

const quoted = (names: readonly string[]) => names.map((name) => `"${name}"`).join('、');

/**
 * An unknown field and the rule it broke: 不认识的字段 "foo"：本接口只接受 title、kind、issuingLevel. `accepted` lists
 * what the object at the issue's path takes (`acceptedFields`); a nested object says 此处 for 本接口.
 */
export function unknownFieldsMessage(issue: z.core.$ZodIssueUnrecognizedKeys, accepted: readonly string[], where: 'params' | 'query' | 'body'): string {
  const what = where === 'query' ? '查询参数' : where === 'params' ? '路径参数' : '字段';
  const scope = issue.path.length === 0 ? '本接口' : '此处';
  const rule = accepted.length ? `${scope}只接受 ${accepted.join('、')}` : `${scope}不接受任何${what}`;
  return `不认识的${what} ${quoted(issue.keys)}：${rule}`;
}

/**
 * The field names the object schema at `path` accepts, `value` being the input there: optional, nullable, default
 * and pipe wrappers are looked through, and of a union the option the value fits best (the one a discriminator
 * selects fails only on the unknown fields) is followed.
 */
export function acceptedFields(schema: z.ZodType, path: readonly PropertyKey[], value: unknown): string[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodUnion) {
    const options = inner.options as readonly z.ZodType[];
    const issueCounts = options.map((option) => option.safeParse(value).error?.issues.length ?? 0);
    return acceptedFields(options[issueCounts.indexOf(Math.min(...issueCounts))]!, path, value);
  }
  const [key, ...rest] = path;
  const child = (value as Record<PropertyKey, unknown> | null | undefined)?.[key as PropertyKey];
  if (inner instanceof z.ZodObject) {
    const shape = inner.shape as Record<string, z.ZodType>;
    if (key === undefined) return Object.keys(shape);
    return shape[String(key)] ? acceptedFields(shape[String(key)]!, rest, child) : [];
  }
  if (inner instanceof z.ZodArray && key !== undefined) return acceptedFields(inner.element as z.ZodType, rest, child);
  if (inner instanceof z.ZodRecord && key !== undefined) return acceptedFields(inner.valueType as z.ZodType, rest, child);
  return [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodDefault) return unwrap(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodPipe) return unwrap(schema.in as z.ZodType);
  if (schema instanceof z.ZodLazy) return unwrap(schema.unwrap() as z.ZodType);
  return schema;
}
