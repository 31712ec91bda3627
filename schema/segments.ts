import {
  computeSegmentation,
  computeSegmentHistory,
  segmentMatrix,
  segmentsOf,
  triedSettings,
} from "../api/services/segments.ts";
import { Account } from "./account-ref.ts";
import { builder } from "./builder.ts";
import { analysisCost } from "./complexity.ts";
import { type Context, perRequest } from "./context.ts";
import { encodeGlobalID } from "./ids.ts";
import { inArgument } from "./input-paths.ts";

export const AbcClassEnum = builder.enumType("AbcClass", {
  description:
    "Accounts sorted by the measure, largest first. A: while the cumulative share of the accounts ranked above is below abcCutoffA (80%), so the account that crosses 80% is still A, and the largest account always is; B: while it is below abcCutoffB (95%); C: the rest, and every account with a value of 0 or less. Equal values share the class of the first of them.",
  values: ["A", "B", "C"] as const,
});
export const XyzClassEnum = builder.enumType("XyzClass", {
  description: "Regularity of monthly purchases: X steady (CV ≤ 0.10), Y variable (≤ 0.25), Z irregular.",
  values: ["X", "Y", "Z"] as const,
});
export const SegmentMeasureEnum = builder.enumType("SegmentMeasure", {
  values: ["REVENUE", "MARGIN"] as const,
});

export const SegmentSettingsInput = builder.inputType("SegmentSettingsInput", {
  description:
    "Segment settings to try instead of the stored ones, without saving them (each as `updateSettings` checks it, and the rules between them on the result); those left out keep their stored values.",
  fields: (t) => ({
    segmentMeasure: t.field({ type: SegmentMeasureEnum }),
    segmentWindowMonths: t.int({ description: "3 to 36." }),
    abcCutoffA: t.float({ description: "Above 0, at most 1, below abcCutoffB." }),
    abcCutoffB: t.float({ description: "Above 0, at most 1." }),
    xyzCutoffX: t.float({ description: "0.01 to 5, below xyzCutoffY." }),
    xyzCutoffY: t.float({ description: "0.01 to 5." }),
    xyzMinimumMonths: t.int({ description: "2 to 36, at most segmentWindowMonths." }),
  }),
});

export type SegmentSettingsArgs = typeof SegmentSettingsInput.$inferInput;

/**
 * The segmentation of every account, computed once per request for each set of settings: the
 * stored ones, or segment settings being tried.
 */
export function segmentationFor(context: Context, trial?: SegmentSettingsArgs | null) {
  const tried = triedSettings(trial);
  return perRequest(context, tried ? `segmentation:${JSON.stringify(tried)}` : "segmentation", () =>
    computeSegmentation(context, tried),
  );
}

export const SegmentWindow = builder
  .objectRef<{ from: string; to: string; months: string[] }>("SegmentWindow")
  .implement({
    fields: (t) => ({
      from: t.exposeString("from", { description: "First month, YYYY-MM." }),
      to: t.exposeString("to", { description: "Last month, YYYY-MM: the last complete month." }),
      monthCount: t.int({ resolve: (window) => window.months.length }),
    }),
  });

const AccountSegment = builder
  .objectRef<
    Awaited<ReturnType<typeof computeSegmentation>>["segments"] extends Map<string, infer S> ? S : never
  >("AccountSegment")
  .implement({
    description: "An account's ABC and XYZ classes with the numbers behind them.",
    fields: (t) => ({
      accountId: t.id({
        description: "The account's global ID.",
        resolve: (segment) => encodeGlobalID("Account", segment.accountId),
      }),
      abc: t.field({ type: AbcClassEnum, resolve: (segment) => segment.abc }),
      xyz: t.field({ type: XyzClassEnum, resolve: (segment) => segment.xyz }),
      cell: t.string({ description: "AX … CZ.", resolve: (segment) => `${segment.abc}${segment.xyz}` }),
      value: t.exposeFloat("value", {
        description: "The measure over the window, net of credit notes, to the cent.",
      }),
      share: t.exposeFloat("share", {
        description: "Value over the total of positive values, 0-1, 4 decimals; 0 for a value of 0 or less.",
      }),
      cumulativeShare: t.exposeFloat("cumulativeShare", {
        description: "Share of this account and every account ranked above it, 0-1, 4 decimals.",
      }),
      rank: t.exposeInt("rank", { description: "1 is the largest; equal values share a rank." }),
      activeMonths: t.exposeInt("activeMonths", { description: "Months of history within the window." }),
      monthlyMean: t.exposeFloat("monthlyMean", {
        nullable: true,
        description: "Mean of the monthly values over the account's history in the window, to the cent.",
      }),
      standardDeviation: t.exposeFloat("standardDeviation", {
        nullable: true,
        description: "Population standard deviation of those monthly values, to the cent.",
      }),
      coefficientOfVariation: t.exposeFloat("coefficientOfVariation", {
        nullable: true,
        description: "Standard deviation over mean, 4 decimals (XYZ compares the exact value).",
      }),
      noSalesInWindow: t.exposeBoolean("noSalesInWindow"),
      insufficientHistory: t.exposeBoolean("insufficientHistory", {
        description: "Fewer months of history than the minimum: counted as Z.",
      }),
    }),
  });

