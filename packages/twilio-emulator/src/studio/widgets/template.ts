import { Drop, Liquid, type Template } from 'liquidjs';
import { errorMessage, StudioExecutionError } from './widget.ts';

/**
 * Studio's Liquid: undefined variables render as nothing, the standard filters plus `to_json`, and
 * JSON strings in the context that can be read into. Twilio's own default Send to Flex attributes
 * read `{{trigger.message.ChannelAttributes.from}}` although Studio keeps `ChannelAttributes` as a
 * JSON string, so such strings render as themselves and also answer property lookups.
 *
 * Unknown filters are passed over rather than rejected, so a flow that renders on Twilio does not
 * fail here for a filter liquidjs lacks.
 *
 * @see https://www.twilio.com/docs/studio/user-guide/liquid-template-language
 * @see https://www.twilio.com/docs/studio/widget-library/send-flex (the `to_json` filter)
 */
const engine = new Liquid({ strictVariables: false, strictFilters: false, ownPropertyOnly: true });

engine.registerFilter('to_json', (value: unknown) => JSON.stringify(value ?? null));

/** A JSON-object string: prints as the string, reads like the object, `to_json`s as the object. */
class JsonStringDrop extends Drop {
  readonly #raw: string;
  readonly #parsed: Record<string, unknown>;
  readonly #liquid: Record<string, unknown>;

  constructor(raw: string, parsed: Record<string, unknown>) {
    super();
    this.#raw = raw;
    this.#parsed = parsed;
    this.#liquid = toLiquid(parsed) as Record<string, unknown>;
  }

  override liquidMethodMissing(key: string | number): unknown {
    return this.#liquid[String(key)];
  }

  override valueOf(): string {
    return this.#raw;
  }

  override toString(): string {
    return this.#raw;
  }

  toJSON(): unknown {
    return this.#parsed;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The context as Liquid reads it: JSON-object strings, at any depth, become {@link JsonStringDrop}s. */
function toLiquid(value: unknown): unknown {
  if (typeof value === 'string') {
    if (!value.trimStart().startsWith('{')) return value;
    try {
      const parsed: unknown = JSON.parse(value);
      return isPlainObject(parsed) ? new JsonStringDrop(value, parsed) : value;
    } catch {
      return value;
    }
  }
  if (Array.isArray(value)) return value.map(toLiquid);
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, toLiquid(entry)]));
  }
  return value;
}

const parsedTemplates = new Map<string, Template[]>();
/** Flows are a handful of fixed templates; the bound only protects against pathological inputs. */
const MAX_CACHED_TEMPLATES = 2_000;

function parse(template: string): Template[] {
  let parsed = parsedTemplates.get(template);
  if (!parsed) {
    parsed = engine.parse(template);
    if (parsedTemplates.size >= MAX_CACHED_TEMPLATES) parsedTemplates.clear();
    parsedTemplates.set(template, parsed);
  }
  return parsed;
}

/**
 * Renders one widget property over the execution context (`{trigger, widgets, flow}`).
 * A template that does not parse or render fails the execution.
 */
export function renderTemplate(template: string, scope: Record<string, unknown>): string {
  if (!template.includes('{')) return template;
  try {
    return String(engine.renderSync(parse(template), toLiquid(scope) as Record<string, unknown>));
  } catch (error) {
    throw new StudioExecutionError(
      'template',
      `Liquid template ${JSON.stringify(template)} failed: ${errorMessage(error)}`,
      {
        cause: error,
      },
    );
  }
}
