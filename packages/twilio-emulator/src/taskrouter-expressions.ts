/**
 * TaskRouter's SQL-like expressions, as workflow filters (against task attributes) and task queues'
 * `TargetWorkers` (against worker attributes) use them: string (single or double quoted), number
 * and boolean constants; JSON keys with dot notation and `[n]` indices (a missing key is NULL);
 * `==`, `=`, `!=`, `>`, `>=`, `<`, `<=`, `IN`, `NOT IN`, `HAS`, `CONTAINS`; `AND`, `OR`,
 * parentheses. Keywords are case-insensitive.
 *
 * @see https://www.twilio.com/docs/taskrouter/expression-syntax
 */

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

type Token =
  | { kind: 'string' | 'number' | 'key'; text: string }
  | { kind: 'op'; text: string }
  | { kind: 'paren' | 'bracket' | 'comma'; text: string };

export class ExpressionError extends Error {}

const OPERATORS = ['==', '!=', '>=', '<=', '=', '>', '<'];
const WORD_OPERATORS = new Set(['AND', 'OR', 'IN', 'NOT', 'HAS', 'CONTAINS']);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    if (char === '"' || char === "'") {
      const end = source.indexOf(char, i + 1);
      if (end < 0) throw new ExpressionError(`unterminated string at ${i}`);
      tokens.push({ kind: 'string', text: source.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (char === '(' || char === ')') {
      tokens.push({ kind: 'paren', text: char });
      i++;
      continue;
    }
    if (char === '[' || char === ']') {
      tokens.push({ kind: 'bracket', text: char });
      i++;
      continue;
    }
    if (char === ',') {
      tokens.push({ kind: 'comma', text: char });
      i++;
      continue;
    }
    const op = OPERATORS.find((candidate) => source.startsWith(candidate, i));
    if (op) {
      tokens.push({ kind: 'op', text: op === '=' ? '==' : op });
      i += op.length;
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(source.slice(i));
    if (number) {
      tokens.push({ kind: 'number', text: number[0] });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][\w.]*(\[\d+\][\w.]*)*/.exec(source.slice(i));
    if (!word) throw new ExpressionError(`unexpected "${char}" at ${i}`);
    const upper = word[0].toUpperCase();
    tokens.push(WORD_OPERATORS.has(upper) ? { kind: 'op', text: upper } : { kind: 'key', text: word[0] });
    i += word[0].length;
  }
  return tokens;
}

function resolveKey(document: Value, key: string): Value {
  if (key === 'true') return true;
  if (key === 'false') return false;
  if (key.toLowerCase() === 'null') return null;
  let current: Value = document;
  for (const part of key.split('.')) {
    const [name, ...indices] = part.split(/[[\]]+/).filter(Boolean);
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return null;
    current = (current as Record<string, Value>)[name!] ?? null;
    for (const index of indices) {
      if (!Array.isArray(current)) return null;
      current = current[Number(index)] ?? null;
    }
  }
  return current;
}

function equal(a: Value, b: Value): boolean {
  if (a === null || b === null) return false;
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

function compare(op: string, a: Value, b: Value): boolean {
  switch (op) {
    case '==':
      return equal(a, b);
    case '!=':
      return a !== null && b !== null && !equal(a, b);
    case '>':
    case '>=':
    case '<':
    case '<=': {
      if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) return false;
      const x = a as number | string;
      const y = b as number | string;
      return op === '>' ? x > y : op === '>=' ? x >= y : op === '<' ? x < y : x <= y;
    }
    case 'IN':
      return Array.isArray(b) && b.some((item) => equal(a, item));
    case 'NOT IN':
      return Array.isArray(b) && a !== null && !b.some((item) => equal(a, item));
    case 'HAS':
      return Array.isArray(a) && a.some((item) => equal(item, b));
    case 'CONTAINS':
      return typeof a === 'string' && typeof b === 'string' && a.includes(b);
    default:
      throw new ExpressionError(`unknown operator ${op}`);
  }
}

/** A parsed expression, evaluated against a JSON document (task or worker attributes). */
export type Expression = (document: Value) => boolean;

/** Parses `source`; throws {@link ExpressionError} when it is not a TaskRouter expression. */
export function parseExpression(source: string): Expression {
  const tokens = tokenize(source);
  let position = 0;
  const peek = () => tokens[position];
  const next = () => {
    const token = tokens[position++];
    if (!token) throw new ExpressionError('the expression ends too soon');
    return token;
  };

  const operand = (): ((document: Value) => Value) => {
    const token = next();
    if (token.kind === 'string') return () => token.text;
    if (token.kind === 'number') return () => Number(token.text);
    if (token.kind === 'key') return (document) => resolveKey(document, token.text);
    if (token.kind === 'bracket' && token.text === '[') {
      const items: ((document: Value) => Value)[] = [];
      while (peek() && !(peek()!.kind === 'bracket' && peek()!.text === ']')) {
        items.push(operand());
        if (peek()?.kind === 'comma') position++;
      }
      next();
      return (document) => items.map((item) => item(document));
    }
    throw new ExpressionError(`unexpected "${token.text}"`);
  };

  const comparison = (): Expression => {
    if (peek()?.kind === 'paren' && peek()!.text === '(') {
      position++;
      const inner = or();
      const close = next();
      if (close.text !== ')') throw new ExpressionError('missing ")"');
      return inner;
    }
    const left = operand();
    const token = next();
    if (token.kind !== 'op' || token.text === 'AND' || token.text === 'OR')
      throw new ExpressionError(`expected a comparison, found "${token.text}"`);
    let op = token.text;
    if (op === 'NOT') {
      const after = next();
      if (after.text !== 'IN') throw new ExpressionError('expected IN after NOT');
      op = 'NOT IN';
    }
    const right = operand();
    return (document) => compare(op, left(document), right(document));
  };

  const and = (): Expression => {
    let left = comparison();
    while (peek()?.kind === 'op' && peek()!.text === 'AND') {
      position++;
      const a = left;
      const b = comparison();
      left = (document) => a(document) && b(document);
    }
    return left;
  };

  const or = (): Expression => {
    let left = and();
    while (peek()?.kind === 'op' && peek()!.text === 'OR') {
      position++;
      const a = left;
      const b = and();
      left = (document) => a(document) || b(document);
    }
    return left;
  };

  const expression = or();
  if (position !== tokens.length) throw new ExpressionError(`unexpected "${tokens[position]!.text}"`);
  return expression;
}

/**
 * The value at `key` (dot notation, `[n]` indices) in `attributes` (a JSON string), null when
 * missing: what a workflow target's `known_worker_sid: "task.agent_sid"` reads (without `task.`).
 */
export function valueAt(attributes: string, key: string): unknown {
  let document: Value;
  try {
    document = JSON.parse(attributes) as Value;
  } catch {
    return null;
  }
  return resolveKey(document, key);
}

/** Whether `attributes` (a JSON string) match `source`. */
export function matches(source: string, attributes: string): boolean {
  let document: Value;
  try {
    document = JSON.parse(attributes) as Value;
  } catch {
    document = {};
  }
  return parseExpression(source)(document);
}
