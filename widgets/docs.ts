/**
 * The README's reference of every widget, made from the custom-elements manifest (itself made
 * from the components' JSDoc), so the documentation says what the bundle has.
 *
 *   tsx widgets/docs.ts --write    rewrites the section of README.md between the markers
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
export const readmePath = path.join(root, "README.md");
export const manifestPath = path.join(root, "widgets", "dist", "custom-elements.json");
const start = "<!-- widgets:start -->";
const end = "<!-- widgets:end -->";

interface Entry {
  name: string;
  description?: string;
  type?: { text: string };
  kind?: string;
  privacy?: string;
  attribute?: string;
  static?: boolean;
}
interface Declaration {
  customElement?: boolean;
  tagName?: string;
  summary?: string;
  attributes?: Entry[];
  members?: Entry[];
  events?: Entry[];
  cssParts?: Entry[];
  cssProperties?: Entry[];
  slots?: Entry[];
}

const cell = (text: string | undefined) => (text ?? "").replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();

function table(title: string, columns: string[], rows: string[][]): string {
  if (rows.length === 0) return "";
  return [
    `${title}:`,
    "",
    `| ${columns.join(" | ")} |`,
    `| ${columns.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
    "",
  ].join("\n");
}

/** The generated section, markers included. */
export function widgetReference(manifest: { modules: { declarations?: Declaration[] }[] }): string {
  const elements = manifest.modules
    .flatMap((module) => module.declarations ?? [])
    .filter((declaration) => declaration.customElement && declaration.tagName)
    .sort((a, b) => (a.tagName as string).localeCompare(b.tagName as string));
  const parts = elements.map((element) => {
    const attributes = element.attributes ?? [];
    const properties = (element.members ?? []).filter(
      (member) =>
        member.kind === "field" && !member.static && !attributes.some((a) => a.name === member.name),
    );
    const methods = (element.members ?? []).filter((member) => member.kind === "method" && !member.static);
    return [
      `#### \`<${element.tagName}>\` reference`,
      element.summary ?? "",
      table(
        "Attributes",
        ["attribute", "type", "meaning"],
        attributes.map((a) => [`\`${a.name}\``, a.type?.text ?? "", a.description ?? ""]),
      ),
      table(
        "Properties (set from script)",
        ["property", "type", "meaning"],
        properties.map((p) => [`\`${p.name}\``, p.type?.text ?? "", p.description ?? ""]),
      ),
      table(
        "Methods",
        ["method", "meaning"],
        methods.map((m) => [`\`${m.name}()\``, m.description ?? ""]),
      ),
      table(
        "Events",
        ["event", "detail", "when"],
        (element.events ?? []).map((e) => [`\`${e.name}\``, e.type?.text ?? "", e.description ?? ""]),
      ),
      table(
        "Parts (`::part`)",
        ["part", "what"],
        (element.cssParts ?? []).map((p) => [`\`${p.name}\``, p.description ?? ""]),
      ),
      table(
        "CSS custom properties",
        ["property", "meaning"],
        (element.cssProperties ?? []).map((p) => [`\`${p.name}\``, p.description ?? ""]),
      ),
      table(
        "Slots",
        ["slot", "content"],
        (element.slots ?? []).map((s) => [s.name ? `\`${s.name}\`` : "(default)", s.description ?? ""]),
      ),
    ]
      .map((block) => block.trim())
      .filter((block) => block !== "")
      .join("\n\n");
  });
  return `${start}\n<!-- made by \`npm run widgets:docs\` from widgets/dist/custom-elements.json -->\n\n${parts.join("\n\n")}\n${end}`;
}

/** README.md with the section as the manifest says it should be. */
export function readmeWithReference(readme: string, manifest: Parameters<typeof widgetReference>[0]): string {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} section`);
  return readme.slice(0, from) + widgetReference(manifest) + readme.slice(to + end.length);
}

if (process.argv.includes("--write")) {
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  writeFileSync(readmePath, readmeWithReference(readFileSync(readmePath, "utf8"), manifest));
  console.log("README.md: widget reference written from the manifest.");
}
