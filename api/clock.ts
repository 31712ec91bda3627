/**
 * "Now", in one place. Every analysis, rule and seed asks the clock of its context instead of the
 * system time, so that tests and the demo can run as of any day.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that always says the same instant. */
export function fixedClock(at: Date | string): Clock {
  const time = new Date(at).getTime();
  if (Number.isNaN(time)) throw new Error(`not an instant: ${String(at)}`);
  return { now: () => new Date(time) };
}
