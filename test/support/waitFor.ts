/**
 * Polling with a generous deadline, for tests that wait on another process (a worker, a restarted service).
 * The machine running the suite may be busy, so deadlines are far above what an idle machine needs and the
 * wait ends as soon as the condition holds; nothing waits for a fixed time.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Generous enough for a worker start, a lock expiry and a retry on a machine whose cores are all busy. */
export const PATIENT_MS = 90_000;

/**
 * Calls `probe` until it returns something other than undefined and returns that; fails after `timeoutMs`
 * naming `what` and the last value `describe` gives (for the failure message).
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = PATIENT_MS, intervalMs = 50, describe }: { timeoutMs?: number; intervalMs?: number; describe?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${describe ? ` (last: ${describe()})` : ''}`);
    await sleep(intervalMs);
  }
}
