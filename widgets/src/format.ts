/** Numbers, amounts, shares and dates in the reader's locale, through Intl. */
import { getLocale } from "./localization.ts";

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

/** One formatter per locale and kind: building an Intl formatter costs far more than using it. */
function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat>(
  key: string,
  make: (locale: string) => F,
): F {
  const id = `${getLocale()}|${key}`;
  let format = cache.get(id) as F | undefined;
  if (!format) {
    format = make(getLocale());
    cache.set(id, format);
  }
  return format;
}

const numberFormat = (key: string, options: Intl.NumberFormatOptions) =>
  cached(`n|${key}`, (locale) => new Intl.NumberFormat(locale, options));

/** An amount: two decimals, grouped (the API's amounts are exact to the cent). */
export const formatAmount = (value: number) =>
  numberFormat("amount", { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);

/** A large amount, shortened for a small space (1.2 M). */
export const formatCompactAmount = (value: number) =>
  numberFormat("compact", { notation: "compact", maximumFractionDigits: 1 }).format(value);

/** A share of a whole (0-1) as a percentage. */
export const formatShare = (value: number) =>
  numberFormat("share", { style: "percent", maximumFractionDigits: 1 }).format(value);

/** A percentage already in percent (0-100). */
export const formatPercent = (value: number) =>
  numberFormat("percent", { style: "percent", maximumFractionDigits: 1 }).format(value / 100);

export const formatNumber = (value: number, digits = 2) =>
  numberFormat(`number${digits}`, { maximumFractionDigits: digits }).format(value);

export const formatInteger = (value: number) => numberFormat("integer", {}).format(Math.round(value));

export const formatDate = (value: Date | string) =>
  cached("date", (locale) => new Intl.DateTimeFormat(locale, { dateStyle: "medium" })).format(
    typeof value === "string" ? new Date(value) : value,
  );

export const formatTime = (value: Date) =>
  cached("time", (locale) => new Intl.DateTimeFormat(locale, { timeStyle: "short" })).format(value);

/** A birthday as the API holds it: "YYYY-MM-DD", or "--MM-DD" without the year. */
export function formatBirthday(value: string): string {
  const match = /^(\d{4}|-)-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return value;
  const [, year, month, day] = match;
  const date = new Date(Date.UTC(year === "-" ? 2000 : Number(year), Number(month) - 1, Number(day)));
  const options: Intl.DateTimeFormatOptions =
    year === "-"
      ? { month: "long", day: "numeric", timeZone: "UTC" }
      : { dateStyle: "long", timeZone: "UTC" };
  return cached(`birthday|${year === "-"}`, (locale) => new Intl.DateTimeFormat(locale, options)).format(
    date,
  );
}
