import { decodeGlobalID, encodeGlobalID } from "@pothos/plugin-relay";
import { describe, expect, it } from "vitest";
import { InvalidIdError } from "../../api/errors.ts";
import { decodeGlobalId, encodeGlobalId, idOfType } from "../../api/global-id.ts";

describe("the global-ID codec shared by the schema and the CLI", () => {
  it("writes and reads the Relay form, as Pothos does", () => {
    const id = "cmi3x9k2p0000abcd:with-colon";
    expect(encodeGlobalId("Account", id)).toBe(encodeGlobalID("Account", id));
    expect(decodeGlobalId(encodeGlobalID("Contact", id))).toEqual(
      decodeGlobalID(encodeGlobalID("Contact", id)),
    );
    expect(decodeGlobalId(encodeGlobalId("SavedSegment", "s1"))).toEqual({
      typename: "SavedSegment",
      id: "s1",
    });
  });

  it.each([
    ["a database ID", "cmi3x9k2p0000abcd"],
    ["text that is not base64", "not base64!"],
    ["base64 without a type", Buffer.from("no-colon").toString("base64")],
    ["base64 with an empty ID", Buffer.from("Account:").toString("base64")],
    ["a type that is not a type name", Buffer.from("account id:x").toString("base64")],
  ])("reads %s as no global ID", (_, text) => {
    expect(decodeGlobalId(text)).toBeNull();
  });

  it("gives the database ID of the named type, or a typed INVALID_ID", () => {
    expect(idOfType(encodeGlobalId("Account", "a1"), "Account")).toBe("a1");
    expect(() => idOfType(encodeGlobalId("Contact", "a1"), "Account")).toThrow(InvalidIdError);
    expect(() => idOfType("garbage", "Account")).toThrow(InvalidIdError);
  });
});
