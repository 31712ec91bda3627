/** Numbers, amounts, shares and dates in the reader's locale, through Intl. */
import { getLocale } from "./localization.ts";

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const id = `${getLocale()}|n|${key}`;
  let format = cache.get(id) as Intl.NumberFormat | undefined;
  if (!format) {
    format = new Intl.NumberFormat(getLocale(), options);
    cache.set(id, format);
  }
  return format;
}

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

export function formatDate(value: Date | string): string {
  const id = `${getLocale()}|d`;
  let format = cache.get(id) as Intl.DateTimeFormat | undefined;
  if (!format) {
    format = new Intl.DateTimeFormat(getLocale(), { dateStyle: "medium" });
    cache.set(id, format);
  }
  return format.format(typeof value === "string" ? new Date(value) : value);
}

export function formatTime(value: Date): string {
  return new Intl.DateTimeFormat(getLocale(), { timeStyle: "short" }).format(value);
}
