import { afterAll, beforeAll, it } from "vitest";
import { createTestApp, globalId, type TestApp } from "../support/app.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

it("probe", async () => {
  const admin = await app.createUser("ADMIN");
  const viewer = await app.createUser("VIEWER");
  const show = async (label: string, q: string, v?: Record<string, unknown>) =>
    console.log(label, JSON.stringify(await app.gql(q, v, admin.token)));
  await show("syntax", "query { accounts { ");
  await show("unknown field", "query { accounts { nope } }");
  await show("version two", "mutation($v: Int!) { updateAccount(input: {id: \"x\", version: $v}) { __typename } }", { v: "two" });
  await show("first x", "query($f: Int) { accounts(first: $f) { totalCount } }", { f: "x" });
  await show("first -1", "query($f: Int) { accounts(first: $f) { totalCount edges { node { id } } } }", { f: -1 });
  await show("first 100000", "query($f: Int) { accounts(first: $f) { totalCount edges { node { id } } } }", { f: 100000 });
  await show("after garbage", "query($a: String) { accounts(after: $a) { totalCount edges { node { id } } } }", { a: "garbage" });
  for (const id of [globalId("Account", "nobody"), "not-an-id", "!!!", globalId("User", viewer.id), ""]) {
    await show(`account ${id}`, "query($id: ID!) { account(id: $id) { __typename ... on Error { code message } } }", { id });
    await show(`node ${id}`, "query($id: ID!) { node(id: $id) { id } }", { id });
  }
  await show("nodes", "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", { ids: ["!!!"] });
  await show("ownerId garbage", "query { accounts(filter: {ownerId: \"garbage\"}) { totalCount } }");
  await show("noauth", "query { accounts { totalCount } }");
});
