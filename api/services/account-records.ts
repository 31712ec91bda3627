import { assertCanWriteAccounts } from "../auth/permissions.ts";
import { NotFoundError } from "../errors.ts";
import { parseInput, versionedId } from "../validation.ts";
import { loadWritableAccount } from "./accounts.ts";
import { recordAudit, type Tx } from "./audit.ts";
import { claimVersion, type VersionedDelegate } from "./concurrency.ts";
import type { ServiceContext } from "./context.ts";

/** A model whose rows belong to an account and carry a version: events, competitors, win-back actions. */
interface AccountRecordDelegate extends VersionedDelegate {
  findUnique(args: { where: { id: string } }): Promise<{ accountId: string; version: number } | null>;
  delete(args: { where: { id: string } }): Promise<unknown>;
}

/**
 * Removes one record of an account: the caller must be able to change the account, and must name
 * the version they read. Audited with the record as it was, in the same transaction.
 */
export async function removeAccountRecord<Row extends { accountId: string }>(
  { db, principal }: ServiceContext,
  input: { id: string; version: number },
  record: { entityType: string; action: string; delegate: (tx: Tx) => AccountRecordDelegate },
): Promise<Row> {
  assertCanWriteAccounts(principal);
  const { id, version } = parseInput(versionedId, input);
  return db.prisma.$transaction(async (tx) => {
    const delegate = record.delegate(tx);
    const row = (await delegate.findUnique({ where: { id } })) as Row | null;
    if (!row) throw new NotFoundError(record.entityType, id);
    await loadWritableAccount(tx, principal, row.accountId);
    await claimVersion(delegate, id, version, {});
    await delegate.delete({ where: { id } });
    await recordAudit(tx, principal, {
      action: record.action,
      entityType: record.entityType,
      entityId: id,
      before: row,
    });
    return row;
  });
}
