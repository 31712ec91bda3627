import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as es from "../../widgets/src/locales/es.ts";
import * as fr from "../../widgets/src/locales/fr.ts";
import * as pt from "../../widgets/src/locales/pt.ts";
import * as ru from "../../widgets/src/locales/ru.ts";
import * as th from "../../widgets/src/locales/th.ts";

/** Every visible string of the widgets exists in the five other languages, and only those. */

const sources = fileURLToPath(new URL("../../widgets/src", import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "locales" ? [] : files(full);
    return full.endsWith(".ts") ? [full] : [];
  });
}

/** Each message ID with its English text, from the `msg("…", { id: "…" })` calls. */
const used = new Map<string, string>();
for (const file of files(sources)) {
  const text = readFileSync(file, "utf8");
  for (const match of text.matchAll(/msg\(\s*(?:str)?(["`])((?:(?!\1)[\s\S])*)\1,\s*\{\s*id:\s*"([^"]+)"/g)) {
    used.set(match[3] as string, match[2] as string);
  }
}

const locales = { fr, ru, es, pt, th };
/** Messages that read the same in another language: an abbreviation, or the same word. */
const sameAsEnglish = new Set([
  "fr:grid.row.cv",
  "es:grid.row.cv",
  "pt:grid.row.cv",
  "th:grid.row.cv",
  "fr:grid.y",
  "es:grid.y",
  "es:grid.z",
  "pt:grid.z",
  "fr:card.score",
  "fr:card.influence",
  "fr:card.status.prospect",
  "fr:card.character.dominant",
  "es:card.attitude.neutral",
  "pt:card.event.email",
  "fr:matrix.score",
  "fr:matrix.percentile",
  "fr:matrix.verdict",
]);

describe("widget translations", () => {
  it("find the messages in the sources", () => {
    expect(used.size).toBeGreaterThan(20);
    expect(used.get("state.loading")).toBe("Loading…");
  });

  for (const [name, locale] of Object.entries(locales)) {
    it(`${name} has every message and no other`, () => {
      const templates = locale.templates as Record<string, unknown>;
      expect(Object.keys(templates).sort()).toEqual([...used.keys()].sort());
    });

    it(`${name} translates what it has`, () => {
      const templates = locale.templates as Record<string, string | { strings?: readonly string[] }>;
      for (const [id, english] of used) {
        const translated = templates[id];
        const text = typeof translated === "string" ? translated : (translated?.strings ?? []).join("${}");
        const source = english.replace(/\$\{[^}]*\}/g, "${}");
        if (!sameAsEnglish.has(`${name}:${id}`)) expect(text, `${name} ${id}`).not.toBe(source);
      }
    });
  }
});
