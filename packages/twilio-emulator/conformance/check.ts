import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrafficRecord } from '../src/recorder.ts';
import {
  type FieldType,
  findOperation,
  type Operation,
  type ResourceShape,
} from './twilio-node-catalogue.ts';

/** One difference between what the emulator did and what twilio-node documents. */
export interface Problem {
  /** `POST /taskrouter/v1/Workspaces/{workspaceSid}/Tasks/{sid}` (twilio-node's template), or the path. */
  operation: string;
  /** `extra field links`, `missing field date_created`, `unknown parameter Foo`… */
  problem: string;
  /** One recorded exchange that shows it. */
  example: { method: string; path: string; status: number };
}

/** A difference kept on purpose, with the reason. */
export interface KnownDeviation {
  /** The operation, exactly as {@link Problem.operation}, or a RegExp over it. */
  operation: string | RegExp;
  /** The problem, exactly as {@link Problem.problem}, or a RegExp over it. */
  problem: string | RegExp;
  reason: string;
}

/** Twilio's list `meta`, as the emulator's pages answer it (the newer APIs' paging). */
const META_FIELDS = [
  'page',
  'page_size',
  'first_page_url',
  'previous_page_url',
  'url',
  'next_page_url',
  'key',
];
/** Paging parameters every list takes (twilio-node sends `PageSize`; `Page`/`PageToken` ride in page URLs). */
const PAGING = ['PageSize', 'Page', 'PageToken'];

/** Every recorded exchange under `dir` (`*.jsonl`). */
export function readTraffic(dir: string): TrafficRecord[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.jsonl'))
    .flatMap((file) =>
      readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as TrafficRecord),
    );
}

function typeProblem(name: string, type: FieldType, value: unknown): string | null {
  if (value === null) return null;
  const wrong = (expected: string) =>
    `field ${name} is ${JSON.stringify(value)?.slice(0, 60)}, not ${expected}`;
  switch (type.kind) {
    case 'string':
      return typeof value === 'string' ? null : wrong('a string');
    case 'number':
      return typeof value === 'number' ? null : wrong('a number');
    case 'boolean':
      return typeof value === 'boolean' ? null : wrong('a boolean');
    case 'date':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? null : wrong('a date');
    case 'array':
      return Array.isArray(value) ? null : wrong('an array');
    case 'object':
      return typeof value === 'object' || typeof value === 'string' ? null : wrong('an object');
    case 'enum':
      return typeof value === 'string' && type.values.includes(value)
        ? null
        : wrong(`one of ${type.name} (${type.values.join(', ')})`);
    case 'any':
      return null;
  }
}

/** The differences between a body and the resource twilio-node reads. */
export function resourceProblems(shape: ResourceShape, body: unknown, where = ''): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return [`${where}body is not a JSON object`];
  const record = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const [name, type] of shape.fields) {
    if (!(name in record)) problems.push(`${where}missing field ${name}`);
    else {
      const problem = typeProblem(name, type, record[name]);
      if (problem) problems.push(`${where}${problem}`);
    }
  }
  for (const name of Object.keys(record))
    if (!shape.fields.has(name)) problems.push(`${where}extra field ${name}`);
  return problems;
}

/** The differences between an error body and Twilio's `{code, message, more_info, status}`. */
export function errorProblems(status: number, body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return ['error body is not a JSON object'];
  const error = body as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof error.code !== 'number') problems.push('error code is not a number');
  if (typeof error.message !== 'string') problems.push('error message is not a string');
  if (typeof error.more_info !== 'string') problems.push('error more_info is not a string');
  if (error.status !== status) problems.push('error status is not the HTTP status');
  for (const name of Object.keys(error))
    if (!['code', 'message', 'more_info', 'status', 'details'].includes(name))
      problems.push(`extra error field ${name}`);
  return problems;
}

function exchangeProblems(op: Operation, record: TrafficRecord): string[] {
  if (record.status >= 400) return errorProblems(record.status, record.body);
  const problems: string[] = [];
  // The request: the emulator accepted it, so Twilio must have too.
  const known = new Set([...op.params, ...(op.kind === 'page' ? PAGING : [])]);
  for (const name of Object.keys(record.params))
    if (!known.has(name)) problems.push(`accepts unknown parameter ${name}`);
  for (const name of op.required)
    if (!(name in record.params)) problems.push(`accepts a request without the required parameter ${name}`);
  if (record.ifMatch !== null && !op.headers.has('If-Match')) problems.push('accepts an If-Match header');
  // The response.
  if (op.kind === 'remove') {
    if (record.status !== 204) problems.push(`answers a delete with ${record.status}, not 204`);
    return problems;
  }
  if (!op.resource) return [...problems, 'twilio-node has no resource for this operation'];
  if (op.kind === 'page') {
    const body = record.body as Record<string, unknown> | null;
    const meta = body?.meta as Record<string, unknown> | undefined;
    if (!meta || typeof meta.key !== 'string') return [...problems, 'list without meta.key'];
    for (const name of META_FIELDS) if (!(name in meta)) problems.push(`list meta without ${name}`);
    for (const name of Object.keys(meta))
      if (!META_FIELDS.includes(name)) problems.push(`extra list meta ${name}`);
    for (const name of Object.keys(body ?? {}))
      if (name !== 'meta' && name !== meta.key) problems.push(`extra list field ${name}`);
    const items = body?.[meta.key];
    if (!Array.isArray(items)) return [...problems, `list ${meta.key} is not an array`];
    for (const item of items) problems.push(...resourceProblems(op.resource, item, 'item: '));
    return problems;
  }
  return [...problems, ...resourceProblems(op.resource, record.body)];
}

/** Every problem of the recorded traffic, one per operation and problem (with an example). */
export function checkTraffic(catalogue: readonly Operation[], traffic: readonly TrafficRecord[]): Problem[] {
  const found = new Map<string, Problem>();
  for (const record of traffic) {
    const op = findOperation(catalogue, record.method, record.path);
    const example = { method: record.method, path: record.path, status: record.status };
    const problems = op
      ? exchangeProblems(op, record)
      : record.status >= 400
        ? errorProblems(record.status, record.body)
        : ['twilio-node has no such operation'];
    const operation = op ? `${op.method} ${op.template}` : `${record.method} ${record.route ?? record.path}`;
    for (const problem of new Set(problems)) {
      const key = `${operation} | ${problem}`;
      if (!found.has(key)) found.set(key, { operation, problem, example });
    }
  }
  return [...found.values()];
}

function fits(pattern: string | RegExp, value: string): boolean {
  return typeof pattern === 'string' ? pattern === value : pattern.test(value);
}

/** Whether a problem is one of the known deviations. */
export function isKnown(problem: Problem, deviations: readonly KnownDeviation[]): KnownDeviation | undefined {
  return deviations.find((d) => fits(d.operation, problem.operation) && fits(d.problem, problem.problem));
}
