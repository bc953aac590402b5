import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { type Language, languageOf, type Translate, translator } from './strings.ts';

interface Words {
  /** The member's Discord locale (`es-ES`), for the commands' `*_localizations`. */
  locale: string;
  language: Language;
  t: Translate;
}

const english: Words = { locale: 'en-US', language: 'en', t: translator('en') };
const WordsContext = createContext<Words>(english);

/** The words of everything inside, in the language of `locale`. */
export function WordsProvider({ locale, children }: { locale: string; children: ReactNode }) {
  const words = useMemo(() => {
    const language = languageOf(locale);
    return { locale, language, t: translator(language) };
  }, [locale]);
  return <WordsContext.Provider value={words}>{children}</WordsContext.Provider>;
}

export function useWords(): Words {
  return useContext(WordsContext);
}
