/**
 * In demo mode (a generated token secret, demo data) the widget demo page fills in its token box
 * by itself, so `npm start` then `/widgets/demo/` works without a trip to the CLI. It gets a token
 * for the demo admin, who sees everything the widgets can show, personal facts included: only on
 * a demo server, and only for a browser on the same machine.
 */
import type { Database } from "../db/index.ts";
import { demoAdminEmail } from "../demo.ts";
import { signUserToken } from "./user-tokens.ts";

const ttlSeconds = 8 * 3600;

/** A token for the demo admin, or null when the database has none (not the demo data). */
export async function demoToken(
  db: Database,
  secret: Uint8Array,
): Promise<{ token: string; email: string } | null> {
  const admin = await db.prisma.user.findUnique({
    where: { email: demoAdminEmail },
    select: { id: true, deactivatedAt: true },
  });
  if (!admin || admin.deactivatedAt) return null;
  return { token: await signUserToken(secret, admin.id, ttlSeconds), email: demoAdminEmail };
}

/** Whether a request comes from this machine. */
export function fromLoopback(address: string | undefined): boolean {
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
}
