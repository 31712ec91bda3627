/**
 * Six languages, those of the articles KAM comes from: English (the source), French, Russian,
 * Spanish, Portuguese and Thai, with @lit/localize in runtime mode. English is in the bundle; each
 * other language is a small module beside it (`locales/<language>-<hash>.js`, cached for good),
 * fetched the first time a widget speaks it, so a page loads one language, not six.
 *
 * The locale is the widget's `locale` attribute, else its provider's, else the nearest ancestor's
 * `lang`, else the document's. @lit/localize keeps one active locale per page, so widgets on one
 * page speak one language: the last one asked for.
 */
import { configureLocalization, type LocaleModule } from "@lit/localize";

export const sourceLocale = "en";
export const targetLocales = ["fr", "ru", "es", "pt", "th"] as const;
export const allLocales = [sourceLocale, ...targetLocales] as const;
export type Locale = (typeof allLocales)[number];

/** The file of each language beside the bundle, named by its content (set by the build). */
declare const KAM_LOCALE_FILES: Record<(typeof targetLocales)[number], string>;

const localization = configureLocalization({
  sourceLocale,
  targetLocales,
  loadLocale: (locale) =>
    import(
      /* @vite-ignore */ new URL(KAM_LOCALE_FILES[locale as (typeof targetLocales)[number]], import.meta.url)
        .href
    ) as Promise<LocaleModule>,
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

/**
 * Switches the page's widgets to a language. When its file cannot be fetched (offline, blocked),
 * they keep speaking the one they spoke, and another language can still be chosen.
 */
export function useLocale(locale: Locale): Promise<void> {
  const before = getLocale();
  if (before === locale) return Promise.resolve();
  // A failed load leaves @lit/localize waiting on that language; going back to the one in use
  // clears it.
  return localization.setLocale(locale).catch(() => localization.setLocale(before).catch(() => undefined));
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
