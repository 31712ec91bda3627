/** Scores, their history, the score matrix's cells and live score changes (api/services/scores.ts). */
import { filter, pipe } from "graphql-yoga";
import type { ScoreChangedEvent } from "../api/events.ts";
import type { CriteriaSetWithCriteria } from "../api/services/criteria-sets.ts";
import type { RankedAccount, ScoreCell } from "../api/services/score-ranking.ts";
import { type ScoreEntry, scoreCellVersions, setScores } from "../api/services/scores.ts";
import { Account, accountById, accountOrThrow, relatedCount, relatedOf } from "./accounts.ts";
import { builder } from "./builder.ts";
import { type Context, perRequestLoader } from "./context.ts";
import { ScoringCriterion } from "./criteria-sets.ts";
import { dossierWriteErrors } from "./errors.ts";
import { decodeId, encodeGlobalID } from "./ids.ts";

const Score = builder.prismaObject("Score", {
  description: "An account's current score on a criterion.",
  authScopes: { readAccounts: true },
  fields: (t) => ({
    account: t.field({
      type: Account,
      resolve: (score, _args, context) => accountOrThrow(context, score.accountId),
    }),
    criterion: t.relation("criterion"),
    value: t.exposeInt("value", { description: "1-10" }),
    evidence: t.exposeString("evidence", { nullable: true }),
    evidenceUrl: t.exposeString("evidenceUrl", { nullable: true }),
    author: t.exposeString("authorLabel", { description: "Who scored: a user's e-mail or an API key." }),
    scoredAt: t.expose("scoredAt", { type: "DateTime" }),
  }),
});

builder.prismaNode("ScoreChange", {
  description: "One change of a score, kept for ever.",
  id: { field: "id" },
  nullable: true,
  authScopes: { readAccounts: true },
  fields: (t) => ({
    criterion: t.relation("criterion"),
    value: t.exposeInt("value", {
      nullable: true,
      description: "The new score; null when it was withdrawn.",
    }),
    previous: t.exposeInt("previous", { nullable: true }),
    evidence: t.exposeString("evidence", { nullable: true }),
    evidenceUrl: t.exposeString("evidenceUrl", { nullable: true }),
    author: t.exposeString("authorLabel"),
    changedAt: t.expose("changedAt", { type: "DateTime" }),
  }),
});

interface CellShape {
  accountId: string;
  criterion: CriteriaSetWithCriteria["weights"][number]["criterion"];
  cell: ScoreCell | undefined;
}

export const ScoreCellRef = builder.objectRef<CellShape>("ScoreCell").implement({
  description: "One criterion's score in a row of the matrix; value null means not scored (never a zero).",
  fields: (t) => ({
    criterion: t.field({ type: ScoringCriterion, resolve: (c) => c.criterion }),
    value: t.int({ nullable: true, resolve: (c) => c.cell?.value ?? null }),
    evidence: t.string({ nullable: true, resolve: (c) => c.cell?.evidence ?? null }),
    evidenceUrl: t.string({ nullable: true, resolve: (c) => c.cell?.evidenceUrl ?? null }),
    author: t.string({ nullable: true, resolve: (c) => c.cell?.authorLabel ?? null }),
    scoredAt: t.field({ type: "DateTime", nullable: true, resolve: (c) => c.cell?.scoredAt ?? null }),
    version: t.int({
      description:
        "How many times this cell was set or withdrawn (0: never scored); send it back with ScoreInput.version so a change made meanwhile is not overwritten.",
      resolve: (c, _args, context) => cellVersion(context, c.accountId, c.criterion.id),
    }),
  }),
});

const cellKey = (accountId: string, criterionId: string) => `${accountId}\u0000${criterionId}`;

/** The versions of the cells a request shows, counted in one statement. */
function cellVersion(context: Context, accountId: string, criterionId: string) {
  return perRequestLoader<string, number>(context, "scoreCellVersions", async (keys) => {
    const cells = keys.map((key) => {
      const at = key.indexOf("\u0000");
      return { accountId: key.slice(0, at), criterionId: key.slice(at + 1) };
    });
    const versions = await scoreCellVersions(context, cells);
    return keys.map((key) => versions.get(key) ?? 0);
  }).load(cellKey(accountId, criterionId));
}

/** A ranked account's cells, one per criterion of the set, in column order. */
export function cellsOf(set: CriteriaSetWithCriteria, ranked: RankedAccount): CellShape[] {
  const byCriterion = new Map(ranked.cells.map((cell) => [cell.criterionId, cell]));
  return set.weights.map((entry) => ({
    accountId: ranked.accountId,
    criterion: entry.criterion,
    cell: byCriterion.get(entry.criterionId),
  }));
}

