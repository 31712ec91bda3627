/**
 * Six languages, those of the articles KAM comes from: English (the source), French, Russian,
 * Spanish, Portuguese and Thai, with @lit/localize in runtime mode. Every locale is in the bundle
 * (a few kilobytes), so switching is instant and the bundle stays one file.
 *
 * The locale is the widget's `locale` attribute, else its provider's, else the nearest ancestor's
 * `lang`, else the document's. @lit/localize keeps one active locale per page, so widgets on one
 * page speak one language: the last one asked for.
 */
import { configureLocalization } from "@lit/localize";
import * as es from "./locales/es.ts";
import * as fr from "./locales/fr.ts";
import * as pt from "./locales/pt.ts";
import * as ru from "./locales/ru.ts";
import * as th from "./locales/th.ts";

export const sourceLocale = "en";
export const targetLocales = ["fr", "ru", "es", "pt", "th"] as const;
export const allLocales = [sourceLocale, ...targetLocales] as const;
export type Locale = (typeof allLocales)[number];

const modules = { fr, ru, es, pt, th };

const localization = configureLocalization({
  sourceLocale,
  targetLocales,
  loadLocale: async (locale) => modules[locale as (typeof targetLocales)[number]],
});

export const getLocale = localization.getLocale as () => Locale;

/** One of the six, from a BCP 47 tag such as "pt-BR"; English when none fits. */
export function supportedLocale(tag: string | null | undefined): Locale {
  const language = (tag ?? "").trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return (allLocales as readonly string[]).includes(language) ? (language as Locale) : sourceLocale;
}

/** The language an element speaks: its own `lang`-like setting, else its ancestors', else the page's. */
export function localeOf(element: Element, explicit?: string | null): Locale {
  if (explicit) return supportedLocale(explicit);
  let node: Node | null = element;
  while (node) {
    if (node instanceof Element) {
      const lang = node.getAttribute("lang");
      if (lang) return supportedLocale(lang);
    }
    // Up through shadow roots too: a widget inside another component still finds the page's lang.
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return supportedLocale(document.documentElement.lang || navigator.language);
}

export function useLocale(locale: Locale): Promise<void> {
  return getLocale() === locale ? Promise.resolve() : localization.setLocale(locale);
}

let watching = false;

/** Follows the page's `lang`: a host page that switches language switches the widgets too. */
export function watchDocumentLanguage(): void {
  if (watching) return;
  watching = true;
  new MutationObserver(() => {
    if (document.documentElement.lang) void useLocale(supportedLocale(document.documentElement.lang));
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
}
