/**
 * Builds the widgets: the bundle (`dist/kam-widgets.js`, and an immutable copy named by version
 * and content hash), the custom-elements manifest (`dist/custom-elements.json`, from the JSDoc),
 * and the demo pages. Prints the gzipped size and fails above the budget.
 *
 *   tsx widgets/build.ts               build
 *   tsx widgets/build.ts --if-missing  build only when there is no bundle yet (npm start)
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { transform } from "esbuild";
import { build } from "vite";
import { budgetBytes } from "./budget.ts";

const widgets = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(widgets, "dist");
const bundle = path.join(dist, "kam-widgets.js");

if (process.argv.includes("--if-missing") && existsSync(bundle)) process.exit(0);

await build({ configFile: path.join(widgets, "vite.config.ts") });

// Vite leaves whitespace in an ES library; nothing imports this bundle but a browser, so it is
// minified whole.
const minified = await transform(readFileSync(bundle, "utf8"), {
  minify: true,
  format: "esm",
  target: "es2022",
});
writeFileSync(bundle, minified.code);
const code = readFileSync(bundle);
const { version } = JSON.parse(readFileSync(path.join(widgets, "..", "package.json"), "utf8")) as {
  version: string;
};
const hash = createHash("sha256").update(code).digest("hex").slice(0, 10);
const versioned = `kam-widgets.${version}-${hash}.js`;
writeFileSync(path.join(dist, versioned), code);

const analyzer = path.join(
  path.dirname(createRequire(import.meta.url).resolve("@custom-elements-manifest/analyzer/package.json")),
  "cem.js",
);
execFileSync(
  process.execPath,
  [
    analyzer,
    "analyze",
    "--litelement",
    "--globs",
    "src/**/*.ts",
    "--exclude",
    "src/locales/**",
    "--outdir",
    "dist",
  ],
  { cwd: widgets, stdio: ["ignore", "ignore", "inherit"] },
);

// The analyzer takes Lit's internal state (`state: true`) and the base class's emit() argument
// for public API; what is public is what the JSDoc describes.
const manifestFile = path.join(dist, "custom-elements.json");
const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
for (const module of manifest.modules) {
  for (const declaration of module.declarations ?? []) {
    if (!declaration.customElement) continue;
    const described = (entry: { description?: string; kind?: string }) => Boolean(entry.description);
    declaration.attributes = declaration.attributes?.filter(described);
    declaration.events = declaration.events?.filter(described);
    declaration.members = declaration.members?.filter(
      (member: { kind: string; description?: string; privacy?: string }) =>
        (member.privacy ?? "public") === "public" && (member.kind !== "field" || described(member)),
    );
  }
}
writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);

cpSync(path.join(widgets, "demo"), path.join(dist, "demo"), { recursive: true });

const gzipped = gzipSync(code, { level: 9 }).length;
writeFileSync(
  path.join(dist, "build.json"),
  `${JSON.stringify({ bundle: "kam-widgets.js", versioned, bytes: code.length, gzipped, budget: budgetBytes }, null, 2)}\n`,
);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(
  `widgets: ${kb(code.length)}, ${kb(gzipped)} gzipped (budget ${kb(budgetBytes)}) → dist/${versioned}`,
);
if (gzipped > budgetBytes) {
  console.error(`widgets: the bundle is over its budget by ${kb(gzipped - budgetBytes)}.`);
  process.exit(1);
}
