import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { manifestPath, readmePath, readmeWithReference } from "../../widgets/docs.ts";

/** The README's widget reference is the manifest's, as built (run `npm run widgets:docs`). */
describe("the README's widget reference", () => {
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const readme = readFileSync(readmePath, "utf8");

  it("is current", () => {
    expect(readme).toBe(readmeWithReference(readme, manifest));
  });

  it("covers every element of the bundle with its attributes and events", () => {
    const tags: string[] = manifest.modules.flatMap((module: any) =>
      (module.declarations ?? []).filter((d: any) => d.customElement && d.tagName).map((d: any) => d.tagName),
    );
    expect(tags).toEqual(expect.arrayContaining(["kam-provider", "kam-segment-grid"]));
    for (const tag of tags) expect(readme).toContain(`#### \`<${tag}>\` reference`);
    expect(readme).toContain("| `kam-account-select` |");
  });
});
