/**
 * Scores: account × criterion → an integer 1-10 with its evidence, author and time. Every change
 * is appended to the score's history; a score can be withdrawn (value null), which the history
 * keeps too. A batch is all-or-nothing.
 */
import { z } from "zod";
import type { Prisma, ScoringCriterion } from "../../prisma/generated/sqlite/client.ts";
import { assertCanWriteAccount, assertCanWriteAccounts } from "../auth/permissions.ts";
import { principalLabel } from "../auth/principal.ts";
import { AccountArchivedError, NotFoundError, ValidationError, VersionConflictError } from "../errors.ts";
import type { ScoreChangedEvent } from "../events.ts";
import { optionalText, parseInput } from "../validation.ts";
import type { Tx } from "./audit.ts";
import type { ServiceContext, SystemContext } from "./context.ts";

export const maxScoresPerBatch = 1000;

const scoreEntry = z.object({
  accountId: z.string(),
  criterionKey: z.string().trim().min(1, "must not be empty"),
  value: z
    .number()
    .int("must be a whole number from 1 to 10")
    .min(1, "must be from 1 to 10")
    .max(10, "must be from 1 to 10")
    .nullable(),
  evidence: optionalText(2000),
  evidenceUrl: z
    .string()
    .trim()
    .max(2000, "must be at most 2000 characters")
    .url("must be a URL such as https://…")
    .refine((url) => /^https?:\/\//i.test(url), "must be an http or https URL")
    .nullish(),
  /** The cell's version as the caller read it; a cell changed since is refused. */
  version: z.number().int("must be a whole number").min(0, "must be 0 or more").nullish(),
});

const batch = z
  .array(scoreEntry)
  .min(1, "send at least one score")
  .max(maxScoresPerBatch, `at most ${maxScoresPerBatch} scores per call`)
  .superRefine((entries, ctx) => {
    const seen = new Set<string>();
    for (const [index, entry] of entries.entries()) {
      const cell = `${entry.accountId}\u0000${entry.criterionKey}`;
      if (seen.has(cell)) {
        ctx.addIssue({
          code: "custom",
          path: [index],
          message: "the same account and criterion twice in one batch",
        });
      }
      seen.add(cell);
    }
  });

export type ScoreEntry = z.input<typeof scoreEntry>;

const withTeam = { team: { select: { userId: true } } } as const;

type Cell = { accountId: string; criterionId: string };

/**
 * Each cell's version: how many times it was set or withdrawn (its recorded changes), so it keeps
 * counting up when a score is withdrawn and set again. Cells never scored are absent (version 0).
 */
export function scoreCellVersions(
  { db }: SystemContext,
  cells: readonly Cell[],
): Promise<Map<string, number>> {
  return cellVersions(db.prisma, cells);
}

async function cellVersions(tx: Tx, cells: readonly Cell[]): Promise<Map<string, number>> {
  const versions = new Map<string, number>();
  if (!cells.length) return versions;
  const counted = await tx.scoreChange.groupBy({
    by: ["accountId", "criterionId"],
    where: {
      accountId: { in: [...new Set(cells.map((cell) => cell.accountId))] },
      criterionId: { in: [...new Set(cells.map((cell) => cell.criterionId))] },
    },
    _count: { _all: true },
  });
  for (const row of counted) versions.set(`${row.accountId}\u0000${row.criterionId}`, row._count._all);
  return versions;
}

/**
 * Sets, changes or withdraws scores. Checks every entry before writing any; a manager may only
 * score accounts on their team. Unchanged entries (same value, evidence and link) write nothing.
 * An entry with the version its cell had when read is refused when the cell changed since.
 */
export async function setScores({ db, principal, clock, events }: ServiceContext, input: ScoreEntry[]) {
  assertCanWriteAccounts(principal);
  const entries = parseInput(batch, input, "scores");
  const author = {
    authorKind: principal.kind === "user" ? ("USER" as const) : ("API_KEY" as const),
    authorId: principal.kind === "user" ? principal.user.id : principal.apiKey.id,
    authorLabel: principalLabel(principal),
  };
  const now = clock.now();
  const { scores, changes } = await db.prisma.$transaction(async (tx) => {
    const accountIds = [...new Set(entries.map((entry) => entry.accountId))].sort();
    const keys = [...new Set(entries.map((entry) => entry.criterionKey))];
    // Versions are checked and then written: the accounts' rows are locked (in one order) so
    // that two saves of the same version run one after the other, and the second sees the first.
    const lock = entries.some((entry) => entry.version != null)
      ? db.dialect.lockRows("Account", accountIds)
      : null;
    if (lock) await tx.$queryRaw(lock);
    const [accounts, criteria] = await Promise.all([
      tx.account.findMany({ where: { id: { in: accountIds } }, include: withTeam }),
      tx.scoringCriterion.findMany({ where: { key: { in: keys } } }),
    ]);
    const accountById = new Map(accounts.map((account) => [account.id, account]));
    const criterionByKey = new Map(criteria.map((criterion) => [criterion.key, criterion]));
    const unknownCriteria = entries.flatMap((entry, index) =>
      criterionByKey.has(entry.criterionKey)
        ? []
        : [{ path: `scores.${index}.criterionKey`, message: `no criterion "${entry.criterionKey}"` }],
    );
    if (unknownCriteria.length) throw new ValidationError(unknownCriteria);
    for (const accountId of accountIds) {
      const account = accountById.get(accountId);
      if (!account) throw new NotFoundError("Account", accountId);
      assertCanWriteAccount(principal, account);
      if (account.archivedAt) throw new AccountArchivedError(accountId);
    }
    const cells = {
      accountId: { in: accountIds },
      criterionId: { in: criteria.map((criterion) => criterion.id) },
    };
    const current = await tx.score.findMany({ where: cells });
    const cellOf = (accountId: string, criterionId: string) => `${accountId}\u0000${criterionId}`;
    const checked = entries.filter((entry) => entry.version !== null && entry.version !== undefined);
    if (checked.length) {
      const cellsChecked = checked.map((entry) => ({
        accountId: entry.accountId,
        criterionId: (criterionByKey.get(entry.criterionKey) as ScoringCriterion).id,
        expected: entry.version as number,
        index: entries.indexOf(entry),
      }));
      const versions = await cellVersions(tx, cellsChecked);
      for (const cell of cellsChecked) {
        const now = versions.get(cellOf(cell.accountId, cell.criterionId)) ?? 0;
        if (now !== cell.expected)
          throw new VersionConflictError(cell.expected, now, `scores.${cell.index}.version`);
      }
    }
    const currentByCell = new Map(
      current.map((score) => [cellOf(score.accountId, score.criterionId), score]),
    );
    const changes: (Prisma.ScoreChangeCreateManyInput & { criterionKey: string })[] = [];
    const sent = new Set<string>();
    for (const entry of entries) {
      const criterion = criterionByKey.get(entry.criterionKey) as ScoringCriterion;
      const cell = { accountId: entry.accountId, criterionId: criterion.id };
      sent.add(cellOf(cell.accountId, cell.criterionId));
      const before = currentByCell.get(cellOf(cell.accountId, cell.criterionId));
      const evidence = entry.evidence ?? null;
      const evidenceUrl = entry.evidenceUrl ?? null;
      if (
        (before?.value ?? null) === entry.value &&
        (entry.value === null || (before?.evidence === evidence && before?.evidenceUrl === evidenceUrl))
      ) {
        continue;
      }
      if (entry.value === null) {
        await tx.score.delete({ where: { accountId_criterionId: cell } });
      } else {
        const fields = { value: entry.value, evidence, evidenceUrl, ...author, scoredAt: now };
        await tx.score.upsert({
          where: { accountId_criterionId: cell },
          create: { ...cell, ...fields },
          update: fields,
        });
      }
      changes.push({
        ...cell,
        criterionKey: criterion.key,
        value: entry.value,
        previous: before?.value ?? null,
        evidence,
        evidenceUrl,
        ...author,
        changedAt: now,
      });
    }
    if (changes.length) {
      await tx.scoreChange.createMany({ data: changes.map(({ criterionKey: _key, ...change }) => change) });
    }
    const after = await tx.score.findMany({ where: cells, include: { criterion: true } });
    return { scores: after.filter((score) => sent.has(cellOf(score.accountId, score.criterionId))), changes };
  });
  const published: ScoreChangedEvent[] = changes.map((change) => ({
    accountId: change.accountId,
    criterionId: change.criterionId,
    criterionKey: change.criterionKey,
    value: change.value ?? null,
    previous: change.previous ?? null,
    authorLabel: change.authorLabel,
    changedAt: now.toISOString(),
  }));
  events.publishScoreChanged(published);
  return { scores, changed: published.length };
}
