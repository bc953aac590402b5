import { describe, expect, it } from 'vitest';
import { auditCsv } from '../src/domain/cases/audit-csv.ts';
import { exportFilename, nameRemover } from '../src/domain/privacy/privacy-service.ts';

describe("an erased member's name, wherever it is written", () => {
  const remove = nameRemover(['Lucía', 'lucia', 'José María', 'نور', '🦄 Uni'], 'Deleted member');

  it('is replaced as a whole word, in any case, accents and scripts included', () => {
    expect(remove('Hola Lucía, ¿cómo estás?')).toBe('Hola Deleted member, ¿cómo estás?');
    expect(remove('LUCÍA wrote to lucia')).toBe('Deleted member wrote to Deleted member');
    expect(remove('Gracias, José María.')).toBe('Gracias, Deleted member.');
    expect(remove('مرحبا نور!')).toBe('مرحبا Deleted member!');
    expect(remove('hi 🦄 Uni')).toBe('hi Deleted member');
  });

  it('leaves other words that merely contain it alone', () => {
    expect(remove('Luciana and lucias')).toBe('Luciana and lucias');
  });

  it('treats names as text, not patterns', () => {
    expect(nameRemover(['a.b (x)'], '∅')('see a.b (x) and aXb (x)')).toBe('see ∅ and aXb (x)');
  });
});

describe('the export file name', () => {
  it('is plain ASCII whatever the member is called, with neither their name nor their id in it', () => {
    expect(exportFilename(new Date('2026-12-08T01:00:00Z'))).toBe('flexcord-data-2026-12-08.json');
  });
});

describe('the audit log as CSV', () => {
  it('quotes what needs quoting and reads a would-be formula as text', () => {
    const csv = auditCsv([
      {
        id: 1,
        caseNumber: 7,
        action: 'status_changed',
        actor: { id: 'eve@example.com', name: '=HYPERLINK("x")' },
        source: 'plugin-api',
        changes: { from: 'open', to: 'pending' },
        at: '2026-12-08T01:00:00.000Z',
      },
      {
        id: 2,
        caseNumber: 7,
        action: 'note',
        actor: { id: 'zoe@example.com', name: 'Zoë, “Ops” 🚀' },
        source: 'plugin-api',
        changes: {},
        at: '2026-12-08T01:01:00.000Z',
      },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'at,case,action,actor,actor_id,source,changes',
      `2026-12-08T01:00:00.000Z,7,status_changed,"'=HYPERLINK(""x"")",eve@example.com,plugin-api,"{""from"":""open"",""to"":""pending""}"`,
      '2026-12-08T01:01:00.000Z,7,note,"Zoë, “Ops” 🚀",zoe@example.com,plugin-api,',
      '',
    ]);
  });
});
