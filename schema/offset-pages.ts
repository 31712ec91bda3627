/** Connections paged by offset, for lists that are neither Prisma-mapped nor ranked in SQL. */
import { type DefaultConnectionArguments, resolveOffsetConnection } from "@pothos/plugin-relay";

/**
 * The page the connection arguments ask for, read by `page`; its `totalCount` is counted by
 * `count` only when the caller asks for it (the connection's totalCount field calls it).
 */
export async function offsetPage<T>(
  args: DefaultConnectionArguments,
  page: (window: { limit: number; offset: number }) => Promise<T[]>,
  count: () => Promise<number>,
) {
  return { ...(await resolveOffsetConnection({ args }, page)), totalCount: count };
}
