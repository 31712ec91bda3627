/**
 * Builds the widgets: one module per language other than English (`dist/locales/<language>-<hash>.js`),
 * the bundle (`dist/kam-widgets.js`, and an immutable copy named by version and content hash), the
 * custom-elements manifest (`dist/custom-elements.json`, from the JSDoc), and the demo pages.
 * Prints the gzipped sizes and fails when what a page loads (the bundle and its largest language)
 * is over the budget.
 *
 *   tsx widgets/build.ts               build
 *   tsx widgets/build.ts --if-missing  build only when there is no bundle yet (npm start)
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, gzipSync, constants as zlibConstants } from "node:zlib";
import { build as bundleModule, transform } from "esbuild";
import { build } from "vite";
import { budgetBytes } from "./budget.ts";

const widgets = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(widgets, "dist");
const bundle = path.join(dist, "kam-widgets.js");

if (process.argv.includes("--if-missing") && existsSync(bundle)) process.exit(0);

const gzippedSize = (code: Uint8Array | string) => gzipSync(code, { level: 9 }).length;
const targetLocales = ["fr", "ru", "es", "pt", "th"] as const;

// Each language on its own, @lit/localize's `str` inlined: it imports nothing, so any copy of the
// bundle (plain or versioned) can load it, and its name changes only when its text does.
const localeFiles: Record<string, string> = {};
const localeSizes: Record<string, number> = {};
const localeCode: Record<string, Uint8Array> = {};
for (const locale of targetLocales) {
  const result = await bundleModule({
    entryPoints: [path.join(widgets, "src", "locales", `${locale}.ts`)],
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    // Thai and Cyrillic as UTF-8 (module scripts are always read as UTF-8), not as \u escapes.
    charset: "utf8",
    write: false,
    logLevel: "warning",
  });
  const code = (result.outputFiles[0] as { contents: Uint8Array }).contents;
  const hash = createHash("sha256").update(code).digest("hex").slice(0, 10);
  localeFiles[locale] = `./locales/${locale}-${hash}.js`;
  localeSizes[locale] = gzippedSize(code);
  localeCode[locale] = code;
}

await build({
  configFile: path.join(widgets, "vite.config.ts"),
  define: { KAM_LOCALE_FILES: JSON.stringify(localeFiles) },
});
mkdirSync(path.join(dist, "locales"), { recursive: true });
for (const locale of targetLocales) {
  writeFileSync(path.join(dist, (localeFiles[locale] as string).slice(2)), localeCode[locale] as Uint8Array);
}

// Vite leaves whitespace in an ES library; nothing imports this bundle but a browser, so it is
// minified whole.
const minified = await transform(readFileSync(bundle, "utf8"), {
  minify: true,
  format: "esm",
  target: "es2022",
  charset: "utf8",
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

const gzipped = gzippedSize(code);
const largestLocale = Math.max(...Object.values(localeSizes));
const pageLoad = gzipped + largestLocale;
writeFileSync(
  path.join(dist, "build.json"),
  `${JSON.stringify(
    {
      bundle: "kam-widgets.js",
      versioned,
      bytes: code.length,
      gzipped,
      locales: Object.fromEntries(
        targetLocales.map((locale) => [locale, { file: localeFiles[locale], gzipped: localeSizes[locale] }]),
      ),
      pageLoad,
      budget: budgetBytes,
    },
    null,
    2,
  )}\n`,
);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(
  `widgets: ${kb(code.length)}, ${kb(gzipped)} gzipped, + ${kb(largestLocale)} for the largest language = ${kb(pageLoad)} (budget ${kb(budgetBytes)}) → dist/${versioned}`,
);
// The server sends these compressed copies to browsers that accept them (sirv picks .br, then .gz).
for (const file of [
  "kam-widgets.js",
  versioned,
  ...Object.values(localeFiles).map((name) => name.slice(2)),
]) {
  const body = readFileSync(path.join(dist, file));
  writeFileSync(path.join(dist, `${file}.gz`), gzipSync(body, { level: 9 }));
  writeFileSync(
    path.join(dist, `${file}.br`),
    brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }),
  );
}

if (pageLoad > budgetBytes) {
  console.error(`widgets: a page's load is over the budget by ${kb(pageLoad - budgetBytes)}.`);
  process.exit(1);
}
