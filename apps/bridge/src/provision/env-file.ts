import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

/**
 * The variables of a `.env` file, read the way Node's `process.loadEnvFile` and dotenv read them:
 * `KEY=value`, optional `export `, single/double/back quotes, ` #` comments after unquoted values.
 *
 * @see https://nodejs.org/api/process.html#processloadenvfilepath
 */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = LINE.exec(line);
    if (!match) continue;
    const [, key = '', raw = ''] = match;
    values[key] = unquote(raw);
  }
  return values;
}

function unquote(raw: string): string {
  const trimmed = raw.trim();
  const quote = trimmed[0];
  if (quote === '"' || quote === "'" || quote === '`') {
    const end = trimmed.indexOf(quote, 1);
    if (end > 0) {
      const inner = trimmed.slice(1, end);
      return quote === '"' ? inner.replace(/\\n/g, '\n') : inner;
    }
  }
  return trimmed.replace(/\s+#.*$/, '').trim();
}

/** A value as it should be written: bare when safe, double-quoted otherwise. */
function formatValue(value: string): string {
  return /^[\w@%+=:,./-]*$/.test(value) ? value : `"${value.replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`;
}

/**
 * `text` with `updates` applied: an existing `KEY=` line has its value replaced in place (the rest of
 * the file — comments, order, blank lines, other variables — is kept byte for byte); a new key is
 * appended at the end.
 */
export function updateEnvText(text: string, updates: Record<string, string>): string {
  const pending = new Map(Object.entries(updates));
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text === '' ? [] : text.split(/\r?\n/);
  const out = lines.map((line) => {
    const match = LINE.exec(line);
    const key = match?.[1];
    if (key === undefined || !pending.has(key)) return line;
    const value = pending.get(key) ?? '';
    pending.delete(key);
    const prefix = line.slice(0, line.indexOf('=') + 1);
    return `${prefix}${formatValue(value)}`;
  });
  if (pending.size) {
    if (out.length && out[out.length - 1] === '') out.pop();
    for (const [key, value] of pending) out.push(`${key}=${formatValue(value)}`);
    out.push('');
  }
  return out.join(newline);
}

/** Reads a `.env` file (empty when it does not exist). */
export function readEnvFile(path: string): Record<string, string> {
  return existsSync(path) ? parseEnvFile(readFileSync(path, 'utf8')) : {};
}

/** Writes `updates` into the `.env` file at `path` (created if missing), keeping everything else. */
export function writeEnvFile(path: string, updates: Record<string, string>): void {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const next = updateEnvText(text, updates);
  if (next !== text) writeFileSync(path, next);
}
