import { RESTJSONErrorCodes } from 'discord-api-types/v10';

/** One entry of an `_errors` list in an Invalid Form Body response. */
export interface FormError {
  code: string;
  message: string;
}

/**
 * The nested `errors` object of a 50035 response: keys follow the path into the request body and each
 * leaf holds an `_errors` list.
 *
 * @see https://discord.com/developers/docs/reference#error-messages
 */
export interface FormErrorTree {
  [key: string]: FormErrorTree | FormError[];
}

/** A problem with one field of a request body, addressed by its path (`['embeds', 0, 'title']`). */
export interface FieldProblem {
  path: ReadonlyArray<string | number>;
  code: string;
  message: string;
}

/** The JSON body of every REST error, as Discord sends it. */
export interface DiscordErrorBody {
  message: string;
  code: number;
  errors?: FormErrorTree;
}

/**
 * An error answered to a REST request: `status` is the HTTP status, `code` the Discord JSON error code.
 *
 * @see https://discord.com/developers/docs/topics/opcodes-and-status-codes#json
 */
export class DiscordApiError extends Error {
  override readonly name = 'DiscordApiError';
  readonly status: number;
  readonly code: number;
  readonly errors: FormErrorTree | undefined;

  constructor(
    status: number,
    code: number,
    message: string,
    options: { errors?: FormErrorTree; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.code = code;
    this.errors = options.errors;
  }

  toJSON(): DiscordErrorBody {
    return this.errors
      ? { message: this.message, code: this.code, errors: this.errors }
      : { message: this.message, code: this.code };
  }
}

const defaults: Partial<Record<RESTJSONErrorCodes, readonly [status: number, message: string]>> = {
  [RESTJSONErrorCodes.UnknownChannel]: [404, 'Unknown Channel'],
  [RESTJSONErrorCodes.UnknownGuild]: [404, 'Unknown Guild'],
  [RESTJSONErrorCodes.UnknownMember]: [404, 'Unknown Member'],
  [RESTJSONErrorCodes.UnknownMessage]: [404, 'Unknown Message'],
  [RESTJSONErrorCodes.UnknownPermissionOverwrite]: [404, 'Unknown Overwrite'],
  [RESTJSONErrorCodes.UnknownRole]: [404, 'Unknown Role'],
  [RESTJSONErrorCodes.UnknownUser]: [404, 'Unknown User'],
  [RESTJSONErrorCodes.UnknownWebhook]: [404, 'Unknown Webhook'],
  [RESTJSONErrorCodes.UnknownInteraction]: [404, 'Unknown interaction'],
  [RESTJSONErrorCodes.UnknownApplicationCommand]: [404, 'Unknown application command'],
  [RESTJSONErrorCodes.NotAuthorizedToPerformThisActionOnThisApplication]: [
    403,
    'You are not authorized to perform this action on this application',
  ],
  [RESTJSONErrorCodes.RequestEntityTooLarge]: [413, 'Request entity too large'],
  [RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged]: [
    400,
    'Interaction has already been acknowledged.',
  ],
  [RESTJSONErrorCodes.TagRequiredToCreateAForumPostInThisChannel]: [
    400,
    'A tag is required to create a forum post in this channel',
  ],
  [RESTJSONErrorCodes.MissingAccess]: [403, 'Missing Access'],
  [RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser]: [
    403,
    'Cannot edit a message authored by another user',
  ],
  [RESTJSONErrorCodes.CannotSendAnEmptyMessage]: [400, 'Cannot send an empty message'],
  [RESTJSONErrorCodes.CannotExecuteActionOnDMChannel]: [403, 'Cannot execute action on a DM channel'],
  [RESTJSONErrorCodes.CannotSendMessagesToThisUser]: [403, 'Cannot send messages to this user'],
  [RESTJSONErrorCodes.CannotSendMessagesToThisUserDueToHavingNoMutualGuilds]: [
    403,
    'Cannot send messages to this user due to having no mutual guilds',
  ],
  [RESTJSONErrorCodes.CannotSendMessagesInNonTextChannel]: [
    400,
    'Cannot send messages in a non-text channel',
  ],
  [RESTJSONErrorCodes.MissingPermissions]: [403, 'Missing Permissions'],
  [RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType]: [
    400,
    'Cannot execute action on this channel type',
  ],
  [RESTJSONErrorCodes.InvalidWebhookToken]: [401, 'Invalid Webhook Token'],
  [RESTJSONErrorCodes.InvalidFormBodyOrContentType]: [400, 'Invalid Form Body'],
  [RESTJSONErrorCodes.InvalidActionOnArchivedThread]: [400, 'Thread is archived'],
  [RESTJSONErrorCodes.RequestBodyContainsInvalidJSON]: [400, 'The request body contains invalid JSON.'],
  [RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage]: [
    400,
    'A thread has already been created for this message',
  ],
  [RESTJSONErrorCodes.MaximumActiveThreads]: [400, 'Maximum number of active threads reached'],
};

/** The error Discord answers with for `code`, with its usual HTTP status and message. */
export function apiError(
  code: RESTJSONErrorCodes,
  options: { message?: string; cause?: unknown } = {},
): DiscordApiError {
  const [status, message] = defaults[code] ?? [400, 'Bad Request'];
  return new DiscordApiError(status, code, options.message ?? message, { cause: options.cause });
}

/**
 * A 50035 Invalid Form Body error listing every field problem under `errors`.
 *
 * @see https://discord.com/developers/docs/reference#error-messages-example-json-error-response
 */
export function invalidFormBody(problems: readonly FieldProblem[]): DiscordApiError {
  const errors: FormErrorTree = {};
  for (const { path, code, message } of problems) {
    let node = errors;
    for (const key of path) {
      const next = node[String(key)];
      if (next && !Array.isArray(next)) {
        node = next;
      } else {
        const child: FormErrorTree = {};
        node[String(key)] = child;
        node = child;
      }
    }
    const list = node._errors;
    if (Array.isArray(list)) list.push({ code, message });
    else node._errors = [{ code, message }];
  }
  return new DiscordApiError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, 'Invalid Form Body', {
    errors,
  });
}

/** The generic HTTP errors, whose JSON code is 0 and message is `"<status>: <reason>"`. */
export function httpError(status: 401 | 403 | 404 | 405 | 500 | 502 | 503, cause?: unknown): DiscordApiError {
  const reasons = {
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
  } as const;
  return new DiscordApiError(status, RESTJSONErrorCodes.GeneralError, `${status}: ${reasons[status]}`, {
    cause,
  });
}

/** Codes of errors raised by the control API (`/_emulator` and `control.*`). */
export type ControlErrorCode = 'bad_request' | 'not_found' | 'forbidden' | 'conflict' | 'timeout';

/** An error from the control API: a misuse of the emulator by a test, not a Discord error. */
export class ControlError extends Error {
  override readonly name = 'ControlError';
  readonly code: ControlErrorCode;
  readonly status: number;
  /** When Discord itself refused what the member did: its JSON error code (50013, 40005…). */
  readonly discordCode: number | undefined;

  constructor(
    code: ControlErrorCode,
    message: string,
    options: { cause?: unknown; discordCode?: number; status?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.discordCode = options.discordCode;
    this.status =
      options.status ??
      { bad_request: 400, not_found: 404, forbidden: 403, conflict: 409, timeout: 408 }[code];
  }
}
