import { assertCanWriteAccounts } from "../auth/permissions.ts";
import type { Principal } from "../auth/principal.ts";
import { NotFoundError } from "../errors.ts";
import { parseInput, versionedId } from "../validation.ts";
import { loadWritableAccount } from "./accounts.ts";
import { recordAudit, type Tx } from "./audit.ts";
import { claimVersion, type VersionedDelegate } from "./concurrency.ts";
import type { ServiceContext } from "./context.ts";

/** A model whose rows carry a version: contacts, events, competitors, win-back actions, saved segments. */
type RecordDelegate<Row> = VersionedDelegate & {
  findUnique(args: { where: { id: string } }): Promise<Row | null>;
  findUniqueOrThrow(args: { where: { id: string } }): Promise<Row>;
  delete(args: { where: { id: string } }): Promise<unknown>;
};

interface VersionedRecord<Row extends object> {
  /** The name errors and the audit log give the record, such as "Competitor". */
  entityType: string;
  /** The audit action, such as "competitor.update". */
  action: string;
  delegate: (tx: Tx) => RecordDelegate<Row>;
  /**
   * Loads the record for a change and checks that the principal may make it. By default: the
   * record must exist and belong to an account the principal may change (not archived).
   */
  load?: (tx: Tx, principal: Principal, id: string) => Promise<Row>;
}

async function loadRecord<Row extends object>(
  tx: Tx,
  principal: Principal,
  id: string,
  record: VersionedRecord<Row>,
): Promise<Row> {
  if (record.load) return record.load(tx, principal, id);
  const row = await record.delegate(tx).findUnique({ where: { id } });
  if (!row) throw new NotFoundError(record.entityType, id);
  // Without a `load` of its own, a record belongs to an account.
  const { accountId } = row as { accountId?: string };
  if (accountId === undefined) throw new Error(`${record.entityType} names no account: give it a load`);
  await loadWritableAccount(tx, principal, accountId);
  return row;
}

/**
 * Creates one record of an account, in one transaction: the account must exist, not be archived
 * and be the principal's to change; `create` checks the record's own rules and writes it; the
 * audit log gets it as written. Callers check rights (`assertCanWriteAccounts`) before they parse
 * their input, so that a caller without them learns nothing about it.
 */
export async function createAccountRecord<Row extends { id: string }>(
  { db, principal }: ServiceContext,
  accountId: string,
  record: { entityType: string; action: string; create: (tx: Tx) => Promise<Row> },
): Promise<Row> {
  assertCanWriteAccounts(principal);
  return db.prisma.$transaction(async (tx) => {
    await loadWritableAccount(tx, principal, accountId);
    const row = await record.create(tx);
    await recordAudit(tx, principal, {
      action: record.action,
      entityType: record.entityType,
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

/**
 * Changes one versioned record, in one transaction: load it and check the writer, apply the
 * record's own rules (`check`, which may add changes of its own), write only the fields sent and
 * only if nobody changed the record since the caller read `version`, re-read it, and audit it
 * with what it was before.
 */
export async function updateVersionedRecord<Row extends object>(
  { db, principal }: ServiceContext,
  change: { id: string; version: number; changes: Record<string, unknown> },
  record: VersionedRecord<Row> & {
    check?: (
      tx: Tx,
      before: Row,
      changes: Record<string, unknown>,
    ) => Promise<Record<string, unknown> | undefined>;
  },
): Promise<Row> {
  assertCanWriteAccounts(principal);
  const { id, version } = change;
  return db.prisma.$transaction(async (tx) => {
    const before = await loadRecord(tx, principal, id, record);
    const more = record.check ? await record.check(tx, before, change.changes) : undefined;
    const delegate = record.delegate(tx);
    await claimVersion(delegate, id, version, { ...change.changes, ...more });
    const after = await delegate.findUniqueOrThrow({ where: { id } });
    await recordAudit(tx, principal, {
      action: record.action,
      entityType: record.entityType,
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

/**
 * Removes one versioned record: the caller must be able to change it, and must name the version
 * they read. Audited with the record as it was, in the same transaction.
 */
export async function removeVersionedRecord<Row extends object>(
  { db, principal }: ServiceContext,
  input: { id: string; version: number },
  record: VersionedRecord<Row>,
): Promise<Row> {
  assertCanWriteAccounts(principal);
  const { id, version } = parseInput(versionedId, input);
  return db.prisma.$transaction(async (tx) => {
    const row = await loadRecord(tx, principal, id, record);
    const delegate = record.delegate(tx);
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
