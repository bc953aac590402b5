import type { ChatSummary } from '@flexcord/contracts';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { Text } from '@twilio-paste/core/text';
import { useState } from 'react';
import { formatDate, useCaseStrings } from './case-format.ts';

/** "★★★★☆ 4/5" for a survey answer. */
export function ratingText(rating: number): string {
  return `${'★'.repeat(rating)}${'☆'.repeat(5 - rating)} ${rating}/5`;
}

/**
 * The member's kept chats, newest first: when, with whom, how they rated it; and the case's
 * transcript to download (Markdown, with links to the chats' files).
 */
export function ChatHistory({
  chats,
  currentCase,
  onDownload,
}: {
  chats: ChatSummary[];
  currentCase: number;
  onDownload: () => Promise<boolean>;
}) {
  const [downloading, setDownloading] = useState(false);
  const { t } = useCaseStrings();
  const hasTranscript = chats.some((chat) => chat.caseNumber === currentCase);
  return (
    <Box data-testid="flexcord-chats">
      <Box display="flex" alignItems="center" justifyContent="space-between" columnGap="space30">
        <Heading as="h3" variant="heading60" marginBottom="space0">
          {t('FlexcordChatsTitle')}
        </Heading>
        {hasTranscript && (
          <Button
            variant="secondary"
            size="small"
            loading={downloading}
            data-testid="flexcord-download-transcript"
            onClick={async () => {
              setDownloading(true);
              await onDownload();
              setDownloading(false);
            }}
          >
            {t('FlexcordChatsDownload')}
          </Button>
        )}
      </Box>
      {chats.length === 0 ? (
        <Text as="p" color="colorTextWeak" fontSize="fontSize20">
          {t('FlexcordChatsNone')}
        </Text>
      ) : (
        <Box as="ul" margin="space0" padding="space0" listStyleType="none">
          {chats.map((chat) => (
            <Box as="li" key={chat.conversationSid} marginTop="space30" data-testid="flexcord-chat">
              <Text as="p" fontSize="fontSize20">
                <Text as="span" fontWeight="fontWeightSemibold" fontSize="fontSize20">
                  {formatDate(chat.startedAt)}
                </Text>
                {` ${chat.agents.length > 0 ? t('FlexcordChatsWith', { agents: chat.agents.join(', ') }) : t('FlexcordChatsWithBot')}`}
                {chat.caseNumber !== null && chat.caseNumber !== currentCase
                  ? ` · ${t('FlexcordChatsCase', { number: chat.caseNumber })}`
                  : ''}
                {` · ${t('FlexcordChatsMessages', { count: chat.messages })}`}
              </Text>
              {chat.rating !== null ? (
                <Text
                  as="p"
                  fontSize="fontSize20"
                  color="colorTextWarningStrong"
                  data-testid="flexcord-chat-rating"
                  aria-label={t('FlexcordChatsRated', { rating: chat.rating })}
                >
                  {ratingText(chat.rating)}
                </Text>
              ) : (
                <Text as="p" fontSize="fontSize20" color="colorTextWeak">
                  {t('FlexcordChatsNotRated')}
                </Text>
              )}
              {chat.comment && (
                <Text as="p" fontSize="fontSize20" fontStyle="italic" data-testid="flexcord-chat-comment">
                  “{chat.comment}”
                </Text>
              )}
            </Box>
          ))}
        </Box>
      )}
    </Box>
  );
}
