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
