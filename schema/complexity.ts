/**
 * What each field costs when an operation is priced (see api/query-limits.ts): 1 for a field; a
 * page (a field with first/last) multiplies what is asked of each item by its size; another list
 * by 10, the size of a typical decision unit; a connection's `edges` adds nothing of its own, its
 * page already counted. The analyses set their own price where they are defined.
 */
import { type GraphQLField, GraphQLList, getNamedType, getNullableType } from "graphql";
import { defaultPageSize, maxPageSize } from "../api/page-size.ts";

/** What one item of an unpaged list is assumed to hold (contacts of an account, say). */
export const listMultiplier = 10;

/** The page a paged field is asked for: `first`, else `last`, else the default, within 0…maximum. */
function pageSizeOf(args: { first?: unknown; last?: unknown }, maximum: number): number {
  const size =
    typeof args.first === "number" ? args.first : typeof args.last === "number" ? args.last : defaultPageSize;
  return Math.max(0, Math.min(size, maximum));
}

export function fieldCost<Context>(
  args: Record<string, unknown>,
  _context: Context,
  field: GraphQLField<unknown, Context, Record<string, unknown>>,
): { field: number; multiplier: number } {
  const names = new Set(field.args.map((arg) => arg.name));
  if (names.has("first") || names.has("last")) return { field: 1, multiplier: pageSizeOf(args, maxPageSize) };
  if (getNullableType(field.type) instanceof GraphQLList) {
    if (field.name === "edges" && getNamedType(field.type).name.endsWith("Edge"))
      return { field: 0, multiplier: 1 };
    return { field: 1, multiplier: listMultiplier };
  }
  return { field: 1, multiplier: 1 };
}

/**
 * The people who report to one contact: an org chart fans out over the account's few contacts,
 * so each level multiplies by 3, not by the 10 of a whole decision unit.
 */
export const reportsCost = { field: 1, multiplier: 3 };

/**
 * The analyses' own prices: each reads every account (or every line of an import) whatever the
 * selection, so one costs as much as a few pages.
 */
export const analysisCost = {
  segmentMatrix: 500,
  accountSegments: { field: 500, multiplier: listMultiplier },
  /** Per account, so a page of them adds up. */
  segmentHistory: { field: 200, multiplier: 1 },
  concentration: 300,
  workload: 100,
  keyAccountCandidates: 500,
  upcomingBirthdays: { field: 200, multiplier: listMultiplier },
  importSalesLines: 1000,
  /**
   * A page of the matrix ranks every account, then reads its rows (up to 500): 1,000 plus 10 a
   * row, and each row's selection once per row.
   */
  scoreMatrix: (args: { first?: number | null; last?: number | null }) => {
    const rows = pageSizeOf(args, 500);
    return { field: 1000 + 10 * rows, multiplier: rows };
  },
};
