/**
 * The sales ledger: invoice lines imported from the ERP, idempotent by the ERP's line ID, rolled
 * up per account and month as they arrive.
 */
import { z } from "zod";
import { Prisma, type SalesLine } from "../../prisma/generated/sqlite/client.ts";
import { hasScope, isAdmin } from "../auth/permissions.ts";
import type { Principal } from "../auth/principal.ts";
import type { Dialect, JsonColumnType } from "../db/dialect.ts";
import { newRecordIds } from "../db/record-ids.ts";
import {
  ConcurrentWriteError,
  ForbiddenError,
  SalesImportRejectedError,
  type SalesLineProblem,
  ValidationError,
} from "../errors.ts";
import { decodeGlobalId } from "../global-id.ts";
import { money } from "../precision.ts";
import { recordAudit, type Tx } from "./audit.ts";
import type { ServiceContext } from "./context.ts";

export const maxLinesPerImport = 5000;

/** A line as an integrator sends it; amounts may arrive as numbers or numeric strings. */
export interface SalesLineInput {
  externalLineId: unknown;
  /** KAM's account ID as the API shows it (a global ID) … */
  accountId?: string | null;
  /** How the caller wrote the account ID, for messages, when not as `accountId`. */
  accountLabel?: string | null;
  /** … or the ERP's account ID. */
  externalAccountId?: string | null;
  invoiceDate: unknown;
  product: unknown;
  quantity: unknown;
  netAmount: unknown;
  grossMargin: unknown;
  currency: unknown;
}

const decimal = (field: string) =>
  z.preprocess(
    (value) => (typeof value === "string" && value.trim() !== "" ? Number(value.trim()) : value),
    z.number({ message: `${field} must be a number` }).finite(`${field} must be a finite number`),
  );

/** Far below where binary floats stop holding every cent (about 9 × 10^13). */
const largestAmount = 1_000_000_000_000;

/** An amount, kept to the cent (more decimals are rounded half away from zero). */
const amount = (field: string) =>
  decimal(field)
    .refine(
      (value) => Math.abs(value) <= largestAmount,
      `${field} must be between -${largestAmount} and ${largestAmount}`,
    )
    .transform((value) => money(value));

