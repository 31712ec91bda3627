/**
 * Demo sales: 24 months of invoice lines per buying account, ending with the month before the
 * reference date, and the monthly roll-ups summed from them (what the import would have written).
 *
 * The shapes are chosen so that the ABC-XYZ matrix (default settings) fills every cell and the
 * churn signals have something to find:
 * - ACTIVE accounts buy every month (steady, seasonal or irregular by turns, so that each size
 *   band holds all three regularities); some started buying recently;
 * - AT_RISK accounts either went silent 4 to 8 months ago after buying every month, or their last
 *   three months are down by 40 to 65% on the same months a year before;
 * - LOST accounts stopped buying at least 12 months before the reference date;
 * - PROSPECT accounts have no sales.
 * A few months carry a credit note (a negative line) netted into the month's total.
 *
 * Lines use a fast random stream of their own per account (Mulberry32), so that the rest of the
 * demo data stays what it was, and 100,000 lines take about a second to make.
 */
import type { AccountStatus } from "../generated/sqlite/client.ts";
import { DAY } from "./rng.ts";
import { type Industry, industryProfiles } from "./texts.ts";

/** A small, fast, seedable random stream (Mulberry32). */
export class FastRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** A cuid-looking ID: "c" and 24 lower-case letters and digits. */
  id(): string {
    let id = "c";
    for (let index = 0; index < 24; index += 1) id += alphabet[Math.floor(this.next() * 36)];
    return id;
  }
}

const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

export interface SalesLineRow {
  id: string;
  externalLineId: string;
  accountId: string;
  invoiceDate: Date;
  month: string;
  product: string;
  quantity: number;
  netAmount: number;
  grossMargin: number;
  currency: string;
  importedAt: Date;
  updatedAt: Date;
}

export interface MonthlySalesRow {
  accountId: string;
  month: string;
  revenue: number;
  margin: number;
  lineCount: number;
}

/** `count` months "YYYY-MM" ending with the month before `until`. */
export function monthsBefore(until: Date, count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const date = new Date(Date.UTC(until.getUTCFullYear(), until.getUTCMonth() - count + index, 1));
    return date.toISOString().slice(0, 7);
  });
}

/** A weekday of the month at midnight UTC (how the ERP dates invoices). */
export function invoiceDay(month: string, random: FastRandom): Date {
  let days = workdays.get(month);
  if (!days) {
    const [year, monthNumber] = month.split("-").map(Number) as [number, number];
    const count = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
    days = Array.from({ length: count }, (_, index) => {
      const date = new Date(Date.UTC(year, monthNumber - 1, index + 1));
      const weekday = date.getUTCDay();
      const shift = weekday === 6 ? (index > 0 ? -1 : 2) : weekday === 0 ? (index < count - 1 ? 1 : -2) : 0;
      return new Date(date.getTime() + shift * DAY);
    });
    workdays.set(month, days);
  }
  return days[random.int(0, days.length - 1)] as Date;
}

/** Per month, the invoice date for each day of the month (weekends moved to a weekday); shared, never mutated. */
const workdays = new Map<string, Date[]>();

/**
 * Collects lines and sums them into roll-ups, in cents so that the roll-ups are exact: the import
 * adds the same amounts as floating-point numbers, which agrees to the cent.
 */
export class SalesBook {
  readonly lines: SalesLineRow[] = [];
  /** Lines made so far, drained or not. */
  get count(): number {
    return this.counter;
  }
  private readonly sums = new Map<string, { revenue: number; margin: number; lineCount: number }>();
  private counter = 0;

  constructor(private readonly linePrefix: string) {}

