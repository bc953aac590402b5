import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

/**
 * What twilio-node (the vendor's generated SDK) says about each REST operation of a product: its
 * URL template, its HTTP method, the parameters and headers it sends, the ones it requires, and
 * the documented fields of the resource it answers with (the `*Resource` interface its `*Instance`
 * constructor reads). Read from `node_modules/twilio/lib/rest/<product>/<version>/**`, nothing by
 * hand: a newer twilio-node brings its newer resources with it.
 */

/** A field's type as the SDK's `.d.ts` declares it, reduced to what JSON can check. */
export type FieldType =
  | { kind: 'string' | 'number' | 'boolean' | 'date' | 'array' | 'object' | 'any' }
  | { kind: 'enum'; name: string; values: string[] };

export interface ResourceShape {
  /** `TaskInstance`'s resource: `TaskResource`. */
  name: string;
  fields: Map<string, FieldType>;
}

export interface Operation {
  /** `fetch`, `update`, `remove`, `create` or `page` (a list). */
  kind: 'fetch' | 'update' | 'remove' | 'create' | 'page';
  method: 'GET' | 'POST' | 'DELETE';
  /** `/taskrouter/v1/Workspaces/{workspaceSid}/Tasks/{sid}`, as the emulator serves it. */
  template: string;
  segments: Array<{ literal: string } | { param: string }>;
  /** Form or query parameter names the SDK sends (`Attributes`, `Configuration.Url`). */
  params: Set<string>;
  required: Set<string>;
  headers: Set<string>;
  /** The resource answered (for a page: the resource of each item). */
  resource: ResourceShape | null;
  /** Where it was read from, relative to `twilio/lib/rest`. */
  source: string;
}

const OPERATIONS = new Set(['create', 'update', 'fetch', 'remove', 'page']);
const HEADER_LINE =
  /^(?: {4}(\w+)\([^)]*\) \{| {4}instance\.(\w+) = function \w+\([^)]*\) \{|class \w+|function \w+|\}$)/;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

function fieldType(source: string, enums: Map<string, string[]>): FieldType {
  const type = source.trim();
  if (type === 'string') return { kind: 'string' };
  if (type === 'number') return { kind: 'number' };
  if (type === 'boolean') return { kind: 'boolean' };
  if (type === 'Date') return { kind: 'date' };
  if (type.startsWith('Array<') || type.endsWith('[]')) return { kind: 'array' };
  if (type === 'any') return { kind: 'any' };
  const values = enums.get(type);
  if (values) return { kind: 'enum', name: type, values };
  return { kind: 'object' };
}

