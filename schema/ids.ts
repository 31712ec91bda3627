import { decodeGlobalID, encodeGlobalID } from "@pothos/plugin-relay";
import { InvalidIdError } from "../api/errors.ts";

/** Turns a global ID into the database ID of the given type, or a typed INVALID_ID error. */
export function decodeId(globalId: string, typename: string): string {
  try {
    const decoded = decodeGlobalID(String(globalId));
    if (decoded.typename === typename) return decoded.id;
  } catch {
    // fall through to the typed error
  }
  throw new InvalidIdError(String(globalId), typename);
}

export function decodeOptionalId(
  globalId: string | null | undefined,
  typename: string,
): string | null | undefined {
  return globalId === null || globalId === undefined ? globalId : decodeId(globalId, typename);
}

export { encodeGlobalID };
