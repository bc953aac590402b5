import { stemmer as englishStemmer } from '@orama/stemmers/english';
import { stemmer as spanishStemmer } from '@orama/stemmers/spanish';
import { LANGUAGE_MARKERS, STOP_WORDS } from './stop-words.ts';

export type KbLanguage = 'en' | 'es';
export const KB_LANGUAGES: readonly KbLanguage[] = ['en', 'es'];

/** One word of a text: as written (folded) and whether it carries meaning. */
export interface Token {
  /** Lowercase, accents and apostrophes removed: the form everything is looked up by. */
  word: string;
  stop: boolean;
  /** A hyphenated word's parts (`cross-play`: `word` crossplay, parts cross and play): members write either. */
  parts?: string[];
}

/** What a question longer than this says past it is not read: a search stays fast on any input. */
const MAX_QUESTION_CHARS = 600;
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/**
 * A member's message as words: Discord mentions, custom emoji, URLs and Markdown are not words;
 * code blocks keep their text (an error message pasted in one is what the member asks about).
 */
export function plainQuestion(message: string): string {
  return message
    .replace(/<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>/g, ' ')
    .replace(/\b(?:https?:\/\/|www\.)\S+/gi, ' ')
    .replace(/[`*_~>|]/g, ' ')
    .slice(0, MAX_QUESTION_CHARS);
}

/** Lowercase without accents (`Contraseña` → `contrasena`): members often type without them. */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '');
}

const stemCache: Record<KbLanguage, Map<string, string>> = { en: new Map(), es: new Map() };
const STEM_CACHE_LIMIT = 200_000;

/** The Snowball stem of a folded word (words with digits, like error codes, are kept whole). */
export function stem(word: string, language: KbLanguage): string {
  if (word.length < 3 || /\d/.test(word)) return word;
  const cache = stemCache[language];
  let stemmed = cache.get(word);
  if (stemmed === undefined) {
    stemmed = language === 'en' ? englishStemmer(word) : spanishStemmer(word);
    if (cache.size >= STEM_CACHE_LIMIT) cache.clear();
    cache.set(word, stemmed);
  }
  return stemmed;
}

/** A function word of either language, or a small number (a quantity, not what the question is about). */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.en.has(word) || STOP_WORDS.es.has(word) || /^\d{1,2}$/.test(word);
}

/** An identifier: letters and digits together (`sa5102`, `0x80070005`), what error codes look like. */
export function isIdentifier(word: string): boolean {
  return word.length >= 4 && /\d/.test(word) && /\p{L}/u.test(word);
}

/** The words of a text, folded; a hyphenated word is one token joined (`crossplay`, `sa5102`) with its parts. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of fold(text).matchAll(WORD)) {
    const raw = match[0].replace(/['’]/g, '');
    if (!raw.includes('-')) {
      tokens.push({ word: raw, stop: isStopWord(raw) });
      continue;
    }
    const parts = raw.split('-').filter((part) => part && !isStopWord(part));
    const word = raw.replace(/-/g, '');
    tokens.push(parts.length > 1 ? { word, stop: false, parts } : { word, stop: parts.length === 0 });
  }
  return tokens;
}

/**
 * The index terms of a text in one language: stems of its words that are not stop words, a
 * hyphenated word's parts as well as the whole.
 */
export function termsOf(text: string, language: KbLanguage): string[] {
  const terms: string[] = [];
  for (const token of tokenize(text)) {
    if (token.stop) continue;
    terms.push(stem(token.word, language));
    for (const part of token.parts ?? []) terms.push(stem(part, language));
  }
  return terms;
}

/**
 * The language a question is written in, from the words only one of English and Spanish uses
 * (function words, plus `languageOfWord` for the KB's and the glossary's own words) and from
 * Spanish spelling (ñ, accents, ¿ ¡); null when the evidence is too thin to say.
 */
export function detectLanguage(
  text: string,
  languageOfWord: (word: string) => KbLanguage | null = () => null,
): KbLanguage | null {
  let spanish = (text.match(/[ñ¿¡áéíóú]/giu)?.length ?? 0) * 0.75;
  let english = 0;
  for (const token of tokenize(text)) {
    if (LANGUAGE_MARKERS.es.has(token.word)) spanish += 1;
    else if (LANGUAGE_MARKERS.en.has(token.word)) english += 1;
    else if (!token.stop) {
      const language = languageOfWord(token.word);
      if (language === 'es') spanish += 0.5;
      else if (language === 'en') english += 0.5;
    }
  }
  if (spanish >= english + 1) return 'es';
  if (english >= spanish + 1) return 'en';
  return null;
}
