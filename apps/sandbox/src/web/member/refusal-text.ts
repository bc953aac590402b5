import { ApiError } from '../shared/api-error.ts';
import type { Translate } from './strings.ts';

/** Discord's upload limit for a member without Nitro in a server without boosts. */
const UPLOAD_LIMIT_MB = 10;

/**
 * The most characters a member without Nitro may send in one message (4,000 with Nitro; the
 * sandbox's members have none). Discord's client does not send a longer one.
 *
 * @see https://discord.com/developers/docs/resources/message#create-message (content: up to 2000 characters)
 */
export const MESSAGE_LIMIT = 2000;

/** The `code`s of Discord's field errors under `field` (`errors.content._errors[].code`). */
function fieldCodes(errors: unknown, field: string): string[] {
  const node = (errors as Record<string, { _errors?: { code?: string }[] }> | null)?.[field];
  return (node?._errors ?? []).map((entry) => entry.code ?? '');
}

/**
 * What Discord's client says when Discord refuses what the member did, in words rather than codes
 * and in the member's language (the bot's own refusals come as its ephemeral replies).
 */
export function refusalText(error: unknown, t: Translate): string {
  if (!(error instanceof ApiError)) return t('couldNotSend', { reason: String(error) });
  switch (error.discordCode) {
    case 40005:
      return t('fileTooLarge', { limit: UPLOAD_LIMIT_MB });
    case 50013:
      return t('noPermission');
    case 50035:
      if (fieldCodes(error.errors, 'content').includes('BASE_TYPE_MAX_LENGTH'))
        return t('messageTooLong', { limit: MESSAGE_LIMIT });
      if (/10 or fewer/.test(`${error.message} ${JSON.stringify(error.errors)}`)) return t('tooManyFiles');
      return t('couldNotSend', { reason: error.message.replace(/^Discord refused: /, '') });
    case 50006:
      return t('emptyMessage');
    default:
      return t('couldNotSend', { reason: error.message.replace(/^Discord refused: /, '') });
  }
}
