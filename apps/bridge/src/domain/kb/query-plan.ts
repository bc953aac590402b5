import { commonLanguageOf, isCommonWord, isEverydayWord } from './common-words.ts';
import type { Concept, Expansion, KbIndex } from './kb-index.ts';
import {
  detectLanguage,
  isIdentifier,
  isStopWord,
  KB_LANGUAGES,
  type KbLanguage,
  plainQuestion,
  stem,
  tokenize,
} from './text-analysis.ts';
import type { TypoCorrector } from './typo-corrector.ts';
import type { Vocabulary } from './vocabulary.ts';

/**
 * How much each way of reading a word counts against the word itself. A synonym or a translation
 * is nearly as good as the word; a correction of a typo less so, the more letters it changes.
 */
export const READINGS = {
  synonym: 0.9,
  translation: 0.85,
  /** A synonym's translation, or a translation's synonym: two steps from what was written. */
  twoSteps: 0.75,
  /** A shorter stem of the same word (`recibi` → `recib`): Spanish stems differ with and without accents. */
  shorterStem: 0.8,
  typo: [1, 0.8, 0.6],
  /** A vocabulary entry of the other language than the question's. */
  otherLanguage: 0.8,
} as const;

/** Concepts a question is read as at most: the rest of a very long message says little more. */
const MAX_CONCEPTS = 24;

/** A question as the index searches it. */
export interface QueryPlan {
  concepts: Concept[];
  /** The question's language as its words say, or null when they don't. */
  language: KbLanguage | null;
}

export interface PlanContext {
  index: KbIndex;
  vocabulary: Vocabulary;
  corrector: TypoCorrector;
  /** How much a word the KB does not hold weighs against the question's coverage, in IDFs of a word found once. */
  unknownWeight: number;
}

/**
 * Reads a member's question as concepts: each phrase the vocabulary knows (`se cierra`, `money
 * back`) or word that is not a stop word, with every reading of it the index holds — its stems in
 * English and Spanish, its synonyms, its translations, and, for a word the KB and the vocabulary
 * don't know, the KB words it is a typo of.
 */
export function planQuery(question: string, context: PlanContext): QueryPlan {
  const { index, vocabulary } = context;
  const text = plainQuestion(question);
  const language = detectLanguage(
    text,
    (word) => vocabulary.languageOf(word) ?? index.languageOfWord(word) ?? commonLanguageOf(word),
  );
  const tokens = tokenize(text);
  const concepts: Concept[] = [];
  for (let at = 0; at < tokens.length && concepts.length < MAX_CONCEPTS; ) {
    let length = Math.min(vocabulary.maxPhraseWords, tokens.length - at);
    for (; length > 1; length--) {
      const words = tokens.slice(at, at + length).map((token) => token.word);
      if (vocabulary.meaning(words) && words.some((word) => !isStopWord(word))) break;
    }
    const unit = tokens.slice(at, at + length);
    at += length;
    if (unit.every((token) => token.stop)) continue;
    const concept = conceptOf(
      unit.map((token) => token.word),
      unit.length === 1 ? unit[0]!.parts : undefined,
      language,
      context,
    );
    if (!concepts.some((known) => known.text === concept.text)) concepts.push(concept);
  }
  return { concepts, language };
}

function conceptOf(
  words: string[],
  parts: string[] | undefined,
  language: KbLanguage | null,
  context: PlanContext,
): Concept {
  const { index, vocabulary, corrector } = context;
  const readings = new Map<string, Expansion>();
  // What the member wrote counts term by term; another phrase for it only where an article has all of it.
  const add = (terms: (number | undefined)[], weight: number, whole: boolean) => {
    const present = [...new Set(terms.filter((term): term is number => term !== undefined))];
    if (!present.length || (whole && present.length < new Set(terms).size)) return;
    const scaled = (weight * present.length) / terms.length;
    const key = present.sort((a, b) => a - b).join(',');
    const known = readings.get(key);
    if (!known || known.weight < scaled)
      readings.set(key, {
        terms: present,
        weight: scaled,
        ...(whole && present.length > 1 ? { whole } : {}),
      });
  };
  const addWords = (
    phrase: readonly string[],
    languages: readonly KbLanguage[],
    weight: number,
    whole = true,
  ) => {
    const content = phrase.filter((word) => !isStopWord(word));
    if (!content.length) return;
    for (const wordsLanguage of languages) {
      add(
        content.map((word) => index.termId(stem(word, wordsLanguage))),
        weight,
        whole,
      );
    }
  };
  const languages = language ? [language, ...KB_LANGUAGES.filter((l) => l !== language)] : KB_LANGUAGES;
  const inLanguage = (entry: KbLanguage) => (language && entry !== language ? READINGS.otherLanguage : 1);
  const addMeanings = (phrase: readonly string[], weight: number) => {
    const meaning = vocabulary.meaning(phrase);
    if (!meaning) return false;
    for (const synonym of meaning.synonyms) {
      const w = weight * READINGS.synonym * inLanguage(synonym.language);
      addWords(synonym.phrase, [synonym.language], w);
      for (const translation of vocabulary.meaning(synonym.phrase)?.translations ?? [])
        addWords(translation.phrase, [translation.language], weight * READINGS.twoSteps);
    }
    for (const translation of meaning.translations) {
      const from = translation.language === 'en' ? 'es' : 'en';
      addWords(translation.phrase, [translation.language], weight * READINGS.translation * inLanguage(from));
      for (const synonym of vocabulary.meaning(translation.phrase)?.synonyms ?? [])
        if (synonym.language === translation.language)
          addWords(synonym.phrase, [synonym.language], weight * READINGS.twoSteps);
    }
    return true;
  };

  addWords(words, languages, 1, false);
  if (parts) addWords(parts, languages, 1);
  if (words.length === 1 && isIdentifier(words[0]!))
    for (const reading of readings.values()) reading.identifier = true;
  const known = addMeanings(words, 1);
  if (words.length === 1) {
    const word = words[0]!;
    const stems = KB_LANGUAGES.map((l) => stem(word, l));
    const inIndex = stems.some((s) => index.termId(s) !== undefined);
    // A real word of either language is what the member meant, not a typo of a KB word.
    if (!inIndex && !known && !isCommonWord(word)) {
      // A correction into the other language than the question's is a different word, not a typo.
      const sameLanguage = (candidate: string) => {
        const of = vocabulary.languageOf(candidate) ?? index.languageOfWord(candidate);
        return !language || !of || of === language;
      };
      for (const correction of corrector.corrections(word, 2, sameLanguage)) {
        const weight = READINGS.typo[correction.edits] ?? 0;
        addWords([correction.word], languages, weight);
        addMeanings([correction.word], weight);
      }
    }
    if (!inIndex) {
      for (const wordStem of new Set(stems)) {
        for (let length = wordStem.length - 1; length >= Math.max(4, wordStem.length - 3); length--) {
          const shorter = index.termId(wordStem.slice(0, length));
          if (shorter !== undefined) {
            add([shorter], READINGS.shorterStem, false);
            break;
          }
        }
      }
    }
  }

  const expansions = [...readings.values()];
  return {
    ...(words.every((word) => isStopWord(word) || isEverydayWord(word)) ? { everyday: true } : {}),
    text: words.join(' '),
    importance: expansions.length ? 0 : context.unknownWeight * index.rarestIdf,
    expansions,
  };
}
