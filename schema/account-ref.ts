/**
 * The Account type, declared apart from its fields (accounts.ts and the domains that add theirs):
 * the domains accounts.ts itself imports can then add fields to it as they load.
 */
import type { Account as AccountRow } from "../prisma/generated/sqlite/client.ts";
import { builder } from "./builder.ts";

export const Account = builder.objectRef<AccountRow>("Account");
