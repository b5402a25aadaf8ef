/**
 * The one rule for text arriving from a client, applied at the edge before anything else reads it: every string
 * (and object key) must be well-formed Unicode, and is kept in Unicode normalisation form C.
 *
 * Why: JSON can carry a lone surrogate half ("\ud800"). The store's UTF-8 encoding turns it into U+FFFD, while
 * the event hash was computed over the escape, so the stored history could never verify again. Refusing it
 * (400 naming the field) keeps what is hashed identical to what is stored; NFC makes the same visible text one
 * string, so search and comparison do not depend on how a keyboard composed "é". NUL, bidirectional marks and
 * combining characters are well-formed text: the store keeps them byte for byte, and they are left alone.
 */
import { ValidationError } from '../domain/errors';

export interface MalformedText { path: string; message: string }

/** Strings anywhere in `value` in NFC; the paths of those that are not well-formed Unicode in `malformed`. */
export function normaliseText(value: unknown, where: string): { value: unknown; malformed: MalformedText[] } {
  const malformed: MalformedText[] = [];
  const walk = (item: unknown, path: string): unknown => {
    if (typeof item === 'string') {
      if (!item.isWellFormed()) {
        malformed.push({ path, message: '含有不成对的代理字符（不是合法的 Unicode 文本）' });
        return item;
      }
      return item.normalize('NFC');
    }
    if (Array.isArray(item)) return item.map((element, index) => walk(element, `${path}.${index}`));
    if (item !== null && typeof item === 'object' && !Buffer.isBuffer(item)) {
      const out: Record<string, unknown> = {};
      for (const [key, member] of Object.entries(item)) {
        if (!key.isWellFormed()) malformed.push({ path: `${path}.(键)`, message: '字段名含有不成对的代理字符' });
        // defineProperty, not assignment: a "__proto__" key must stay a key the schema sees (and refuses).
        Object.defineProperty(out, key.isWellFormed() ? key.normalize('NFC') : key, {
          value: walk(member, `${path}.${key.toWellFormed()}`),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return item;
  };
  return { value: walk(value, where), malformed };
}

/** `normaliseText`, refusing malformed text with 400 naming every field that has it. */
export function wellFormedText<T>(value: T, where: string): T {
  const { value: normalised, malformed } = normaliseText(value, where);
  if (malformed.length > 0) {
    throw new ValidationError('malformed_text', `文本不是合法的 Unicode（含有不成对的代理字符）: ${malformed.map((m) => m.path).join(', ')}`, { issues: malformed });
  }
  return normalised as T;
}
