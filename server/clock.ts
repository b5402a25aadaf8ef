/**
 * The time the supervision side decides with (complaint deadlines, reminders, statistics). Production uses the
 * system clock; tests inject another so that a 60-day deadline can be reached without waiting 60 days.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** The system clock moved by `shiftMs` (it keeps running). */
export function shiftedClock(shiftMs: number): Clock {
  return () => new Date(Date.now() + shiftMs);
}

/** A clock that reads `start` now and then advances with real time; `set` jumps it to another instant. */
export function settableClock(start: Date): Clock & { set(instant: Date): void } {
  let offset = start.getTime() - Date.now();
  const clock = (() => new Date(Date.now() + offset)) as Clock & { set(instant: Date): void };
  clock.set = (instant: Date) => {
    offset = instant.getTime() - Date.now();
  };
  return clock;
}
