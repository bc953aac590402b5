import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { apiError, type FieldProblem, invalidFormBody } from './errors.ts';

/** A JSON object from a request body, read field by field. */
export type JsonObject = Record<string, unknown>;

/** The body as an object, or 50109 when it is anything else. */
export function asObject(body: unknown): JsonObject {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw apiError(RESTJSONErrorCodes.RequestBodyContainsInvalidJSON);
  }
  return body as JsonObject;
}

/**
 * Collects field problems the way Discord reports them, then throws one 50035 with all of them.
 *
 * @see https://discord.com/developers/docs/reference#error-messages
 */
export class FormValidator {
  readonly problems: FieldProblem[] = [];

  add(path: ReadonlyArray<string | number>, code: string, message: string): void {
    this.problems.push({ path, code, message });
  }

  required(path: ReadonlyArray<string | number>): void {
    this.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
  }

  /** A string within `[min, max]` characters; `undefined` passes unless `required`. */
  string(
    path: ReadonlyArray<string | number>,
    value: unknown,
    min: number,
    max: number,
    required = false,
  ): value is string {
    if (value === undefined || value === null) {
      if (required) this.required(path);
      return false;
    }
    if (typeof value !== 'string') {
      this.add(path, 'BASE_TYPE_STRING', 'Could not interpret value as string.');
      return false;
    }
    const length = [...value].length;
    if (min === 0 && length > max) {
      this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
      return false;
    }
    if (length < min || length > max) {
      this.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
      return false;
    }
    return true;
  }

  /**
   * An integer within `[min, max]` (`min_length`, `max_values`): NUMBER_TYPE_COERCE when it is not
   * one, then NUMBER_TYPE_MIN / NUMBER_TYPE_MAX; `undefined` and `null` pass.
   */
  int(path: ReadonlyArray<string | number>, value: unknown, min: number, max: number): value is number {
    if (value === undefined || value === null) return false;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.add(path, 'NUMBER_TYPE_COERCE', `Value "${String(value)}" is not int.`);
      return false;
    }
    if (value < min)
      this.add(path, 'NUMBER_TYPE_MIN', `int value should be greater than or equal to ${min}.`);
    else if (value > max)
      this.add(path, 'NUMBER_TYPE_MAX', `int value should be less than or equal to ${max}.`);
    else return true;
    return false;
  }

  /** An array of at most `max` items. */
  array(path: ReadonlyArray<string | number>, value: unknown, max: number): value is unknown[] {
    if (value === undefined || value === null) return false;
    if (!Array.isArray(value)) {
      this.add(path, 'BASE_TYPE_ARRAY', 'Must be an array.');
      return false;
    }
    if (value.length > max) {
      this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
      return false;
    }
    return true;
  }

  /**
   * One of a fixed set of values (`auto_archive_duration`: 60, 1440, 4320, 10080); `undefined` and
   * `null` pass.
   */
  choice<T extends number | string>(
    path: ReadonlyArray<string | number>,
    value: unknown,
    choices: readonly T[],
  ): value is T {
    if (value === undefined || value === null) return false;
    if (choices.includes(value as T)) return true;
    this.add(path, 'BASE_TYPE_CHOICES', `Value must be one of (${choices.join(', ')}).`);
    return false;
  }

  /**
   * An integer query parameter within `[min, max]`, as Discord reads `?limit=`: `Value "abc" is not
   * int.` (NUMBER_TYPE_COERCE), then NUMBER_TYPE_MIN / NUMBER_TYPE_MAX. Absent → `undefined`.
   *
   * @see https://github.com/discordjs/discord.js/issues/3989 (a non-numeric `limit`)
   * @see https://github.com/Mephisto5558/Teufelsbot/issues/271 (`limit` over 100)
   */
  queryInt(query: URLSearchParams, key: string, min: number, max: number): number | undefined {
    const raw = query.get(key);
    if (raw === null) return undefined;
    if (!/^[+-]?\d+$/.test(raw.trim())) {
      this.add([key], 'NUMBER_TYPE_COERCE', `Value "${raw}" is not int.`);
      return undefined;
    }
    const value = Number(raw);
    if (value < min)
      this.add([key], 'NUMBER_TYPE_MIN', `int value should be greater than or equal to ${min}.`);
    else if (value > max)
      this.add([key], 'NUMBER_TYPE_MAX', `int value should be less than or equal to ${max}.`);
    else return value;
    return undefined;
  }

  /**
   * A snowflake query parameter (`?before=`): `Value "abc" is not snowflake.` (NUMBER_TYPE_COERCE)
   * otherwise. Absent → `undefined`.
   *
   * @see https://discord.com/developers/docs/reference#snowflakes
   */
  querySnowflake(query: URLSearchParams, key: string): string | undefined {
    const raw = query.get(key);
    if (raw === null) return undefined;
    if (isSnowflake(raw)) return raw;
    this.add([key], 'NUMBER_TYPE_COERCE', `Value "${raw}" is not snowflake.`);
    return undefined;
  }

  /** Throws the collected problems as 50035 Invalid Form Body. */
  throwIfAny(): void {
    if (this.problems.length > 0) throw invalidFormBody(this.problems);
  }
}

/** A snowflake-looking value (string of digits, or a number). */
export function isSnowflake(value: unknown): value is string {
  return (
    (typeof value === 'string' && /^\d{1,20}$/.test(value)) ||
    (typeof value === 'number' && Number.isInteger(value))
  );
}
