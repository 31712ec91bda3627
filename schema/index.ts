import { lexicographicSortSchema } from "graphql";
import { builder } from "./builder.ts";
import "./errors.ts";
import "./users.ts";
import "./accounts.ts";
import "./account-events.ts";
import "./contacts.ts";
import "./competitors.ts";
import "./personal-data.ts";
import "./settings.ts";
import "./sales-ledger.ts";
import "./segments.ts";
import "./portfolio.ts";
import "./churn.ts";
import "./saved-segments.ts";
import "./api-keys.ts";
import "./audit.ts";

export const schema = lexicographicSortSchema(builder.toSchema());
