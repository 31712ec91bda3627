import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fromLoopback } from "../../api/auth/demo-token.ts";
import { demoAdminEmail } from "../../api/demo.ts";
import { createTestApp, type TestApp } from "../support/app.ts";

/** The widget demo's token: for the demo admin, on a demo server, to a browser on the same machine. */

const apps: TestApp[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function serve(env: Record<string, string>, withAdmin = true): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "kam-demo-token-"));
  dirs.push(dir);
  const app = await createTestApp({ KAM_DATA_DIR: dir, ...env });
  apps.push(app);
  if (withAdmin)
    await app.db.prisma.user.create({ data: { email: demoAdminEmail, name: "Ada Admin", role: "ADMIN" } });
  await new Promise<void>((resolve) => app.server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

async function viewerRole(base: string, token: string) {
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: "{ viewer { role user { email } } }" }),
  });
  return ((await response.json()) as any).data.viewer;
}

describe("GET /widgets/demo/token", () => {
  it("gives the demo admin's token on a demo server", async () => {
    const base = await serve({ KAM_TOKEN_SECRET: "" });
    const response = await fetch(`${base}/widgets/demo/token`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { token: string; email: string };
    expect(body.email).toBe(demoAdminEmail);
    expect(await viewerRole(base, body.token)).toEqual({ role: "ADMIN", user: { email: demoAdminEmail } });
  });

  it("does not exist when the server has a token secret of its own", async () => {
    const base = await serve({});
    expect((await fetch(`${base}/widgets/demo/token`)).status).toBe(404);
  });

  it("does not exist without the demo data, or when demo seeding is off", async () => {
    expect((await fetch(`${await serve({ KAM_TOKEN_SECRET: "" }, false)}/widgets/demo/token`)).status).toBe(
      404,
    );
    const off = await serve({ KAM_TOKEN_SECRET: "", KAM_DEMO_SEED: "false" });
    expect((await fetch(`${off}/widgets/demo/token`)).status).toBe(404);
  });
});

describe("fromLoopback", () => {
  it("accepts this machine's addresses only", () => {
    expect(["127.0.0.1", "::1", "::ffff:127.0.0.1"].map(fromLoopback)).toEqual([true, true, true]);
    expect(
      ["10.0.0.5", "192.168.1.2", "::ffff:10.0.0.5", "2001:db8::1", undefined].map(fromLoopback),
    ).toEqual([false, false, false, false, false]);
  });
});