  add(
    random: FastRandom,
    line: {
      accountId: string;
      month: string;
      product: string;
      quantity: number;
      cents: number;
      marginCents: number;
    },
  ) {
    this.counter += 1;
    const invoiceDate = invoiceDay(line.month, random);
    const importedAt = new Date(invoiceDate.getTime() + DAY + 2 * 3_600_000);
    this.lines.push({
      // Like a cuid, time-ordered: in creation order, so that the primary-key index grows at its end.
      id: `c${this.counter.toString(36).padStart(8, "0")}${random.id().slice(1, 17)}`,
      externalLineId: `${this.linePrefix}${String(this.counter).padStart(8, "0")}`,
      accountId: line.accountId,
      invoiceDate,
      month: line.month,
      product: line.product,
      quantity: line.quantity,
      netAmount: line.cents / 100,
      grossMargin: line.marginCents / 100,
      currency: "EUR",
      importedAt,
      updatedAt: importedAt,
    });
    const key = `${line.accountId}|${line.month}`;
    const sum = this.sums.get(key) ?? { revenue: 0, margin: 0, lineCount: 0 };
    sum.revenue += line.cents;
    sum.margin += line.marginCents;
    sum.lineCount += 1;
    this.sums.set(key, sum);
  }

  /**
   * One month of an account: `cents` net in `count` lines (plus a credit note with probability
   * `creditChance`, the positive lines then adding up to the month's net plus the credit).
   */
  addMonth(
    random: FastRandom,
    month: {
      accountId: string;
      month: string;
      cents: number;
      count: number;
      products: readonly string[];
      marginRate: number;
      creditChance: number;
    },
  ) {
    const { accountId, products, marginRate } = month;
    // A credit note is one of the month's `count` lines (a month of one line has none).
    const credit =
      month.count >= 2 && random.chance(month.creditChance)
        ? Math.round(month.cents * random.between(0.03, 0.12))
        : 0;
    const gross = month.cents + credit;
    const count = Math.max(1, credit > 0 ? month.count - 1 : month.count);
    const weights = Array.from({ length: count }, () => 0.2 + random.next() * 1.6);
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    let left = gross;
    let creditProduct = products[0] as string;
    weights.forEach((weight, index) => {
      const cents = index === count - 1 ? left : Math.floor((gross * weight) / total);
      left -= cents;
      const productIndex = random.int(0, products.length - 1);
      const product = products[productIndex] as string;
      if (index === 0) creditProduct = product;
      const unitPrice = 2_000 + productIndex * 3_700;
      this.add(random, {
        accountId,
        month: month.month,
        product,
        quantity: Math.max(1, Math.round(cents / unitPrice)),
        cents,
        marginCents: Math.round(cents * marginRate * random.between(0.85, 1.15)),
      });
    });
    if (credit > 0) {
      this.add(random, {
        accountId,
        month: month.month,
        product: creditProduct,
        quantity: -1,
        cents: -credit,
        marginCents: -Math.round(credit * marginRate),
      });
    }
  }

  /** The lines collected since the last call, for writing them in batches. */
  drain(): SalesLineRow[] {
    return this.lines.splice(0, this.lines.length);
  }

  rollups(): MonthlySalesRow[] {
    return [...this.sums.entries()].map(([key, sum]) => {
      const [accountId, month] = key.split("|") as [string, string];
      return {
        accountId,
        month,
        revenue: sum.revenue / 100,
        margin: sum.margin / 100,
        lineCount: sum.lineCount,
      };
    });
  }
}

type Regularity = "STEADY" | "SEASONAL" | "IRREGULAR";

interface Plan {
  accountId: string;
  index: number;
  status: AccountStatus;
  /** Typical monthly net in cents. */
  base: number;
  regularity: Regularity;
  /** First and last month index (0 … 23) with purchases. */
  first: number;
  last: number;
  /** From this month index on, a decline towards `declineTo` of the usual level. */
  declineFrom: number | null;
  declineTo: number;
  products: readonly string[];
  marginRate: number;
}

export interface DemoSalesAccount {
  id: string;
  status: AccountStatus;
  isKeyAccount: boolean;
  industry: string | null;
}

const demoMonths = 24;
/** The ERP line IDs of the demo's sales start with it. */
export const demoLinePrefix = "DEMO-L";
/** Lines per buying account and month, on average; tuned for about 100,000 lines in all. */
const linesPerMonth = 36;

