import { VersionConflictError } from "../errors.ts";

/** The part of a Prisma model delegate that optimistic concurrency needs. */
export interface VersionedDelegate {
  updateMany(args: { where: { id: string; version: number }; data: object }): Promise<{ count: number }>;
  findUnique(args: { where: { id: string }; select: { version: true } }): Promise<{ version: number } | null>;
}

/**
 * Applies `data` and bumps the version only if nobody else did since the caller read `version`;
 * the loser of a race gets a typed conflict with the version that won.
 */
export async function claimVersion(delegate: VersionedDelegate, id: string, version: number, data: object) {
  const { count } = await delegate.updateMany({
    where: { id, version },
    data: { ...data, version: { increment: 1 } },
  });
  if (count === 0) {
    const current = await delegate.findUnique({ where: { id }, select: { version: true } });
    throw new VersionConflictError(version, current?.version ?? version);
  }
}