const lineSchema = z.object({
  externalLineId: z
    .string()
    .trim()
    .min(1, "externalLineId must not be empty")
    .max(100, "externalLineId is too long"),
  invoiceDate: z
    .string({ message: "invoiceDate must be a date YYYY-MM-DD" })
    .regex(/^\d{4}-\d{2}-\d{2}$/, "invoiceDate must be a date YYYY-MM-DD")
    .refine((value) => {
      const date = new Date(`${value}T00:00:00Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
    }, "invoiceDate is not a calendar date")
    .refine((value) => value >= "1990-01-01" && value <= "2100-12-31", "invoiceDate is out of range"),
  product: z.string().trim().min(1, "product must not be empty").max(200, "product is too long"),
  quantity: decimal("quantity"),
  netAmount: amount("netAmount"),
  grossMargin: amount("grossMargin"),
  currency: z
    .string({ message: "currency must be a three-letter code such as EUR" })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, "currency must be a three-letter code such as EUR"),
});

export interface ImportSummary {
  received: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Account-months whose roll-up changed. */
  monthsTouched: number;
}

export function assertCanImport(principal: Principal): void {
  if (isAdmin(principal) || hasScope(principal, "import")) return;
  throw new ForbiddenError("Importing sales needs the import scope or an admin.");
}

interface ParsedLine {
  index: number;
  externalLineId: string;
  /** The account by KAM's ID (null when the text is not an account's ID), or by the ERP's. */
  accountRef: { id: string | null; label: string } | { externalId: string };
  invoiceDate: Date;
  month: string;
  product: string;
  quantity: number;
  netAmount: number;
  grossMargin: number;
  currency: string;
}

/** The database ID of an account's global ID; null for any other text (reported as unknown). */
function accountIdOf(globalId: string): string | null {
  const decoded = decodeGlobalId(globalId);
  return decoded?.typename === "Account" ? decoded.id : null;
}

function parseLines(lines: SalesLineInput[]): { parsed: ParsedLine[]; problems: SalesLineProblem[] } {
  const parsed: ParsedLine[] = [];
  const problems: SalesLineProblem[] = [];
  const seen = new Map<string, number>();
  lines.forEach((line, index) => {
    const externalLineId = typeof line.externalLineId === "string" ? line.externalLineId : null;
    const report = (message: string) => problems.push({ index, externalLineId, message });
    const result = lineSchema.safeParse(line);
    const hasId = !!line.accountId;
    const hasExternal = !!line.externalAccountId?.trim();
    if (hasId === hasExternal) report("give either accountId or externalAccountId");
    if (!result.success) {
      for (const issue of result.error.issues) report(issue.message);
      return;
    }
    const value = result.data;
    const first = seen.get(value.externalLineId);
    if (first !== undefined) {
      report(`externalLineId ${value.externalLineId} appears twice in this import (also line ${first + 1})`);
      return;
    }
    seen.set(value.externalLineId, index);
    if (hasId === hasExternal) return;
    parsed.push({
      index,
      externalLineId: value.externalLineId,
      accountRef: hasId
        ? {
            id: accountIdOf(line.accountId as string),
            label: line.accountLabel ?? (line.accountId as string),
          }
        : { externalId: (line.externalAccountId as string).trim() },
      invoiceDate: new Date(`${value.invoiceDate}T00:00:00Z`),
      month: value.invoiceDate.slice(0, 7),
      product: value.product,
      quantity: value.quantity,
      netAmount: value.netAmount,
      grossMargin: value.grossMargin,
      currency: value.currency,
    });
  });
  return { parsed, problems };
}

interface AccountRow {
  id: string;
  externalId: string | null;
  archivedAt: Date | null;
}

async function resolveAccounts(tx: Tx, dialect: Dialect, lines: ParsedLine[], problems: SalesLineProblem[]) {
  const ids = new Set<string>();
  const externalIds = new Set<string>();
  for (const line of lines) {
    if ("id" in line.accountRef) {
      if (line.accountRef.id) ids.add(line.accountRef.id);
    } else externalIds.add(line.accountRef.externalId);
  }
  const list = (values: Set<string>) =>
    dialect.jsonRows(
      ["text"],
      [...values].map((value) => [value]),
    );
  const accounts = await tx.$queryRaw<AccountRow[]>`
    SELECT "id", "externalId", "archivedAt" FROM "Account"
    WHERE "id" IN (${list(ids)}) OR "externalId" IN (${list(externalIds)})`;
  const byId = new Map(accounts.map((account) => [account.id, account]));
  const byExternal = new Map(
    accounts.flatMap((account) => (account.externalId ? [[account.externalId, account]] : [])),
  );
  const resolved = new Map<number, string>();
  for (const line of lines) {
    const account =
      "id" in line.accountRef
        ? line.accountRef.id === null
          ? undefined
          : byId.get(line.accountRef.id)
        : byExternal.get(line.accountRef.externalId);
    const name =
      "id" in line.accountRef
        ? `account ${line.accountRef.label}`
        : `ERP account ${line.accountRef.externalId}`;
    if (!account)
      problems.push({ index: line.index, externalLineId: line.externalLineId, message: `unknown ${name}` });
    else if (account.archivedAt) {
      problems.push({
        index: line.index,
        externalLineId: line.externalLineId,
        message: `${name} is archived`,
      });
    } else resolved.set(line.index, account.id);
  }
  return resolved;
}

/** A stored line as the import compares it. */
type StoredLine = Omit<SalesLine, "importedAt" | "updatedAt">;

async function storedLines(tx: Tx, dialect: Dialect, lines: ParsedLine[]) {
  const rows = await tx.$queryRaw<StoredLine[]>`
    SELECT "id", "externalLineId", "accountId", "invoiceDate", "month", "product", "quantity", "netAmount",
      "grossMargin", "currency"
    FROM "SalesLine"
    WHERE "externalLineId" IN (${dialect.jsonRows(
      ["text"],
      lines.map((line) => [line.externalLineId]),
    )})`;
  return new Map(rows.map((row) => [row.externalLineId, row]));
}

/** The columns of a stored line, in the order the import and the seeds write them. */
export const salesLineColumns = [
  "id",
  "externalLineId",
  "accountId",
  "invoiceDate",
  "month",
  "product",
  "quantity",
  "netAmount",
  "grossMargin",
  "currency",
  "importedAt",
  "updatedAt",
] as const;
const salesLineTypes: Record<(typeof salesLineColumns)[number], JsonColumnType> = {
  id: "text",
  externalLineId: "text",
  accountId: "text",
  invoiceDate: "timestamp",
  month: "text",
  product: "text",
  quantity: "float",
  netAmount: "float",
  grossMargin: "float",
  currency: "text",
  importedAt: "timestamp",
  updatedAt: "timestamp",
};

type MonthKey = `${string}|${string}`;

/**
 * Imports up to 5,000 invoice lines: all or nothing. Re-sending a line (same externalLineId)
 * updates it; the monthly roll-ups move by the difference, so they never need a full recount.
 */
export async function importSalesLines(
  context: ServiceContext,
  lines: SalesLineInput[],
): Promise<ImportSummary> {
  assertCanImport(context.principal);
  if (lines.length === 0 || lines.length > maxLinesPerImport) {
    throw new ValidationError([
      { path: "lines", message: `send between 1 and ${maxLinesPerImport} lines per import` },
    ]);
  }
  const { parsed, problems } = parseLines(lines);
  // Two imports of the same new lines at once: the one that stored second finds them taken and is
  // undone; run again, it sees them and counts them as they are. Only a third such loss is the
  // client's to retry.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await importOnce(context, lines, parsed, [...problems]);
    } catch (error) {
      if (!(error instanceof LinesTakenMeanwhile)) throw error;
      if (attempt === 3) throw new ConcurrentWriteError("sales lines");
    }
  }
}

/** Lines another import stored between this one's read and its write. */
class LinesTakenMeanwhile extends Error {}

async function importOnce(
  { db, principal, clock }: ServiceContext,
  lines: SalesLineInput[],
  parsed: ParsedLine[],
  problems: SalesLineProblem[],
): Promise<ImportSummary> {
  return db.prisma.$transaction(
    async (tx) => {
      const accountIds = await resolveAccounts(tx, db.dialect, parsed, problems);
      if (problems.length) throw new SalesImportRejectedError(problems.sort((a, b) => a.index - b.index));
      const existing = await storedLines(tx, db.dialect, parsed);

      const deltas = new Map<MonthKey, { revenue: number; margin: number; lineCount: number }>();
      const addDelta = (
        accountId: string,
        month: string,
        revenue: number,
        margin: number,
        lineCount: number,
      ) => {
        const key: MonthKey = `${accountId}|${month}`;
        const delta = deltas.get(key);
        if (delta) {
          delta.revenue += revenue;
          delta.margin += margin;
          delta.lineCount += lineCount;
        } else deltas.set(key, { revenue, margin, lineCount });
      };

      const now = clock.now();
      const newLineId = newRecordIds(parsed.length);
      const rows: (string | number | Date)[][] = [];
      let updated = 0;
      let unchanged = 0;
      for (const line of parsed) {
        const accountId = accountIds.get(line.index) as string;
        const before = existing.get(line.externalLineId);
        if (before) {
          const same =
            before.accountId === accountId &&
            before.invoiceDate.getTime() === line.invoiceDate.getTime() &&
            before.product === line.product &&
            before.quantity === line.quantity &&
            before.netAmount === line.netAmount &&
            before.grossMargin === line.grossMargin &&
            before.currency === line.currency;
          if (same) {
            unchanged += 1;
            continue;
          }
          addDelta(before.accountId, before.month, -before.netAmount, -before.grossMargin, -1);
          updated += 1;
        }
        // A changed line keeps its ID and import date: the upsert below leaves them as they are.
        rows.push([
          before?.id ?? newLineId(),
          line.externalLineId,
          accountId,
          line.invoiceDate,
          line.month,
          line.product,
          line.quantity,
          line.netAmount,
          line.grossMargin,
          line.currency,
          now,
          now,
        ]);
        addDelta(accountId, line.month, line.netAmount, line.grossMargin, 1);
      }

      if (rows.length) {
        // A line another import stored since it was read above is left alone by the WHERE (its
        // ID differs): the count then falls short, and this import is undone rather than counted twice.
        const written = await tx.$executeRaw`
          INSERT INTO "SalesLine" (${Prisma.raw(salesLineColumns.map((column) => `"${column}"`).join(", "))})
          ${db.dialect.jsonRows(
            salesLineColumns.map((column) => salesLineTypes[column]),
            rows,
          )}
          ON CONFLICT ("externalLineId") DO UPDATE SET
            "accountId" = excluded."accountId",
            "invoiceDate" = excluded."invoiceDate",
            "month" = excluded."month",
            "product" = excluded."product",
            "quantity" = excluded."quantity",
            "netAmount" = excluded."netAmount",
            "grossMargin" = excluded."grossMargin",
            "currency" = excluded."currency",
            "updatedAt" = excluded."updatedAt"
          WHERE "SalesLine"."id" = excluded."id"`;
        if (written !== rows.length) throw new LinesTakenMeanwhile();
      }
      await applyRollupDeltas(tx, db.dialect, deltas);

      const summary: ImportSummary = {
        received: lines.length,
        created: rows.length - updated,
        updated,
        unchanged,
        monthsTouched: deltas.size,
      };
      await recordAudit(tx, principal, {
        action: "sales.import",
        entityType: "SalesLine",
        entityId: "import",
        after: summary,
      });
      return summary;
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/** Adds the differences to the roll-ups in one statement. */
async function applyRollupDeltas(
  tx: Tx,
  dialect: Dialect,
  deltas: Map<MonthKey, { revenue: number; margin: number; lineCount: number }>,
) {
  const rows: [string, string, number, number, number][] = [];
  const emptied: [string, string][] = [];
  for (const [key, delta] of deltas) {
    if (delta.lineCount === 0 && delta.revenue === 0 && delta.margin === 0) continue;
    const [accountId, month] = key.split("|") as [string, string];
    rows.push([accountId, month, money(delta.revenue), money(delta.margin), delta.lineCount]);
    if (delta.lineCount < 0) emptied.push([accountId, month]);
  }
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "AccountMonthlySales" ("accountId", "month", "revenue", "margin", "lineCount")
    ${dialect.jsonRows(["text", "text", "float", "float", "integer"], rows)}
    ON CONFLICT ("accountId", "month") DO UPDATE SET
      "revenue" = ROUND(CAST("AccountMonthlySales"."revenue" + excluded."revenue" AS NUMERIC), 2),
      "margin" = ROUND(CAST("AccountMonthlySales"."margin" + excluded."margin" AS NUMERIC), 2),
      "lineCount" = "AccountMonthlySales"."lineCount" + excluded."lineCount"`;
  // A month whose last line moved elsewhere keeps no empty roll-up behind; only a month that lost
  // lines can be one.
  if (emptied.length) {
    await tx.$executeRaw`
      DELETE FROM "AccountMonthlySales"
      WHERE "lineCount" <= 0 AND ("accountId", "month") IN (${dialect.jsonRows(["text", "text"], emptied)})`;
  }
}