/** The demo accounts' lines and roll-ups, from their statuses; the same for the same reference date. */
export function buildDemoSales(
  accounts: DemoSalesAccount[],
  referenceDate: Date,
): {
  lines: SalesLineRow[];
  rollups: MonthlySalesRow[];
} {
  const months = monthsBefore(referenceDate, demoMonths);
  const plans: Plan[] = [];
  accounts.forEach((account, index) => {
    if (account.status === "PROSPECT") return;
    const random = new FastRandom(700_001 + index * 7919);
    const products = industryProfiles[account.industry as Industry]?.buys ?? ["Services"];
    const base = Math.round(800_000 * Math.exp(1.25 * random.normal()) * (account.isKeyAccount ? 2.5 : 1));
    const plan: Plan = {
      accountId: account.id,
      index,
      status: account.status,
      base,
      regularity: "STEADY",
      first: 0,
      last: demoMonths - 1,
      declineFrom: null,
      declineTo: 1,
      products,
      marginRate: random.between(0.14, 0.38),
    };
    if (account.status === "ACTIVE" && random.chance(0.12)) plan.first = random.int(8, 20);
    if (account.status === "AT_RISK") {
      if (random.chance(0.5)) {
        plan.last = demoMonths - 1 - random.int(4, 8);
      } else {
        plan.declineFrom = demoMonths - random.int(5, 8);
        plan.declineTo = random.between(0.35, 0.6);
      }
    }
    if (account.status === "LOST") {
      plan.first = random.int(0, 3);
      plan.last = random.int(6, demoMonths - 13);
    }
    plans.push(plan);
  });
  // Every size band gets all three regularities: by turns down the list of active accounts.
  const active = plans.filter((plan) => plan.status === "ACTIVE").sort((a, b) => b.base - a.base);
  active.forEach((plan, rank) => {
    plan.regularity = (["STEADY", "SEASONAL", "IRREGULAR"] as const)[rank % 3] as Regularity;
  });
  for (const plan of plans) if (plan.status !== "ACTIVE") plan.regularity = "SEASONAL";

  const book = new SalesBook(demoLinePrefix);
  for (const plan of plans) {
    const random = new FastRandom(900_001 + plan.index * 104_729);
    const lineLevel = Math.max(
      3,
      Math.round(linesPerMonth * (0.45 + 0.25 * Math.log10(plan.base / 100_000))),
    );
    const phase = random.int(0, 11);
    const levels = new Map<number, number>();
    for (let m = plan.first; m <= plan.last; m += 1) {
      let level = 1;
      if (plan.regularity === "STEADY") level = 1 + 0.03 * random.normal();
      else if (plan.regularity === "SEASONAL") {
        level = 1 + 0.18 * Math.sin((2 * Math.PI * (m + phase)) / 12) + 0.05 * random.normal();
      } else {
        // Irregular: about half of the months, in lumps.
        if (!random.chance(0.55)) continue;
        level = (1 / 0.55) * random.between(0.3, 1.7);
      }
      if (plan.declineFrom !== null && m >= plan.declineFrom) {
        const progress = Math.min(1, (m - plan.declineFrom + 1) / 3);
        level *= 1 - (1 - plan.declineTo) * progress;
      }
      levels.set(m, Math.max(0.05, level));
    }
    if (plan.status === "ACTIVE") keepActive(levels, plan.first);
    for (const [m, level] of levels) {
      const cents = Math.max(1_000, Math.round(plan.base * level));
      book.addMonth(random, {
        accountId: plan.accountId,
        month: months[m] as string,
        cents,
        count: Math.max(1, Math.round(lineLevel * random.between(0.7, 1.3) * Math.min(1.6, level))),
        products: plan.products,
        marginRate: plan.marginRate,
        creditChance: 0.025,
      });
    }
  }
  return { lines: book.lines, rollups: book.rollups() };
}

/**
 * An active account must not look at risk on the day the demo is seeded: irregular buyers, who
 * buy in lumps about every other month, still bought last month, and their last three months are
 * not down by more than a fifth on the same months a year before (the risk rule flags 30%).
 */
function keepActive(levels: Map<number, number>, first: number) {
  const last = demoMonths - 1;
  const sum = (from: number) =>
    [from, from + 1, from + 2].reduce((total, m) => total + (levels.get(m) ?? 0), 0);
  if (!levels.has(last)) levels.set(last, 0.5);
  const yearBefore = last - 14;
  if (first > yearBefore) return;
  const shortfall = 0.8 * sum(yearBefore) - sum(last - 2);
  if (shortfall > 0) levels.set(last, (levels.get(last) ?? 0) + shortfall);
}