const MatrixCell = builder
  .objectRef<ReturnType<typeof segmentMatrix>[number]>("SegmentMatrixCell")
  .implement({
    fields: (t) => ({
      abc: t.field({ type: AbcClassEnum, resolve: (cell) => cell.abc }),
      xyz: t.field({ type: XyzClassEnum, resolve: (cell) => cell.xyz }),
      accountCount: t.exposeInt("accountCount"),
      value: t.exposeFloat("value", { description: "The measure of the cell's accounts, to the cent." }),
      share: t.exposeFloat("share", { description: "The cell's share of the total, 0-1, 4 decimals." }),
    }),
  });

const SegmentMatrixSettings = builder
  .objectRef<Awaited<ReturnType<typeof computeSegmentation>>["settings"]>("SegmentMatrixSettings")
  .implement({
    description: "The segment settings a matrix was made with: the stored ones, or those tried.",
    fields: (t) => ({
      segmentMeasure: t.field({ type: SegmentMeasureEnum, resolve: (settings) => settings.segmentMeasure }),
      segmentWindowMonths: t.exposeInt("segmentWindowMonths"),
      abcCutoffA: t.exposeFloat("abcCutoffA"),
      abcCutoffB: t.exposeFloat("abcCutoffB"),
      xyzCutoffX: t.exposeFloat("xyzCutoffX"),
      xyzCutoffY: t.exposeFloat("xyzCutoffY"),
      xyzMinimumMonths: t.exposeInt("xyzMinimumMonths"),
    }),
  });

const SegmentMatrix = builder
  .objectRef<Awaited<ReturnType<typeof computeSegmentation>>>("SegmentMatrix")
  .implement({
    description: "The ABC-XYZ grid over every active account.",
    fields: (t) => ({
      window: t.field({ type: SegmentWindow, resolve: (segmentation) => segmentation.window }),
      measure: t.field({ type: SegmentMeasureEnum, resolve: (segmentation) => segmentation.measure }),
      total: t.exposeFloat("total", { description: "Sum of the positive values, to the cent." }),
      settings: t.field({
        type: SegmentMatrixSettings,
        description: "The cut-offs, window and measure in force for this matrix.",
        resolve: (segmentation) => segmentation.settings,
      }),
      accountCount: t.int({ resolve: (segmentation) => segmentation.segments.size }),
      cells: t.field({
        type: [MatrixCell],
        description: "Nine cells, AX, AY, AZ, BX … CZ, empty ones included.",
        resolve: (segmentation) => segmentMatrix(segmentation),
      }),
    }),
  });

builder.queryField("segmentMatrix", (t) =>
  t.field({
    type: SegmentMatrix,
    complexity: analysisCost.segmentMatrix,
    description:
      "The ABC-XYZ matrix under the stored settings, or under segment settings tried without saving them (`settings`).",
    authScopes: { readAccounts: true },
    args: { settings: t.arg({ type: SegmentSettingsInput }) },
    resolve: (_root, args, context) => segmentationFor(context, args.settings),
  }),
);

builder.queryField("accountSegments", (t) =>
  t.field({
    type: [AccountSegment],
    complexity: analysisCost.accountSegments,
    description:
      "Every active account's classes in one list, largest first — for integrators reading segments back. Optionally only some classes.",
    authScopes: { readAccounts: true },
    args: {
      abc: t.arg({ type: [AbcClassEnum] }),
      xyz: t.arg({ type: [XyzClassEnum] }),
      settings: t.arg({
        type: SegmentSettingsInput,
        description: "Segment settings to try (see segmentMatrix).",
      }),
    },
    resolve: async (_root, args, context) =>
      segmentsOf(await inArgument("settings", () => segmentationFor(context, args.settings)), args),
  }),
);

builder.objectField(Account, "segment", (t) =>
  t.field({
    type: AccountSegment,
    nullable: true,
    description: "ABC-XYZ classes and their numbers; null for an archived account.",
    args: {
      settings: t.arg({
        type: SegmentSettingsInput,
        description: "Segment settings to try (see segmentMatrix).",
      }),
    },
    resolve: async (account, args, context) =>
      (await segmentationFor(context, args.settings)).segments.get(account.id) ?? null,
  }),
);

const SegmentHistoryEntry = builder
  .objectRef<{ month: string; abc: "A" | "B" | "C"; xyz: "X" | "Y" | "Z"; movedFrom: string | null }>(
    "SegmentHistoryEntry",
  )
  .implement({
    fields: (t) => ({
      month: t.exposeString("month", { description: "The last month of the window, YYYY-MM." }),
      abc: t.field({ type: AbcClassEnum, resolve: (entry) => entry.abc }),
      xyz: t.field({ type: XyzClassEnum, resolve: (entry) => entry.xyz }),
      cell: t.string({ resolve: (entry) => `${entry.abc}${entry.xyz}` }),
      movedFrom: t.exposeString("movedFrom", {
        nullable: true,
        description: "The cell the month before, when the account moved (e.g. AX → BY).",
      }),
    }),
  });

builder.objectField(Account, "segmentHistory", (t) =>
  t.field({
    type: [SegmentHistoryEntry],
    complexity: analysisCost.segmentHistory,
    description: "The account's ABC-XYZ cell at the end of each of the last `months` months, oldest first.",
    args: { months: t.arg.int({ defaultValue: 12, required: true }) },
    resolve: async (account, args, context) => {
      const history = await perRequest(context, `segmentHistory:${args.months}`, () =>
        computeSegmentHistory(context, args.months),
      );
      return history.get(account.id) ?? [];
    },
  }),
);