builder.objectFields(Account, (t) => ({
  scoreHistory: t.prismaConnection({
    type: "ScoreChange",
    description:
      "Every change of the account's scores, newest first; criterionKey narrows it to one criterion.",
    cursor: "id",
    args: { criterionKey: t.arg.string() },
    totalCount: (account, args, context) =>
      relatedCount(context, account.id, { scoreChanges: { where: scoreChangesOf(args.criterionKey) } }),
    resolve: async (query, account, args, context) =>
      (await relatedOf(context, account.id).scoreChanges({
        ...query,
        where: scoreChangesOf(args.criterionKey),
        orderBy: [{ changedAt: "desc" }, { id: "desc" }],
      })) ?? [],
  }),
  scores: t.prismaField({
    type: [Score],
    description: "The account's current scores on every criterion scored, in any set.",
    resolve: async (query, account, _args, context) =>
      (await relatedOf(context, account.id).scores(query)) ?? [],
  }),
}));

function scoreChangesOf(criterionKey: string | null | undefined) {
  return criterionKey ? { criterion: { key: criterionKey } } : {};
}

const ScoreInput = builder.inputType("ScoreInput", {
  fields: (t) => ({
    accountId: t.id({ required: true }),
    criterionKey: t.string({ required: true }),
    value: t.int({ description: "1-10; null withdraws the score." }),
    evidence: t.string(),
    evidenceUrl: t.string(),
    version: t.int({
      description:
        "The cell's version you read (ScoreCell.version); when given, a cell changed since is refused with VersionConflictError.",
    }),
  }),
});

const SetScoresInput = builder.inputType("SetScoresInput", {
  fields: (t) => ({ scores: t.field({ type: [ScoreInput], required: true }) }),
});

const ScoresSet = builder.objectRef<Awaited<ReturnType<typeof setScores>>>("ScoresSet").implement({
  description: "The scores after the change.",
  fields: (t) => ({
    changed: t.exposeInt("changed", {
      description: "How many scores changed (unchanged ones write nothing).",
    }),
    scores: t.field({
      type: [Score],
      description: "The current scores of the cells sent (withdrawn ones are absent).",
      resolve: (result) => result.scores,
    }),
  }),
});

function scoreEntry(input: typeof ScoreInput.$inferInput): ScoreEntry {
  return {
    accountId: decodeId(input.accountId, "Account"),
    criterionKey: input.criterionKey,
    value: input.value ?? null,
    evidence: input.evidence,
    evidenceUrl: input.evidenceUrl,
    version: input.version,
  };
}

builder.mutationFields((t) => ({
  setScore: t.field({
    type: ScoresSet,
    description:
      "Scores one account on one criterion (1-10, with evidence), or withdraws the score (value null).",
    args: { input: t.arg({ type: ScoreInput, required: true }) },
    errors: { types: dossierWriteErrors },
    resolve: (_root, { input }, context) => setScores(context, [scoreEntry(input)]),
  }),
  setScores: t.field({
    type: ScoresSet,
    description: "Up to 1000 scores at once, all or nothing.",
    args: { input: t.arg({ type: SetScoresInput, required: true }) },
    errors: { types: dossierWriteErrors },
    resolve: (_root, { input }, context) => setScores(context, input.scores.map(scoreEntry)),
  }),
}));

const ScoreChangedRef = builder.objectRef<ScoreChangedEvent>("ScoreChangedEvent").implement({
  description: "A score was set, changed or withdrawn, on any API instance.",
  fields: (t) => ({
    account: t.field({
      type: Account,
      nullable: true,
      description: "The account; null if it was deleted since.",
      resolve: (event, _args, context) => accountById(context, event.accountId),
    }),
    accountId: t.id({ resolve: (event) => encodeGlobalID("Account", event.accountId) }),
    criterionKey: t.exposeString("criterionKey"),
    value: t.int({ nullable: true, resolve: (event) => event.value }),
    previous: t.int({ nullable: true, resolve: (event) => event.previous }),
    author: t.exposeString("authorLabel"),
    changedAt: t.field({ type: "DateTime", resolve: (event) => new Date(event.changedAt) }),
  }),
});

builder.subscriptionField("scoreChanged", (t) =>
  t.field({
    type: ScoreChangedRef,
    description:
      "Score changes as they happen (server-sent events), optionally for some accounts only; re-read scoreMatrix or account.score for the new totals.",
    authScopes: { readAccounts: true },
    args: { accountIds: t.arg.idList() },
    subscribe: (_root, args, context) => {
      const ids = args.accountIds ? new Set(args.accountIds.map((id) => decodeId(id, "Account"))) : null;
      return pipe(
        context.events.scoreChanged(),
        filter((event: ScoreChangedEvent) => !ids || ids.has(event.accountId)),
      );
    },
    resolve: (event) => event,
  }),
);
