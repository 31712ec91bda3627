import {
  ConcurrentWriteError,
  ForbiddenError,
  SalesImportRejectedError,
  ValidationError,
} from "../api/errors.ts";
import { importSalesLines, maxLinesPerImport } from "../api/services/sales-ledger.ts";
import { Account, relatedCount, relatedOf } from "./accounts.ts";
import { builder } from "./builder.ts";
import { analysisCost } from "./complexity.ts";

builder.prismaObject("SalesLine", {
  description: "One invoice line from the ERP; credit notes are negative.",
  authScopes: { readAccounts: true },
  fields: (t) => ({
    externalLineId: t.exposeString("externalLineId"),
    invoiceDate: t.string({ resolve: (line) => line.invoiceDate.toISOString().slice(0, 10) }),
    product: t.exposeString("product"),
    quantity: t.exposeFloat("quantity"),
    netAmount: t.exposeFloat("netAmount", { description: "To the cent." }),
    grossMargin: t.exposeFloat("grossMargin", { description: "To the cent." }),
    currency: t.exposeString("currency"),
  }),
});

builder.prismaObject("AccountMonthlySales", {
  description: "An account's sales in one month, kept up to date by every import.",
  authScopes: { readAccounts: true },
  fields: (t) => ({
    month: t.exposeString("month", { description: "YYYY-MM" }),
    revenue: t.exposeFloat("revenue", { description: "Net amount, credit notes deducted, to the cent." }),
    margin: t.exposeFloat("margin", { description: "Gross margin, to the cent." }),
    lineCount: t.exposeInt("lineCount"),
  }),
});

builder.objectField(Account, "monthlySales", (t) =>
  t.prismaField({
    type: ["AccountMonthlySales"],
    description: "Sales per month, oldest first; from and to are YYYY-MM, both included.",
    args: { from: t.arg.string(), to: t.arg.string() },
    resolve: async (query, account, args, context) =>
      (await relatedOf(context, account.id).monthlySales({
        ...query,
        where: { month: { ...(args.from ? { gte: args.from } : {}), ...(args.to ? { lte: args.to } : {}) } },
        orderBy: { month: "asc" },
      })) ?? [],
  }),
);

builder.objectField(Account, "salesLines", (t) =>
  t.prismaConnection({
    type: "SalesLine",
    description: "Invoice lines, newest first.",
    cursor: "id",
    totalCount: (account, _args, context) => relatedCount(context, account.id, { salesLines: true }),
    resolve: async (query, account, _args, context) =>
      (await relatedOf(context, account.id).salesLines({
        ...query,
        orderBy: [{ invoiceDate: "desc" }, { id: "desc" }],
      })) ?? [],
  }),
);

const SalesLineInput = builder.inputType("SalesLineInput", {
  description: "One invoice line. Name the account by accountId (KAM) or externalAccountId (ERP).",
  fields: (t) => ({
    externalLineId: t.string({
      required: true,
      description: "The ERP's line ID; re-sending it updates the line.",
    }),
    accountId: t.id(),
    externalAccountId: t.string(),
    invoiceDate: t.string({ required: true, description: "YYYY-MM-DD" }),
    product: t.string({ required: true, description: "Product or category." }),
    quantity: t.field({ type: "Decimal", required: true }),
    netAmount: t.field({ type: "Decimal", required: true, description: "Negative for a credit note." }),
    grossMargin: t.field({ type: "Decimal", required: true }),
    currency: t.string({ required: true, description: "ISO 4217, e.g. EUR." }),
  }),
});

const ImportSalesLinesInput = builder.inputType("ImportSalesLinesInput", {
  fields: (t) => ({
    lines: t.field({
      type: [SalesLineInput],
      required: true,
      description: `1 to ${maxLinesPerImport} lines.`,
    }),
  }),
});

const ImportSummary = builder
  .objectRef<Awaited<ReturnType<typeof importSalesLines>>>("SalesImportSummary")
  .implement({
    fields: (t) => ({
      received: t.exposeInt("received"),
      created: t.exposeInt("created"),
      updated: t.exposeInt("updated"),
      unchanged: t.exposeInt("unchanged", { description: "Lines sent again with the same values." }),
      monthsTouched: t.exposeInt("monthsTouched", { description: "Account-months whose roll-up changed." }),
    }),
  });

builder.mutationField("importSalesLines", (t) =>
  t.field({
    type: ImportSummary,
    complexity: analysisCost.importSalesLines,
    description:
      "Imports invoice lines, all or nothing; idempotent by externalLineId. Needs the import scope or an admin.",
    args: { input: t.arg({ type: ImportSalesLinesInput, required: true }) },
    errors: { types: [SalesImportRejectedError, ValidationError, ForbiddenError, ConcurrentWriteError] },
    resolve: (_root, { input }, context) =>
      importSalesLines(
        context,
        input.lines.map((line) => ({
          ...line,
          accountId:
            line.accountId === null || line.accountId === undefined ? line.accountId : String(line.accountId),
        })),
      ),
  }),
);
