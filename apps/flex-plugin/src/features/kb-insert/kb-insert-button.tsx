import type { KbSearchHit } from '@flexcord/contracts';
import { Alert } from '@twilio-paste/core/alert';
import { Box } from '@twilio-paste/core/box';
import { Input } from '@twilio-paste/core/input';
import { Label } from '@twilio-paste/core/label';
import { Popover, PopoverButton, PopoverContainer, usePopoverState } from '@twilio-paste/core/popover';
import { Spinner } from '@twilio-paste/core/spinner';
import { Text } from '@twilio-paste/core/text';
import { useUID } from '@twilio-paste/core/uid-library';
import { DocumentationIcon } from '@twilio-paste/icons/esm/DocumentationIcon';
import { useState } from 'react';
import type { AgentProps } from '../../agent/agent-context.ts';
import { asError, useFlexcordApi } from '../../agent/use-flexcord-api.ts';
import { kbAnswer } from './kb-answer.ts';
import { useKbSearch } from './use-kb-search.ts';

/**
 * A button beside the reply box: search the knowledge base as you type, pick an article, and a short
 * answer with its title and link lands in the reply box (after the draft), ready to edit and send.
 * The chat's question and the article are proposed to the gaps report as a learned phrasing (the
 * bridge keeps it only when the bot had missed that question).
 */
export function KbInsertButton({ agent }: AgentProps) {
  const api = useFlexcordApi(agent);
  const popover = usePopoverState({ placement: 'top-start', gutter: 8 });
  const inputId = useUID();
  const [query, setQuery] = useState('');
  const search = useKbSearch(api, query);
  const [insertError, setInsertError] = useState<Error | null>(null);

  async function insert(article: KbSearchHit) {
    setInsertError(null);
    try {
      await agent.insertText(kbAnswer(article));
      popover.hide();
      setQuery('');
      // The bot may have missed the question this article answers: propose the pair. A failed
      // proposal costs only a learned phrasing, never the agent's reply, so it is not shown.
      const conversationSid = agent.task.conversationSid;
      if (conversationSid)
        void api
          .proposePhrasing({ conversationSid, slug: article.slug, source: 'kb_button' })
          .catch(() => undefined);
    } catch (error) {
      setInsertError(asError(error));
    }
  }

  const error = insertError ?? search.error;
  return (
    <PopoverContainer state={popover}>
      <PopoverButton variant="secondary_icon" size="icon_small" data-testid="flexcord-kb-button">
        <DocumentationIcon decorative={false} title="Insert a knowledge base article" />
      </PopoverButton>
      <Popover aria-label="Knowledge base">
        <Box width="size40" data-testid="flexcord-kb-popover">
          <Label htmlFor={inputId}>Search the knowledge base</Label>
          <Input
            id={inputId}
            type="search"
            value={query}
            autoComplete="off"
            placeholder="e.g. reset password"
            onChange={(event) => setQuery(event.target.value)}
            insertAfter={
              search.status === 'searching' ? <Spinner decorative={false} title="Searching" /> : null
            }
          />
          {error && (
            <Box marginTop="space30">
              <Alert variant="error">
                <Text as="span">{error.message}</Text>
              </Alert>
            </Box>
          )}
          {search.status === 'done' && search.results.length === 0 && (
            <Text as="p" marginTop="space30" color="colorTextWeak">
              No article matches “{query.trim()}”.
            </Text>
          )}
          {search.results.length > 0 && (
            <Box as="ul" margin="space0" marginTop="space30" padding="space0" listStyleType="none">
              {search.results.map((hit) => (
                <Box as="li" key={hit.slug} marginBottom="space20">
                  <Box
                    as="button"
                    type="button"
                    data-testid="flexcord-kb-result"
                    width="100%"
                    textAlign="left"
                    cursor="pointer"
                    padding="space30"
                    borderRadius="borderRadius20"
                    borderStyle="solid"
                    borderWidth="borderWidth10"
                    borderColor="colorBorderWeak"
                    backgroundColor="colorBackgroundBody"
                    _hover={{ backgroundColor: 'colorBackgroundPrimaryWeakest' }}
                    onClick={() => void insert(hit)}
                  >
                    <Text as="span" display="block" fontWeight="fontWeightSemibold">
                      {hit.title}
                    </Text>
                    <Text as="span" display="block" color="colorTextWeak" fontSize="fontSize20">
                      {hit.excerpt}
                    </Text>
                  </Box>
                </Box>
              ))}
            </Box>
          )}
        </Box>
      </Popover>
    </PopoverContainer>
  );
}