/** The `*Resource` interfaces of one `.d.ts`, by the `*Instance` class that reads each. */
function resourcesOf(dts: string): Map<string, ResourceShape> {
  const enums = new Map<string, string[]>();
  for (const match of dts.matchAll(/export type (\w+) = ((?:"[^"]*"(?: \| )?)+);/g)) {
    enums.set(
      match[1]!,
      [...match[2]!.matchAll(/"([^"]*)"/g)].map((m) => m[1]!),
    );
  }
  const shapes = new Map<string, ResourceShape>();
  for (const match of dts.matchAll(/interface (\w+Resource) \{\n([\s\S]*?)\n\}/g)) {
    const fields = new Map<string, FieldType>();
    for (const line of match[2]!.split('\n')) {
      const field = /^\s+(\w+)\??: (.+);$/.exec(line);
      if (field) fields.set(field[1]!, fieldType(field[2]!, enums));
    }
    shapes.set(match[1]!, { name: match[1]!, fields });
  }
  const byInstance = new Map<string, ResourceShape>();
  for (const match of dts.matchAll(
    /export declare class (\w+Instance) \{[\s\S]*?constructor\(_version: \w+, payload: (\w+Resource)/g,
  )) {
    const shape = shapes.get(match[2]!);
    if (shape) byInstance.set(match[1]!, shape);
  }
  return byInstance;
}

/** The operations of one generated `.js` file. */
function operationsOf(js: string, dts: string, prefix: string, source: string): Operation[] {
  const resources = resourcesOf(dts);
  const lines = js.split('\n');
  const operations: Operation[] = [];
  let uri: string | null = null;
  let current: { kind: Operation['kind']; body: string[] } | null = null;
  const finish = () => {
    if (!current || uri === null) return;
    const body = current.body.join('\n');
    const method = /method: "(\w+)"/.exec(body)?.[1]?.toUpperCase();
    if (method !== 'GET' && method !== 'POST' && method !== 'DELETE') return;
    const camelToWire = new Map<string, string>();
    for (const m of body.matchAll(/data\["([^"]+)"\] = [^;]*?params\["([\w.]+)"\]/g))
      camelToWire.set(m[2]!, m[1]!);
    const required = new Set<string>();
    for (const m of body.matchAll(/Required parameter "params\['([\w.]+)'\]" missing/g)) {
      const wire = camelToWire.get(m[1]!);
      if (wire) required.add(wire);
    }
    const built = /new (\w+)(Instance|Page)\(/.exec(body);
    const instance = built ? `${built[1]}Instance` : null;
    const template = `${prefix}${uri.replace(/\$\{(\w+)\}/g, '{$1}')}`;
    operations.push({
      kind: current.kind,
      method,
      template,
      segments: template
        .split('/')
        .slice(1)
        .map((segment) => {
          const param = /^\{(\w+)\}$/.exec(segment)?.[1];
          return param ? { param } : { literal: segment };
        }),
      params: new Set(camelToWire.values()),
      required,
      headers: new Set([...body.matchAll(/headers\["([^"]+)"\] = params\[/g)].map((m) => m[1]!)),
      resource: instance ? (resources.get(instance) ?? null) : null,
      source,
    });
  };
  for (const line of lines) {
    const uriMatch = /_uri = `([^`]*)`;/.exec(line);
    if (uriMatch) uri = uriMatch[1]!;
    const header = HEADER_LINE.exec(line);
    if (header) {
      finish();
      const name = header[1] ?? header[2];
      current = name && OPERATIONS.has(name) ? { kind: name as Operation['kind'], body: [] } : null;
      continue;
    }
    current?.body.push(line);
  }
  finish();
  return operations.filter((op) => op.template.length > prefix.length);
}

/** Every operation of the given products (`taskrouter/v1`, `conversations/v1`…) of twilio-node. */
export function loadCatalogue(products: readonly string[]): Operation[] {
  const require = createRequire(import.meta.url);
  const rest = join(dirname(require.resolve('twilio')), 'rest');
  return products.flatMap((product) => {
    const [name = '', version = ''] = product.split('/');
    const base = readFileSync(join(rest, `${name[0]?.toUpperCase()}${name.slice(1)}Base.js`), 'utf8');
    const host = /super\(twilio, "https:\/\/([\w-]+)\.twilio\.com"\)/.exec(base)?.[1];
    if (!host) throw new Error(`No base URL for ${product} in twilio-node`);
    const prefix = `/${host}/${version}`;
    return walk(join(rest, name, version))
      .filter((file) => file.endsWith('.js'))
      .flatMap((file) =>
        operationsOf(
          readFileSync(file, 'utf8'),
          readFileSync(file.replace(/\.js$/, '.d.ts'), 'utf8'),
          prefix,
          relative(rest, file),
        ),
      );
  });
}

/**
 * The operation a request went to: same method, same number of segments, every literal segment
 * equal; the one with the most literal segments wins (`TaskQueues/Statistics` over
 * `TaskQueues/{sid}`).
 */
export function findOperation(
  catalogue: readonly Operation[],
  method: string,
  path: string,
): Operation | null {
  const segments = path.split('/').slice(1).map(decodeURIComponent);
  let best: { op: Operation; literals: number } | null = null;
  for (const op of catalogue) {
    if (op.method !== method || op.segments.length !== segments.length) continue;
    let literals = 0;
    let fits = true;
    for (const [i, segment] of op.segments.entries()) {
      if ('literal' in segment) {
        if (segment.literal !== segments[i]) {
          fits = false;
          break;
        }
        literals += 1;
      }
    }
    if (fits && (!best || literals > best.literals)) best = { op, literals };
  }
  return best?.op ?? null;
}
