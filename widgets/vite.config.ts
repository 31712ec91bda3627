/** The widgets as one ES module (library mode), Lit and the client included; languages other than English are built beside it (build.ts). */
import { fileURLToPath } from "node:url";
import { minifyHTMLLiterals } from "minify-literals";
import { defineConfig, type Plugin } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The widgets' `html` and `css` templates without their indentation (the bundle's largest text). */
const minifiedTemplates: Plugin = {
  name: "kam-minified-templates",
  async transform(code, id) {
    if (!id.includes("/widgets/src/") || !id.endsWith(".ts")) return null;
    const result = await minifyHTMLLiterals(code, { fileName: id });
    return result ? { code: result.code, map: result.map } : null;
  },
};

export default defineConfig({
  plugins: [minifiedTemplates],
  root: here("."),
  mode: "production",
  publicDir: false,
  logLevel: "warn",
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
