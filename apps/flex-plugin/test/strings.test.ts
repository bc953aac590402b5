import { describe, expect, it } from 'vitest';
import { NOTICE_STRINGS } from '../src/agent/notifications.ts';
import { fill, languageOf, registerStrings, type StringCatalog } from '../src/agent/strings.ts';
import { CANNED_STRINGS } from '../src/features/canned-replies/canned-strings.ts';
import { DESK_STRINGS } from '../src/features/case-desk/desk-strings.ts';
import { HANDOVER_STRINGS } from '../src/features/discord-channel/handover-notice.tsx';
import { KB_INSERT_STRINGS } from '../src/features/kb-insert/kb-insert-strings.ts';
import { AUDIT_STRINGS } from '../src/features/supervisor-audit/audit-strings.ts';
import { FIGURES_STRINGS } from '../src/features/supervisor-figures/figures-strings.ts';
import { LEARNED_PHRASINGS_STRINGS } from '../src/features/supervisor-figures/learned-phrasings-strings.ts';
import { CASE_STRINGS } from '../src/shared/case/case-strings.ts';

/** Every catalog of the plugin: a new one must be added here, or its Spanish goes unchecked. */
const CATALOGS: Record<string, StringCatalog> = {
  canned: CANNED_STRINGS,
  case: CASE_STRINGS,
  desk: DESK_STRINGS,
  figures: FIGURES_STRINGS,
  handover: HANDOVER_STRINGS,
  kbInsert: KB_INSERT_STRINGS,
  learnedPhrasings: LEARNED_PHRASINGS_STRINGS,
  notices: NOTICE_STRINGS,
  audit: AUDIT_STRINGS,
};

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]).sort();

describe("the plugin's words in English and Spanish", () => {
  for (const [name, strings] of Object.entries(CATALOGS)) {
    it(`${name}: every key has a sentence in both languages, with the same placeholders`, () => {
      expect(Object.keys(strings.es).sort()).toEqual(Object.keys(strings.en).sort());
      for (const [key, english] of Object.entries(strings.en)) {
        const spanish = (strings.es as Record<string, string>)[key];
        expect(english.trim(), key).not.toBe('');
        expect(spanish?.trim(), key).not.toBe('');
        expect(placeholders(spanish ?? ''), key).toEqual(placeholders(english));
      }
    });
  }

  it('no two catalogs use the same key (they share manager.strings)', () => {
    const keys = Object.values(CATALOGS).flatMap((strings) => Object.keys(strings.en));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("writes the agent's language into manager.strings and keeps what the brand set", () => {
    const manager = {
      strings: { FlexcordCasePanelTryAgain: 'Retry, please', TaskHeaderLine: '{{task.defaultFrom}}' },
      localization: { localeTag: 'es-MX' },
    };
    registerStrings(manager, CASE_STRINGS);
    const strings = manager.strings as Record<string, string>;
    expect(strings.FlexcordCasePanelStatus).toBe('Estado');
    expect(strings.FlexcordCasePanelTryAgain).toBe('Retry, please');
    expect(strings.TaskHeaderLine).toBe('{{task.defaultFrom}}');
  });

  it('reads Spanish for any Spanish locale and English for the rest', () => {
    expect(languageOf('es')).toBe('es');
    expect(languageOf('es-419')).toBe('es');
    expect(languageOf('en-US')).toBe('en');
    expect(languageOf('fr-FR')).toBe('en');
    expect(languageOf(undefined)).toBe('en');
  });

  it('fills placeholders as Flex templates do, and leaves an unknown one empty', () => {
    expect(fill('Case #{{number}} for {{ name }}', { number: 42, name: 'Lucía 🎮' })).toBe(
      'Case #42 for Lucía 🎮',
    );
    expect(fill('Hello {{who}}')).toBe('Hello ');
  });
});
