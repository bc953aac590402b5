import { createContext, useContext, useMemo } from 'react';

/**
 * The plugin's words, through Flex's own strings (`manager.strings`): each feature brings a catalog
 * in English and Spanish with the same keys (`Flexcord…`), registers the agent's language into
 * `manager.strings` at `init`, and its components read them back, so a brand can change any
 * sentence the way it changes Flex's own (`manager.strings.FlexcordCasePanelLoading = '…'`).
 *
 * @see https://www.twilio.com/docs/flex/developer/ui/localization-and-templating
 */
export interface StringCatalog<K extends string = string> {
  en: Readonly<Record<K, string>>;
  es: Readonly<Record<K, string>>;
}

/** A catalog whose Spanish must have every English key (the type checker refuses one that does not). */
export function catalog<K extends string>(en: Record<K, string>, es: Record<K, string>): StringCatalog<K> {
  return { en, es };
}

export type Language = keyof StringCatalog;
export type Vars = Readonly<Record<string, string | number>>;
/** A sentence by key, with `{{name}}` placeholders filled in (Flex's Mustache-style templates). */
export type Translate<K extends string = string> = (key: K, vars?: Vars) => string;

/** Fills `{{name}}` placeholders; an unknown name is left empty, as Handlebars does. */
export function fill(template: string, vars: Vars = {}): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_match, name: string) => {
    const value = vars[name];
    return value === undefined ? '' : String(value);
  });
}

/** The language of a locale tag (`es-MX` → Spanish); everything else reads English. */
export function languageOf(localeTag: string | undefined | null): Language {
  return localeTag?.toLowerCase().startsWith('es') ? 'es' : 'en';
}

/** What Flex's manager offers for strings: the strings themselves, and the agent's locale. */
export interface StringsHost {
  strings: object;
  localization?: { localeTag?: string } | undefined;
}

/** The agent's language in Flex: Flex's locale when it has one, else the browser's. */
export function hostLanguage(host: StringsHost): Language {
  const tag =
    host.localization?.localeTag ?? (typeof navigator === 'undefined' ? undefined : navigator.language);
  return languageOf(tag);
}

/**
 * Writes a feature's sentences, in the agent's language, into `manager.strings`, keeping any the
 * brand set already (a brand's own plugin may set them before or after this one).
 */
export function registerStrings(host: StringsHost, strings: StringCatalog): void {
  const own = strings[hostLanguage(host)];
  const current = host.strings as Record<string, string>;
  host.strings = { ...own, ...current };
}

/** Flex's strings, handed down by the Flex adapters; empty outside Flex (the catalog's English then). */
export const StringsContext = createContext<Readonly<Record<string, string>>>({});

/** A translator over `strings`: the host's sentence for a key, else the catalog's English. */
export function translator<K extends string>(
  strings: Readonly<Record<string, string>>,
  own: StringCatalog<K>,
): Translate<K> {
  return (key, vars) => fill(strings[key] ?? own.en[key], vars);
}

/** The translator of a component: Flex's strings from the context, the catalog's English otherwise. */
export function useStrings<K extends string>(own: StringCatalog<K>): Translate<K> {
  const strings = useContext(StringsContext);
  return useMemo(() => translator(strings, own), [strings, own]);
}
