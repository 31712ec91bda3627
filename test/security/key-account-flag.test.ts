import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app.ts";

/** A manager cannot make their own account key around the selection rule. */

describe("the key-account flag", () => {
  let app: TestApp;
  let manager: { id: string; token: string };
  let admin: { token: string };

  beforeAll(async () => {
    app = await createTestApp();
    manager = await app.createUser("MANAGER");
    admin = await app.createUser("ADMIN");
  });
  afterAll(() => app.close());

  const create = (token: string, isKeyAccount: boolean) =>
    app.gql(
      `mutation($input: CreateAccountInput!) { createAccount(input: $input) {
        __typename ... on MutationCreateAccountSuccess { data { id version isKeyAccount } } ... on Error { code message } } }`,
      { input: { name: `Flag ${Math.random()}`, isKeyAccount } },
      token,
    );
  const update = (token: string, id: string, version: number, isKeyAccount: boolean) =>
    app.gql(
      `mutation($input: UpdateAccountInput!) { updateAccount(input: $input) {
        __typename ... on MutationUpdateAccountSuccess { data { version isKeyAccount } } ... on Error { code message } } }`,
      { input: { id, version, isKeyAccount } },
      token,
    );

  it("is refused to a manager on create and on update, and nothing changes", async () => {
    const before = await app.db.prisma.account.count();
    const created = await create(manager.token, true);
    expect(created.data.createAccount).toMatchObject({ __typename: "ForbiddenError", code: "FORBIDDEN" });
    expect(created.data.createAccount.message).toMatch(/confirmKeyAccounts/);
    expect(await app.db.prisma.account.count()).toBe(before);

    const own = (await create(manager.token, false)).data.createAccount.data;
    const updated = await update(manager.token, own.id, own.version, true);
    expect(updated.data.updateAccount.__typename).toBe("ForbiddenError");
    const row = await app.db.prisma.account.findFirstOrThrow({ where: { ownerId: manager.id } });
    expect(row.isKeyAccount).toBe(false);
    expect(row.version).toBe(own.version);
    // Sending the value it already has is no change, so a full-record sync still works.
    const same = await update(manager.token, own.id, own.version, false);
    expect(same.data.updateAccount.__typename).toBe("MutationUpdateAccountSuccess");
  });

  it("may be set by an admin", async () => {
    const created = await create(admin.token, true);
    expect(created.data.createAccount.data.isKeyAccount).toBe(true);
    const { id, version } = created.data.createAccount.data;
    const updated = await update(admin.token, id, version, false);
    expect(updated.data.updateAccount.data.isKeyAccount).toBe(false);
  });
});
