/** The widgets as one ES module (library mode), Lit and the client included; languages other than English are built beside it (build.ts). */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here("."),
  mode: "production",
  publicDir: false,
  logLevel: "warn",
  resolve: {
    // Operations go out as strings: graphql-js (parse, print) is never needed in the browser.
    alias: { graphql: here("src/graphql-shim.ts") },
  },
  build: {
    outDir: here("dist"),
    emptyOutDir: true,
    target: "es2022",
    minify: "esbuild",
    reportCompressedSize: false,
    lib: {
      entry: here("src/index.ts"),
      formats: ["es"],
      fileName: () => "kam-widgets.js",
    },
    rollupOptions: { output: { inlineDynamicImports: true } },
  },
});
