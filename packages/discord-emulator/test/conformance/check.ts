import * as z from 'zod/mini';
import type { RecordedExchange } from '../../src/index.ts';
import type { DiscordSpec, Schema } from './openapi-spec.ts';

/** What can be wrong with one recorded exchange, measured against Discord's spec. */
export type FindingKind =
  /** The emulator serves a route the spec does not have. */
  | 'route-not-in-spec'
  /** The answer's status is not one the spec lists for the route. */
  | 'status-not-in-spec'
  /** A 5xx the emulator produced by itself (not an injected fault). */
  | 'server-error'
  /** The answered body does not parse with the spec's schema for that route and status. */
  | 'response-invalid'
  /** The answered body has a field the spec's object does not define (an invented field). */
  | 'response-field-not-in-spec'
  /** An accepted request body that the spec's request schema refuses (Discord would refuse it). */
  | 'request-invalid'
  /** An accepted query parameter the spec does not define or whose value it refuses. */
  | 'query-invalid';

export interface Finding {
  kind: FindingKind;
  method: string;
  route: string | null;
  status: number;
  /** Where in the body (`attachments[].flags`), `[]` for any array index; '' for the whole. */
  where: string;
  detail: string;
}

/** Checks one exchange against the spec; an empty list means it conforms. */
export function checkExchange(spec: DiscordSpec, exchange: RecordedExchange): Finding[] {
  const findings: Finding[] = [];
  const finding = (kind: FindingKind, where: string, detail: string) =>
    findings.push({
      kind,
      method: exchange.method,
      route: exchange.route,
      status: exchange.status,
      where,
      detail,
    });

  if (exchange.status >= 500) {
    if (!exchange.faulted) finding('server-error', '', JSON.stringify(exchange.response ?? null));
    return findings;
  }
  if (exchange.route === null) return findings; // 404/405 for unknown paths: Discord's generic error
  const operation = spec.find(exchange.method, exchange.route);
  if (!operation) {
    finding('route-not-in-spec', '', `${exchange.method} ${exchange.route}`);
    return findings;
  }

  const statusKey = [String(exchange.status), `${String(exchange.status)[0]}XX`, 'default'].find((key) =>
    operation.responses.has(key),
  );
  if (statusKey === undefined) {
    finding('status-not-in-spec', '', `spec lists ${[...operation.responses.keys()].join(', ')}`);
  } else {
    const schema = operation.responses.get(statusKey) ?? null;
    if (schema === null) {
      if (exchange.response !== undefined) finding('response-invalid', '', 'the spec answers no body');
    } else {
      for (const problem of problems(schema, exchange.response)) finding('response-invalid', ...problem);
      for (const extra of unknownFields(schema, exchange.response, []))
        finding('response-field-not-in-spec', extra, 'not defined by the spec');
    }
  }

  if (exchange.status >= 200 && exchange.status < 300) {
    if (exchange.request !== undefined && operation.request)
      for (const problem of problems(operation.request, exchange.request))
        finding('request-invalid', ...problem);
    for (const [name, parameter] of operation.query) {
      if (parameter.required && exchange.query?.[name] === undefined)
        finding('query-invalid', name, 'required by the spec, missing');
    }
    for (const [name, value] of Object.entries(exchange.query ?? {})) {
      const parameter = operation.query.get(name);
      if (!parameter) finding('query-invalid', name, 'not a query parameter of this route');
      else if (!queryValueFits(parameter.schema, value)) finding('query-invalid', name, `refuses "${value}"`);
    }
  }
  return findings;
}

/** `attachments.0.flags` → `attachments[].flags`, so one deviation covers every index. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((key) => (typeof key === 'number' ? '[]' : String(key)))
    .join('.')
    .replace(/\.\[\]/g, '[]');
}

// zod/mini ships without messages; English ones make findings readable.
z.config(z.locales.en());

function problems(schema: Schema, value: unknown): Array<[string, string]> {
  const result = z.safeParse(schema, value);
  if (result.success) return [];
  return flatten(result.error.issues, []).map((issue) => [
    fieldPath(issue.path),
    `${issue.message}, got ${JSON.stringify(valueAt(value, issue.path))?.slice(0, 80) ?? 'undefined'}`,
  ]);
}

/**
 * A union's failure says only "Invalid input" at the union: take the branch that came closest
 * (fewest issues) and report its issues, with full paths, instead.
 */
function flatten(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      if (closest.length > 0) return flatten(closest, path);
    }
    return [{ ...issue, path }];
  });
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let node = root;
  for (const key of path) node = (node as Record<PropertyKey, unknown> | undefined)?.[key];
  return node;
}

/** A query string value against the spec's parameter type (numbers and booleans arrive as text). */
function queryValueFits(schema: Schema, value: string): boolean {
  const candidates: unknown[] = [value];
  if (/^-?\d+(\.\d+)?$/.test(value)) candidates.push(Number(value));
  if (value === 'true' || value === 'false') candidates.push(value === 'true');
  return candidates.some((candidate) => z.safeParse(schema, candidate).success);
}

interface Def {
  type: string;
  shape?: Record<string, Schema>;
  innerType?: Schema;
  element?: Schema;
  options?: Schema[];
  left?: Schema;
  right?: Schema;
  valueType?: Schema;
  getter?: () => Schema;
  in?: Schema;
}

const defOf = (schema: Schema): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Peels lazy, optional, nullable and default wrappers. */
function unwrap(schema: Schema): Schema {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (def.type === 'lazy' && def.getter) current = def.getter();
    else if (
      ['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional'].includes(def.type) &&
      def.innerType
    )
      current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
}

/** The fields an object-like schema defines (objects, and intersections of them); null if not one. */
function shapeOf(schema: Schema): Record<string, Schema> | null {
  const def = defOf(unwrap(schema));
  if (def.type === 'object') return def.shape ?? {};
  if (def.type === 'intersection' && def.left && def.right) {
    const left = shapeOf(def.left);
    const right = shapeOf(def.right);
    return left && right ? { ...left, ...right } : (left ?? right);
  }
  return null;
}

/**
 * Fields in `value` the schema does not define, at any depth: the spec's objects are open (most
 * fields optional), so a typo or an invented field would pass `safeParse` unnoticed. For a union,
 * the branch that leaves the fewest unknown fields is taken.
 */
export function unknownFields(schema: Schema, value: unknown, path: PropertyKey[]): string[] {
  if (value === null || value === undefined) return [];
  const inner = unwrap(schema);
  const shape = shapeOf(inner);
  if (shape) {
    if (typeof value !== 'object' || Array.isArray(value)) return [];
    return Object.entries(value as Record<string, unknown>).flatMap(([key, field]) => {
      const fieldSchema = shape[key];
      return fieldSchema ? unknownFields(fieldSchema, field, [...path, key]) : [fieldPath([...path, key])];
    });
  }
  const def = defOf(inner);
  if (def.type === 'array' && def.element && Array.isArray(value)) {
    const element = def.element;
    return [...new Set(value.flatMap((item, index) => unknownFields(element, item, [...path, index])))];
  }
  if (def.type === 'record' && def.valueType && typeof value === 'object') {
    const valueType = def.valueType;
    return Object.entries(value as Record<string, unknown>).flatMap(([key, field]) =>
      unknownFields(valueType, field, [...path, key]),
    );
  }
  if (def.type === 'union' && def.options) {
    const fitting = def.options.filter((option) => z.safeParse(option, value).success);
    const branches = (fitting.length > 0 ? fitting : def.options).map((option) =>
      unknownFields(option, value, path),
    );
    return branches.sort((a, b) => a.length - b.length)[0] ?? [];
  }
  return [];
}
