/**
 * The precision of the figures the API shows, rounded once where they are computed, so that no
 * binary float noise (5775.620000000001) reaches a reader:
 * - amounts to the cent (2 decimals);
 * - shares of a whole (0-1), completeness, coefficients of variation: 4 decimals;
 * - percentages (0-100), percentiles, scores and score points: 2 decimals.
 * The rules themselves (classes, thresholds, rankings) work on the unrounded values.
 */

/** `value` rounded to `places` decimals, half away from zero, as its decimal writing reads. */
export function roundTo(value: number, places: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const magnitude = Math.abs(value);
  const text = String(magnitude);
  // Shifting the decimal point in the text avoids the product's own error (1.005 × 100 = 100.4999…).
  const scaled = text.includes("e") ? magnitude * 10 ** places : Number(`${text}e${places}`);
  const rounded = Math.round(scaled) / 10 ** places;
  return value < 0 ? -rounded : rounded;
}

type Rounder = {
  (value: number): number;
  (value: number | null): number | null;
};

const rounder = (places: number): Rounder =>
  ((value: number | null) => (value === null ? null : roundTo(value, places))) as Rounder;

/** An amount, to the cent. */
export const money = rounder(2);
/** A share of a whole (0-1), a completeness or a coefficient of variation: 4 decimals. */
export const share = rounder(4);
/** A percentage (0-100), a percentile, a score or score points: 2 decimals. */
export const percent = rounder(2);
