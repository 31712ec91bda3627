/**
 * The sales ledger: invoice lines imported from the ERP, idempotent by the ERP's line ID, rolled
 * up per account and month as they arrive.
 */
import { z } from "zod";
import { Prisma } from "../../prisma/generated/sqlite/client.ts";
import { hasScope, isAdmin } from "../auth/permissions.ts";
import type { Principal } from "../auth/principal.ts";
import type { Db } from "../db/index.ts";
import {
  ForbiddenError,
  SalesImportRejectedError,
  type SalesLineProblem,
  ValidationError,
} from "../errors.ts";
import { recordAudit, type Tx } from "./audit.ts";

export const maxLinesPerImport = 5000;

/** A line as an integrator sends it; amounts may arrive as numbers or numeric strings. */
export interface SalesLineInput {
  externalLineId: unknown;
  /** KAM's account ID (database ID, already decoded) … */
  accountId?: string | null;
  /** How the caller wrote the account ID, for messages. */
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
  netAmount: decimal("netAmount"),
  grossMargin: decimal("grossMargin"),
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
  accountRef: { id: string; label: string } | { externalId: string };
  invoiceDate: Date;
  month: string;
  product: string;
  quantity: number;
  netAmount: number;
  grossMargin: number;
  currency: string;
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
        ? { id: line.accountId as string, label: line.accountLabel ?? (line.accountId as string) }
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

async function resolveAccounts(tx: Tx, lines: ParsedLine[], problems: SalesLineProblem[]) {
  const ids = [...new Set(lines.flatMap((line) => ("id" in line.accountRef ? [line.accountRef.id] : [])))];
  const externalIds = [
    ...new Set(
      lines.flatMap((line) => ("externalId" in line.accountRef ? [line.accountRef.externalId] : [])),
    ),
  ];
  const accounts = [];
  for (const chunk of chunks(ids)) {
    accounts.push(
      ...(await tx.account.findMany({
        where: { id: { in: chunk } },
        select: { id: true, externalId: true, archivedAt: true },
      })),
    );
  }
  for (const chunk of chunks(externalIds)) {
    accounts.push(
      ...(await tx.account.findMany({
        where: { externalId: { in: chunk } },
        select: { id: true, externalId: true, archivedAt: true },
      })),
    );
  }
  const byId = new Map(accounts.map((account) => [account.id, account]));
  const byExternal = new Map(
    accounts.flatMap((account) => (account.externalId ? [[account.externalId, account]] : [])),
  );
  const resolved = new Map<number, string>();
  for (const line of lines) {
    const account =
      "id" in line.accountRef ? byId.get(line.accountRef.id) : byExternal.get(line.accountRef.externalId);
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

type MonthKey = `${string}|${string}`;

/**
 * Imports up to 5,000 invoice lines: all or nothing. Re-sending a line (same externalLineId)
 * updates it; the monthly roll-ups move by the difference, so they never need a full recount.
 */
export async function importSalesLines(
  db: Db,
  principal: Principal,
  lines: SalesLineInput[],
): Promise<ImportSummary> {
  assertCanImport(principal);
  if (lines.length === 0 || lines.length > maxLinesPerImport) {
    throw new ValidationError([
      { path: "input.lines", message: `send between 1 and ${maxLinesPerImport} lines per import` },
    ]);
  }
  const { parsed, problems } = parseLines(lines);
  return db.$transaction(
    async (tx) => {
      const accountIds = await resolveAccounts(tx, parsed, problems);
      if (problems.length) throw new SalesImportRejectedError(problems.sort((a, b) => a.index - b.index));

      const existing = new Map<string, Awaited<ReturnType<typeof tx.salesLine.findMany>>[number]>();
      const externalIds = parsed.map((line) => line.externalLineId);
      for (const chunk of chunks(externalIds)) {
        for (const row of await tx.salesLine.findMany({ where: { externalLineId: { in: chunk } } })) {
          existing.set(row.externalLineId, row);
        }
      }

      const deltas = new Map<MonthKey, { revenue: number; margin: number; lineCount: number }>();
      const addDelta = (
        accountId: string,
        month: string,
        revenue: number,
        margin: number,
        lineCount: number,
      ) => {
        const key: MonthKey = `${accountId}|${month}`;
        const delta = deltas.get(key) ?? { revenue: 0, margin: 0, lineCount: 0 };
        delta.revenue += revenue;
        delta.margin += margin;
        delta.lineCount += lineCount;
        deltas.set(key, delta);
      };

      const toCreate: Prisma.SalesLineCreateManyInput[] = [];
      const toReplace: string[] = [];
      let unchanged = 0;
      for (const line of parsed) {
        const accountId = accountIds.get(line.index) as string;
        const row = {
          externalLineId: line.externalLineId,
          accountId,
          invoiceDate: line.invoiceDate,
          month: line.month,
          product: line.product,
          quantity: line.quantity,
          netAmount: line.netAmount,
          grossMargin: line.grossMargin,
          currency: line.currency,
        };
        const before = existing.get(line.externalLineId);
        if (before) {
          const same =
            before.accountId === row.accountId &&
            before.invoiceDate.getTime() === row.invoiceDate.getTime() &&
            before.product === row.product &&
            before.quantity === row.quantity &&
            before.netAmount === row.netAmount &&
            before.grossMargin === row.grossMargin &&
            before.currency === row.currency;
          if (same) {
            unchanged += 1;
            continue;
          }
          addDelta(before.accountId, before.month, -before.netAmount, -before.grossMargin, -1);
          toReplace.push(before.id);
          toCreate.push({ ...row, id: before.id, importedAt: before.importedAt });
        } else {
          toCreate.push(row);
        }
        addDelta(accountId, line.month, line.netAmount, line.grossMargin, 1);
      }

      // A changed line is replaced whole, keeping its ID: two statements however many changed.
      for (const chunk of chunks(toReplace)) await tx.salesLine.deleteMany({ where: { id: { in: chunk } } });
      for (let start = 0; start < toCreate.length; start += 1000) {
        await tx.salesLine.createMany({ data: toCreate.slice(start, start + 1000) });
      }
      await applyRollupDeltas(tx, deltas);

      const summary: ImportSummary = {
        received: lines.length,
        created: toCreate.length - toReplace.length,
        updated: toReplace.length,
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

/** Adds the differences to the roll-ups in one statement per 500 account-months. */
async function applyRollupDeltas(
  tx: Tx,
  deltas: Map<MonthKey, { revenue: number; margin: number; lineCount: number }>,
) {
  const rows = [...deltas.entries()].filter(
    ([, delta]) => delta.lineCount !== 0 || delta.revenue !== 0 || delta.margin !== 0,
  );
  for (let start = 0; start < rows.length; start += 500) {
    const values = rows.slice(start, start + 500).map(([key, delta]) => {
      const [accountId, month] = key.split("|") as [string, string];
      return Prisma.sql`(${accountId}, ${month}, ${delta.revenue}, ${delta.margin}, ${delta.lineCount})`;
    });
    await tx.$executeRaw`
      INSERT INTO "AccountMonthlySales" ("accountId", "month", "revenue", "margin", "lineCount")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("accountId", "month") DO UPDATE SET
        "revenue" = "AccountMonthlySales"."revenue" + excluded."revenue",
        "margin" = "AccountMonthlySales"."margin" + excluded."margin",
        "lineCount" = "AccountMonthlySales"."lineCount" + excluded."lineCount"`;
  }
  // A month whose last line moved elsewhere keeps no empty roll-up behind.
  if (rows.length) {
    const keys = rows.map(([key]) => key.split("|") as [string, string]);
    const months = [...new Set(keys.map(([, month]) => month))];
    for (const accountIds of chunks([...new Set(keys.map(([accountId]) => accountId))])) {
      await tx.accountMonthlySales.deleteMany({
        where: { accountId: { in: accountIds }, month: { in: months }, lineCount: { lte: 0 } },
      });
    }
  }
}

/** Lists cut to a size every database accepts as bound parameters of one statement. */
function chunks<T>(values: T[], size = 500): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < values.length; start += size) result.push(values.slice(start, start + size));
  return result;
}
