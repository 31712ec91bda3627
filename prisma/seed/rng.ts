/** Randomness and time: the demo's reference date and one seeded random stream per account. */
import { en, Faker } from "@faker-js/faker";
import type { Market } from "./texts.ts";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/**
 * The demo's "today": midnight UTC of the day it is seeded. Everything is laid out before it (the
 * last complete month is the last month of sales), so the demo never ages, and the same day gives
 * the same data.
 */
export function demoReferenceDate(asOf: Date): Date {
  return new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), asOf.getUTCDate()));
}

export class Rng {
  readonly f: Faker;

  /**
   * One faker per locale, re-seeded for each account (building a localised faker takes a while).
   * `reference` is the demo's reference instant (milliseconds), shared by every stream of a run.
   */
  constructor(
    fakers: Map<Market["locale"], Faker>,
    locale: Market["locale"],
    seed: number,
    readonly reference: number,
  ) {
    let f = fakers.get(locale);
    if (!f) {
      f = new Faker({ locale: [locale, en] });
      f.setDefaultRefDate(new Date(reference));
      fakers.set(locale, f);
    }
    f.seed(seed);
    this.f = f;
  }

  id() {
    return `c${this.f.string.alphanumeric({ length: 24, casing: "lower" })}`;
  }

  int(min: number, max: number) {
    return max <= min ? Math.round(min) : this.f.number.int({ min: Math.ceil(min), max: Math.floor(max) });
  }

  chance(probability: number) {
    return this.f.datatype.boolean({ probability: Math.min(1, Math.max(0, probability)) });
  }

  pick<T>(values: readonly T[]): T {
    return this.f.helpers.arrayElement(values);
  }

  some<T>(values: readonly T[], count: number): T[] {
    return this.f.helpers.arrayElements(values, Math.min(count, values.length));
  }

  oneOf<T extends string>(weights: Partial<Record<T, number>>): T {
    const entries = (Object.entries(weights) as [T, number][]).filter(([, weight]) => weight > 0);
    return this.f.helpers.weightedArrayElement(entries.map(([value, weight]) => ({ value, weight })));
  }

  weighted<T>(values: readonly T[], weight: (value: T) => number): T {
    const entries = values.map((value) => ({ value, weight: weight(value) })).filter((e) => e.weight > 0);
    return entries.length ? this.f.helpers.weightedArrayElement(entries) : this.pick(values);
  }

  /** An instant between two others, in office hours on a weekday where the range allows. */
  workday(from: number, to: number) {
    if (to <= from) return from;
    const day = Math.floor(this.int(from, to) / DAY) * DAY;
    const weekday = new Date(day).getUTCDay();
    const shift = weekday === 6 ? 1 : weekday === 0 ? 2 : 0;
    let at = day - shift * DAY + this.int(7 * 4, 17 * 4) * 15 * 60_000;
    if (at < from && at + DAY <= to) at += DAY;
    if (at > to && at - DAY >= from) at -= DAY;
    return Math.min(to, Math.max(from, at));
  }

  /** An amount in cents precision. */
  amount(min: number, max: number) {
    return this.int(min * 100, max * 100) / 100;
  }
}
