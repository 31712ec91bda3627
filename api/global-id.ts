/**
 * KAM's global IDs, the one form an ID takes outside the database: base64 of "<Type>:<database
 * ID>" (the Relay convention). The schema encodes and decodes with these, and so do the CLI and
 * the files it reads, so an ID copied from the API works everywhere.
 */
import { InvalidIdError } from "./errors.ts";

export function encodeGlobalId(typename: string, id: string): string {
  return Buffer.from(`${typename}:${id}`, "utf8").toString("base64");
}

/** The type and database ID of a global ID; null when the text is not one. */
export function decodeGlobalId(globalId: string): { typename: string; id: string } | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(globalId) || globalId.length % 4 !== 0) return null;
  const text = Buffer.from(globalId, "base64").toString("utf8");
  const colon = text.indexOf(":");
  if (colon <= 0 || colon === text.length - 1) return null;
  const typename = text.slice(0, colon);
  if (!/^[A-Z][A-Za-z]*$/.test(typename)) return null;
  return { typename, id: text.slice(colon + 1) };
}

/** The database ID of a global ID of `typename`, or a typed INVALID_ID error. */
export function idOfType(globalId: string | number, typename: string): string {
  const decoded = decodeGlobalId(String(globalId));
  if (decoded?.typename === typename) return decoded.id;
  throw new InvalidIdError(String(globalId), typename);
}
