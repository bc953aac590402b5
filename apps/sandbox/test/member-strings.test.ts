import { describe, expect, it } from 'vitest';
import { languageOf, localized, STRINGS, translator } from '../src/web/member/strings.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe("the sandbox's words, in English and Spanish", () => {
  it('has every key in both languages, none empty, with the same placeholders', () => {
    const english = Object.keys(STRINGS.en).sort();
    const spanish = Object.keys(STRINGS.es).sort();
    expect(spanish).toEqual(english);
    for (const key of english) {
      const k = key as keyof typeof STRINGS.en;
      expect(STRINGS.en[k].trim(), `en.${key}`).not.toBe('');
      expect(STRINGS.es[k].trim(), `es.${key}`).not.toBe('');
      expect(placeholders(STRINGS.es[k]), `es.${key} placeholders`).toEqual(placeholders(STRINGS.en[k]));
    }
  });

  it("speaks Spanish to Discord's Spanish locales and English to the others", () => {
    expect(languageOf('es-ES')).toBe('es');
    expect(languageOf('es-419')).toBe('es');
    expect(languageOf('en-US')).toBe('en');
    expect(languageOf('pt-BR')).toBe('en');
    expect(languageOf(undefined)).toBe('en');
  });

  it("fills the placeholders, and shows Discord's Spanish chrome to Lucía", () => {
    const t = translator('es');
    expect(t('messagePlaceholder', { place: '@Flexcord' })).toBe('Enviar mensaje a @Flexcord');
    expect(`${t('onlyYou')} • ${t('dismissMessage')}`).toBe('Solo tú puedes ver esto • Descartar mensaje');
    expect([t('cancel'), t('submit')]).toEqual(['Cancelar', 'Enviar']);
    expect(translator('en')('usedCommand', { user: 'Pat', command: 'helpme' })).toBe('Pat used /helpme');
  });

  it("shows a command in the member's locale, falling back to the default", () => {
    const command = {
      name: 'case',
      description: 'See your support cases',
      description_localizations: { 'es-ES': 'Consulta tus casos de soporte', 'es-419': null },
    };
    expect(localized(command, 'es-ES')).toEqual({
      name: 'case',
      description: 'Consulta tus casos de soporte',
    });
    expect(localized(command, 'es-419').description).toBe('See your support cases');
    expect(localized(command, 'en-US').description).toBe('See your support cases');
  });
});
