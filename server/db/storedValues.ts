/** Small conversions every repository needs between the domain's values and the store's documents. */

/**
 * The value as the store will hold it: JSON drops `undefined` members as `canonicalJson` does, where the driver
 * would store them as null, so what is stored is exactly what was hashed into an event chain.
 */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Path ids are plain strings; anything but 24 hex digits is simply not a record (404, not 400). */
export function isObjectIdHex(id: string): boolean {
  return /^[a-f0-9]{24}$/i.test(id);
}
