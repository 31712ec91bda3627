/**
 * Three P, the French article's qualification of a prospect: does it need what we sell, can it pay
 * (solvency), and do we talk to whoever has the authority to decide? Each is yes, no or unknown,
 * with a note; shown beside the prospect's score.
 */
import { z } from "zod";
import { assertCanWriteAccounts } from "../auth/permissions.ts";
import { principalLabel } from "../auth/principal.ts";
import { ValidationError, VersionConflictError } from "../errors.ts";
import { notNull, optionalText, parseInput, sentFields, versionField } from "../validation.ts";
import { loadWritableAccount } from "./accounts.ts";
import { recordAudit } from "./audit.ts";
import type { ServiceContext } from "./context.ts";

export const qualificationAnswers = ["YES", "NO", "UNKNOWN"] as const;

const answer = notNull(z.enum(qualificationAnswers));
const qualifyInput = z.object({
  accountId: z.string(),
  /** The version read; required once the prospect has a qualification. */
  version: versionField.nullish(),
  need: answer,
  needNote: optionalText(1000),
  solvency: answer,
  solvencyNote: optionalText(1000),
  authority: answer,
  authorityNote: optionalText(1000),
});

export async function qualifyProspect(
  { db, principal }: ServiceContext,
  input: z.input<typeof qualifyInput>,
) {
  assertCanWriteAccounts(principal);
  const { accountId, version, ...fields } = parseInput(qualifyInput, input);
  const changes = sentFields(fields);
  return db.prisma.$transaction(async (tx) => {
    const account = await loadWritableAccount(tx, principal, accountId);
    if (account.status !== "PROSPECT") {
      throw new ValidationError([
        { path: "accountId", message: "Three P qualifies prospects; this account is not one" },
      ]);
    }
    const before = await tx.prospectQualification.findUnique({ where: { accountId } });
    if (before && version == null) {
      throw new ValidationError([
        { path: "version", message: "send the version of the qualification you read" },
      ]);
    }
    if (before && version !== before.version) throw new VersionConflictError(version ?? 0, before.version);
    const updatedByLabel = principalLabel(principal);
    const after = before
      ? await tx.prospectQualification.update({
          where: { accountId },
          data: { ...changes, updatedByLabel, version: { increment: 1 } },
        })
      : await tx.prospectQualification.create({ data: { accountId, ...changes, updatedByLabel } });
    await recordAudit(tx, principal, {
      action: "account.qualify",
      entityType: "Account",
      entityId: accountId,
      before: before ?? undefined,
      after,
    });
    return after;
  });
}
