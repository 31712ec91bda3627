/**
 * Key-account selection: the criteria set's rule proposes, a person confirms. Candidates are the
 * accounts the rule would add or drop compared with today's key-account flags; confirming sets the
 * flags of the ones chosen, each audited with the score that justified it.
 */
import { z } from "zod";
import { assertAdmin } from "../auth/permissions.ts";
import { ValidationError } from "../errors.ts";
import { parseInput } from "../validation.ts";
import { recordAudit } from "./audit.ts";
import type { ServiceContext, SystemContext } from "./context.ts";
import type { CriteriaSetWithCriteria } from "./criteria-sets.ts";
import { type RankedAccount, rankAccounts } from "./score-ranking.ts";

export interface KeyAccountCandidates {
  toAdd: RankedAccount[];
  toDrop: RankedAccount[];
  keyThreshold: number | null;
}

export async function keyAccountCandidates(
  context: SystemContext,
  set: CriteriaSetWithCriteria,
): Promise<KeyAccountCandidates> {
  const ranking = await rankAccounts(context, set.id, { onlyRuleChanges: true });
  return {
    toAdd: ranking.rows.filter((row) => row.wouldBeKey),
    toDrop: ranking.rows.filter((row) => !row.wouldBeKey),
    keyThreshold: ranking.keyThreshold,
  };
}

/** Why the rule adds or drops the account, in a sentence for the person confirming. */
export function candidateReason(
  set: CriteriaSetWithCriteria,
  ranked: RankedAccount,
  keyThreshold: number | null,
  change: "ADD" | "DROP",
): string {
  const score = ranked.score?.toFixed(2);
  const rule =
    set.keyAccountRule === "TOP_N"
      ? `the top ${set.keyAccountCount}`
      : `the threshold ${set.keyAccountThreshold}`;
  if (change === "ADD") return `Scores ${score}, rank ${ranked.rank}: within ${rule}.`;
  if (ranked.status === "LOST") return "The account is lost.";
  if (ranked.score === null) return "No criterion is scored.";
  if (ranked.completeness < set.minCompleteness - 1e-9) {
    return `Only ${Math.round(ranked.completeness * 100)}% of the weight is scored; the set asks for ${Math.round(set.minCompleteness * 100)}%.`;
  }
  return `Scores ${score}, rank ${ranked.rank}: outside ${rule}${keyThreshold !== null ? ` (${keyThreshold})` : ""}.`;
}

const confirmInput = z
  .object({
    add: z.array(z.string()).max(10_000, "at most 10000 accounts").default([]),
    drop: z.array(z.string()).max(10_000, "at most 10000 accounts").default([]),
  })
  .refine((input) => input.add.length + input.drop.length > 0, "name at least one account to add or drop");

/**
 * Sets isKeyAccount on the chosen candidates. Every account named must still be a candidate of the
 * set's rule (scores may have moved since the list was shown); otherwise nothing changes.
 */
export async function confirmKeyAccounts(
  context: ServiceContext,
  set: CriteriaSetWithCriteria,
  input: z.input<typeof confirmInput>,
) {
  const { db, principal } = context;
  assertAdmin(principal);
  const { add, drop } = parseInput(confirmInput, input);
  const candidates = await keyAccountCandidates(context, set);
  const byId = new Map([...candidates.toAdd, ...candidates.toDrop].map((row) => [row.accountId, row]));
  const issues = [
    ...add.flatMap((id, index) =>
      byId.get(id)?.wouldBeKey === true
        ? []
        : [{ path: `add.${index}`, message: "not a candidate to add: the rule does not make it key" }],
    ),
    ...drop.flatMap((id, index) =>
      byId.get(id)?.wouldBeKey === false
        ? []
        : [
            {
              path: `drop.${index}`,
              message: "not a candidate to drop: the rule keeps it key or it is not key",
            },
          ],
    ),
  ];
  if (issues.length) throw new ValidationError(issues);
  return db.prisma.$transaction(async (tx) => {
    for (const [ids, isKeyAccount] of [
      [add, true],
      [drop, false],
    ] as const) {
      if (ids.length === 0) continue;
      // The flag must still be what the candidate list saw, or another confirmation got there first.
      const { count } = await tx.account.updateMany({
        where: { id: { in: ids }, isKeyAccount: !isKeyAccount, archivedAt: null },
        data: { isKeyAccount, version: { increment: 1 } },
      });
      if (count !== ids.length) {
        throw new ValidationError([
          {
            path: isKeyAccount ? "input.add" : "input.drop",
            message: "some accounts changed meanwhile; reload the candidates",
          },
        ]);
      }
      for (const id of ids) {
        const row = byId.get(id) as RankedAccount;
        await recordAudit(tx, principal, {
          action: isKeyAccount ? "account.keyAccount.add" : "account.keyAccount.drop",
          entityType: "Account",
          entityId: id,
          before: { isKeyAccount: !isKeyAccount },
          after: {
            isKeyAccount,
            criteriaSet: set.name,
            rule: set.keyAccountRule,
            score: row.score,
            rank: row.rank,
            completeness: row.completeness,
            keyThreshold: candidates.keyThreshold,
          },
        });
      }
    }
    return tx.account.findMany({ where: { id: { in: [...add, ...drop] } }, orderBy: { sortName: "asc" } });
  });
}
