import type { CaseEvent } from '@flexcord/contracts';
import { Anchor } from '@twilio-paste/core/anchor';
import { Badge } from '@twilio-paste/core/badge';
import { Box } from '@twilio-paste/core/box';
import { Heading } from '@twilio-paste/core/heading';
import { Text } from '@twilio-paste/core/text';
import { describeEvent, eventUrl, formatDateTime, noteBody, useCaseStrings } from './case-format.ts';

/** Everything that happened to the case, oldest first; internal notes are marked as such. */
export function CaseTimeline({ events }: { events: readonly CaseEvent[] }) {
  const { t } = useCaseStrings();
  return (
    <Box>
      <Box marginBottom="space20">
        <Heading as="h3" variant="heading60" marginBottom="space0">
          {t('FlexcordTimelineTitle')}
        </Heading>
      </Box>
      <Box as="ol" margin="space0" padding="space0" listStyleType="none" data-testid="flexcord-timeline">
        {events.map((event) => (
          <TimelineEntry key={event.id} event={event} />
        ))}
      </Box>
    </Box>
  );
}

function TimelineEntry({ event }: { event: CaseEvent }) {
  const { t } = useCaseStrings();
  const body = noteBody(event);
  const url = event.type === 'public_post' ? eventUrl(event) : null;
  return (
    <Box
      as="li"
      data-event-type={event.type}
      paddingY="space30"
      paddingLeft="space40"
      borderLeftStyle="solid"
      borderLeftWidth="borderWidth20"
      borderLeftColor={event.visibility === 'internal' ? 'colorBorderWarning' : 'colorBorderWeak'}
    >
      <Box display="flex" alignItems="center" columnGap="space20">
        <Text as="span" fontSize="fontSize20">
          {describeEvent(event, t)}
        </Text>
        {event.visibility === 'internal' && (
          <Badge as="span" variant="warning">
            {t('FlexcordTimelineInternal')}
          </Badge>
        )}
      </Box>
      <Text as="time" dateTime={event.createdAt} color="colorTextWeak" fontSize="fontSize10">
        {formatDateTime(event.createdAt)}
      </Text>
      {body && (
        <Text as="p" marginTop="space20" fontSize="fontSize20" whiteSpace="pre-wrap">
          {body}
        </Text>
      )}
      {url && (
        <Box marginTop="space10">
          <Anchor href={url} showExternal>
            {t('FlexcordTimelineViewPost')}
          </Anchor>
        </Box>
      )}
    </Box>
  );
}
