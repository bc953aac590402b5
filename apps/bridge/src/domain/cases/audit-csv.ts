import type { AuditEntry } from '@flexcord/contracts';

/**
 * The audit log as CSV for a spreadsheet (RFC 4180: quoted where needed, CRLF). A cell a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) is read as text (a leading `'`,
 * OWASP's advice on CSV injection): agents' names are not the bridge's to trust.
 *
 * @see https://owasp.org/www-community/attacks/CSV_Injection
 */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const cell = (value: string | number) => {
    const raw = String(value);
    const text = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const row = (values: (string | number)[]) => values.map(cell).join(',');
  return [
    row(['at', 'case', 'action', 'actor', 'actor_id', 'source', 'changes']),
    ...entries.map((entry) =>
      row([
        entry.at,
        entry.caseNumber,
        entry.action,
        entry.actor.name,
        entry.actor.id,
        entry.source,
        Object.keys(entry.changes).length ? JSON.stringify(entry.changes) : '',
      ]),
    ),
  ]
    .join('\r\n')
    .concat('\r\n');
}
