/** The schema's side of the global-ID codec (api/global-id.ts). */
import { encodeGlobalId, idOfType } from "../api/global-id.ts";

/** Turns a global ID into the database ID of the given type, or a typed INVALID_ID error. */
export const decodeId = idOfType;

export function decodeOptionalId(
  globalId: string | number | null | undefined,
  typename: string,
): string | null | undefined {
  return globalId === null || globalId === undefined ? globalId : decodeId(globalId, typename);
}

export const encodeGlobalID = encodeGlobalId;
