import { DEFAULT_GLOSSARY, DEFAULT_SYNONYMS_EN, DEFAULT_SYNONYMS_ES } from './default-vocabulary.ts';
import { KB_LANGUAGES, type KbLanguage, stem, tokenize } from './text-analysis.ts';

/** The brand's vocabulary files beside the KB's articles, by what they hold. */
export const VOCABULARY_FILES = {
  'synonyms.en.txt': 'synonyms-en',
  'synonyms.es.txt': 'synonyms-es',
  'glossary.txt': 'glossary',
} as const;
export type VocabularyFileName = keyof typeof VOCABULARY_FILES;

/** The brand's vocabulary files' text, by file name (absent files are not there). */
export type VocabularySources = Partial<Record<VocabularyFileName, string>>;

/** A phrase as the analyser sees it: its folded words. */
type Phrase = string[];

/** What one phrase can also be said as, in its own language and in the other one. */
export interface PhraseMeaning {
  synonyms: { language: KbLanguage; phrase: Phrase }[];
  translations: { language: KbLanguage; phrase: Phrase }[];
}

export interface VocabularyProblem {
  file: string;
  line: number;
  reason: string;
}

/** Up to this many words a phrase: longer lines are sentences, not vocabulary. */
const MAX_PHRASE_WORDS = 4;

/**
 * Synonyms (per language) and the bilingual glossary, shipped ones and the brand's, as one lookup
 * from a phrase (1–4 folded words) to what else it can be said as.
 */
export class Vocabulary {
  private readonly meanings = new Map<string, PhraseMeaning>();
  /** Words on one side only of the synonyms and glossary: a hint of the question's language. */
  private readonly wordLanguages = new Map<string, KbLanguage | 'both'>();
  readonly problems: VocabularyProblem[] = [];
  readonly maxPhraseWords = MAX_PHRASE_WORDS;

  constructor(brand: VocabularySources = {}) {
    this.addSynonyms('shipped synonyms (en)', 'en', DEFAULT_SYNONYMS_EN);
    this.addSynonyms('shipped synonyms (es)', 'es', DEFAULT_SYNONYMS_ES);
    this.addGlossary('shipped glossary', DEFAULT_GLOSSARY);
    if (brand['synonyms.en.txt']) this.addSynonyms('synonyms.en.txt', 'en', brand['synonyms.en.txt']);
    if (brand['synonyms.es.txt']) this.addSynonyms('synonyms.es.txt', 'es', brand['synonyms.es.txt']);
    if (brand['glossary.txt']) this.addGlossary('glossary.txt', brand['glossary.txt']);
  }

  /**
   * What `words` (a phrase, folded) also means, in either language; undefined when the
   * vocabulary does not know it. Looked up by stems, so any form of an entry's words finds it
   * (`vinculo`, `vincula` → `vincular`).
   */
  meaning(words: readonly string[]): PhraseMeaning | undefined {
    const found = KB_LANGUAGES.map((language) => this.meanings.get(keyOf(words, language))).filter(
      (meaning): meaning is PhraseMeaning => meaning !== undefined,
    );
    if (found.length < 2) return found[0];
    return {
      synonyms: found.flatMap((meaning) => meaning.synonyms),
      translations: found.flatMap((meaning) => meaning.translations),
    };
  }

  /** The language a word belongs to in the vocabulary, when only one of the two uses it. */
  languageOf(word: string): KbLanguage | null {
    const language = this.wordLanguages.get(word);
    return language === 'en' || language === 'es' ? language : null;
  }

  /** Every single word the vocabulary knows (what a misspelt word may be corrected to). */
  words(): IterableIterator<string> {
    return this.wordLanguages.keys();
  }

  private addSynonyms(file: string, language: KbLanguage, text: string): void {
    for (const { line, content } of lines(text)) {
      const group = this.phrases(file, line, content.split(','));
      if (group.length < 2) {
        this.problems.push({
          file,
          line,
          reason: 'a synonym line needs two or more comma-separated entries',
        });
        continue;
      }
      for (const phrase of group) {
        this.note(phrase, language);
        const meaning = this.meaningOf(phrase, language);
        for (const other of group) if (other !== phrase) meaning.synonyms.push({ language, phrase: other });
      }
    }
  }

  private addGlossary(file: string, text: string): void {
    for (const { line, content } of lines(text)) {
      const sides = content.split('=');
      if (sides.length !== 2) {
        this.problems.push({ file, line, reason: 'a glossary line is "English words = Spanish words"' });
        continue;
      }
      const english = this.phrases(file, line, sides[0]!.split(','));
      const spanish = this.phrases(file, line, sides[1]!.split(','));
      if (!english.length || !spanish.length) {
        this.problems.push({ file, line, reason: 'both sides of a glossary line need a word' });
        continue;
      }
      for (const phrase of english) {
        this.note(phrase, 'en');
        const meaning = this.meaningOf(phrase, 'en');
        for (const other of spanish) meaning.translations.push({ language: 'es', phrase: other });
      }
      for (const phrase of spanish) {
        this.note(phrase, 'es');
        const meaning = this.meaningOf(phrase, 'es');
        for (const other of english) meaning.translations.push({ language: 'en', phrase: other });
      }
    }
  }

  private phrases(file: string, line: number, entries: string[]): Phrase[] {
    const phrases: Phrase[] = [];
    for (const entry of entries) {
      const words = tokenize(entry).map((token) => token.word);
      if (!words.length) continue;
      if (words.length > MAX_PHRASE_WORDS) {
        this.problems.push({
          file,
          line,
          reason: `"${entry.trim()}" has more than ${MAX_PHRASE_WORDS} words`,
        });
        continue;
      }
      phrases.push(words);
    }
    return phrases;
  }

  private meaningOf(phrase: Phrase, language: KbLanguage): PhraseMeaning {
    const key = keyOf(phrase, language);
    let meaning = this.meanings.get(key);
    if (!meaning) {
      meaning = { synonyms: [], translations: [] };
      this.meanings.set(key, meaning);
    }
    return meaning;
  }

  private note(phrase: Phrase, language: KbLanguage): void {
    for (const word of phrase) {
      const known = this.wordLanguages.get(word);
      this.wordLanguages.set(word, known === undefined || known === language ? language : 'both');
    }
  }
}

function keyOf(words: readonly string[], language: KbLanguage): string {
  return `${language}:${words.map((word) => stem(word, language)).join(' ')}`;
}

/** The lines of a vocabulary file that say something, numbered from 1; `#` starts a comment. */
function lines(text: string): { line: number; content: string }[] {
  return text
    .split('\n')
    .map((content, index) => ({ line: index + 1, content: content.replace(/#.*/, '').trim() }))
    .filter((entry) => entry.content);
}
