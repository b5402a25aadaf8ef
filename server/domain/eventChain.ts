/**
 * The append-only history of a policy, complaint or spot check as a hash chain: each event's hash covers its own
 * fields and the hash of the event before it, so editing, removing or reordering any past event breaks every
 * hash after it.
 */
import { createHash } from 'node:crypto';
import type { PolicyEvent } from './policy';

/** The `prevHash` of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** What every chained history (PolicyEvent, ComplaintEvent, sealed SpotCheckEvent) has in common. */
export interface ChainEvent {
  actor: { id: string; username: string };
  action: string;
  from: string | null;
  to: string;
  at: string;
  comment: string;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type UnsealedEvent<E extends ChainEvent = PolicyEvent> = Omit<E, 'prevHash' | 'hash'>;

/**
 * JSON with object keys sorted at every level, so the same event always serialises to the same bytes whatever
 * order the store returns its keys in. Dates become ISO strings; undefined object members are dropped, as
 * JSON.stringify and the store both drop them.
 */
export function canonicalJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The hashed fields, with the defaults the store may have dropped put back (mongoose minimises an empty
 * `data` object away), so a stored event hashes as it did when it was sealed.
 */
function hashedFields(event: Omit<ChainEvent, 'hash'>): Record<string, unknown> {
  return {
    actor: { id: event.actor.id, username: event.actor.username },
    action: event.action,
    from: event.from ?? null,
    to: event.to,
    at: event.at,
    comment: event.comment ?? '',
    data: event.data ?? {},
    prevHash: event.prevHash,
  };
}

export function hashEvent(event: Omit<ChainEvent, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(hashedFields(event)), 'utf8').digest('hex');
}

export function lastHash(events: readonly Pick<ChainEvent, 'hash'>[]): string {
  return events.at(-1)?.hash ?? GENESIS_HASH;
}

/**
 * Every string of `value` as well-formed Unicode (a lone surrogate half becomes U+FFFD, exactly what the store's
 * UTF-8 encoding would make of it). Requests are refused before they get here (server/http/text.ts); this keeps
 * any other source of text from sealing a hash over something the store cannot keep.
 */
function storableText<T>(value: T): T {
  if (typeof value === 'string') return value.toWellFormed() as T;
  if (Array.isArray(value)) return value.map((item) => storableText(item)) as T;
  const isPlainObject = value !== null && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value));
  if (isPlainObject) {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key.toWellFormed(), storableText(member)])) as T;
  }
  return value;
}

/** Links a new event to the end of `events` and computes its hash over exactly what will be stored. */
export function sealEvent<E extends ChainEvent = PolicyEvent>(event: UnsealedEvent<E>, events: readonly Pick<ChainEvent, 'hash'>[]): E {
  const linked = storableText({ ...event, prevHash: lastHash(events) }) as Omit<E, 'hash'>;
  return { ...linked, hash: hashEvent(linked) } as E;
}

export type ChainVerdict =
  | { ok: true; length: number }
  | { ok: false; brokenAt: number; reason: 'prev_hash_mismatch' | 'hash_mismatch' };

/** Recomputes the chain; `brokenAt` is the index of the first event that does not verify. */
export function verifyChain(events: readonly ChainEvent[]): ChainVerdict {
  let expectedPrev = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    if (event.prevHash !== expectedPrev) return { ok: false, brokenAt: index, reason: 'prev_hash_mismatch' };
    if (event.hash !== hashEvent(event)) return { ok: false, brokenAt: index, reason: 'hash_mismatch' };
    expectedPrev = event.hash;
  }
  return { ok: true, length: events.length };
}
