import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StringsContext } from '../src/agent/strings.ts';
import { CaseDesk } from '../src/features/case-desk/case-desk.tsx';
import { DESK_STRINGS } from '../src/features/case-desk/desk-strings.ts';
import { CASE_STRINGS } from '../src/shared/case/case-strings.ts';
import { aCase } from './fixtures.ts';
import { API, renderWithPaste, stubFetch } from './render.tsx';

/** Flex's strings for an agent whose Flex speaks Spanish, as the features register them. */
const SPANISH = { ...CASE_STRINGS.es, ...DESK_STRINGS.es };

function renderInSpanish() {
  return renderWithPaste(
    <StringsContext.Provider value={SPANISH}>
      <CaseDesk desk={{ token: 'agent-token', apiBaseUrl: API }} />
    </StringsContext.Provider>,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('the Cases view in Spanish', () => {
  it('says every word of the list, its counts and its pager in Spanish', async () => {
    stubFetch(() => ({
      body: {
        cases: [aCase({ number: 12, subject: 'El juego se cierra al abrir la tienda 🛒', reports: 3 })],
        nextCursor: null,
        total: 1,
        totalCapped: false,
      },
    }));
    renderInSpanish();
    expect((await screen.findByTestId('flexcord-desk-reports')).textContent).toBe('3 informes');
    expect(screen.getByText('Página 1')).toBeTruthy();
    expect(screen.getByTestId('flexcord-desk-count').textContent).toBe('1 caso');
    expect(screen.queryByText(/reports|Page \d/)).toBeNull();
  });

  it('says in Spanish that the cases could not be loaded, with the reason and a retry', async () => {
    stubFetch(() => ({ status: 503, body: { error: 'database unavailable' } }));
    renderInSpanish();
    const alert = await screen.findByTestId('flexcord-desk-failed');
    expect(alert.textContent).toMatch(/^No se pudieron cargar los casos: /);
    expect(screen.getByText('Reintentar')).toBeTruthy();
    expect(screen.queryByText(/Could not load/)).toBeNull();
  });
});
