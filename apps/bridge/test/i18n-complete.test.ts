import { describe, expect, it } from 'vitest';
import { bugModal } from '../src/adapters/discord/report-modals.ts';
import { validateBugForm } from '../src/domain/community/report-forms.ts';
import { catalogs } from '../src/domain/i18n/messages.ts';

/**
 * A position reads "3rd" in English and "puesto 3" in Spanish: callers pass both `ordinal` and
 * `position`, and each language uses its own.
 */
const SAME_MEANING: Record<string, string> = { ordinal: 'position' };
const placeholders = (text: string) =>
  [...text.matchAll(/\{(\w+)}/g)].map((match) => SAME_MEANING[match[1]!] ?? match[1]).sort();

/** Issue #22: members read every text in English or Spanish, complete in both. */
describe('English and Spanish are complete', () => {
  it('every key is in both languages, not empty, with the same placeholders', () => {
    const keys = new Set([...Object.keys(catalogs.en), ...Object.keys(catalogs.es)]);
    const problems: string[] = [];
    for (const key of keys) {
      const en = (catalogs.en as Record<string, string | undefined>)[key];
      const es = (catalogs.es as Record<string, string | undefined>)[key];
      if (!en?.trim()) problems.push(`${key}: missing in English`);
      if (!es?.trim()) problems.push(`${key}: missing in Spanish`);
      if (en && es && placeholders(en).join() !== placeholders(es).join())
        problems.push(`${key}: placeholders ${placeholders(en).join()} vs ${placeholders(es).join()}`);
    }
    expect(problems).toEqual([]);
  });

  it('a Spanish reporter picks the severity in Spanish: the form offers it, "alta" and "Crítica" are taken', () => {
    const form = {
      title: 'Pantalla congelada',
      whatHappened: 'El juego se congela al cargar.',
      steps: '',
      expectedVsActual: '',
    };
    const severity = JSON.stringify(bugModal('es-ES').components);
    expect(severity).toContain('Gravedad: baja, media, alta o crítica');
    expect(severity).toContain('"value":"media"');
    expect(validateBugForm({ ...form, severity: 'alta' }, 'es-ES')).toEqual({ ok: true, severity: 'high' });
    expect(validateBugForm({ ...form, severity: ' Crítica ' }, 'es-ES')).toEqual({
      ok: true,
      severity: 'critical',
    });
    expect(validateBugForm({ ...form, severity: 'critica' }, 'es-ES')).toEqual({
      ok: true,
      severity: 'critical',
    });
    expect(validateBugForm({ ...form, severity: 'high' }, 'es-ES')).toEqual({ ok: true, severity: 'high' });
    expect(validateBugForm({ ...form, severity: 'terrible' }, 'es-ES')).toEqual({
      ok: false,
      reason: 'la gravedad debe ser baja, media, alta o crítica',
    });
  });
});
