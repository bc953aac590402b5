import type { FilledCannedReply, KbSearchHit, ProposePhrasingResponse } from '@flexcord/contracts';
import { Alert } from '@twilio-paste/core/alert';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Input } from '@twilio-paste/core/input';
import { Label } from '@twilio-paste/core/label';
import { Popover, PopoverButton, PopoverContainer, usePopoverState } from '@twilio-paste/core/popover';
import { Spinner } from '@twilio-paste/core/spinner';
import { Text } from '@twilio-paste/core/text';
import { useUID } from '@twilio-paste/core/uid-library';
import { DocumentationIcon } from '@twilio-paste/icons/esm/DocumentationIcon';
import { type ReactNode, type RefObject, useEffect, useRef, useState } from 'react';
import type { AgentProps } from '../../agent/agent-context.ts';
import { useStrings } from '../../agent/strings.ts';
import { asError, useFlexcordApi } from '../../agent/use-flexcord-api.ts';
import { kbAnswer } from './kb-answer.ts';
import { KB_INSERT_STRINGS } from './kb-insert-strings.ts';
import { type PopoverRoom, roomAboveReplyBox } from './room-above-reply-box.ts';
import { matchCannedReplies, useCannedReplies } from './use-canned-replies.ts';
import { useKbSearch } from './use-kb-search.ts';

/** How many canned replies the popover lists at once (the search narrows them). */
export const CANNED_SHOWN = 6;

/**
 * A button beside the reply box: the agent's canned replies for this chat (the member's language,
 * variables filled in by the bridge) and the knowledge base, searched as you type. It opens already
 * searching the member's last message in the chat, listing only the articles the bridge's answer
 * confidence allows, and sits above the whole reply box, below the top of the message list, so it
 * never covers End chat, the reply box or Send. Picking a canned
 * reply puts its text in the reply box; picking an article, a short answer with its title and link.
 * Either lands after the draft, ready to edit and send: nothing is sent from here.
 * The chat's question and the article are proposed to the gaps report as a learned phrasing (the
 * bridge keeps it only when the bot had missed that question).
 */
export function KbInsertButton({ agent }: AgentProps) {
  const api = useFlexcordApi(agent);
  const anchor = useRef<HTMLSpanElement>(null);
  const popover = usePopoverState({
    placement: 'top-start',
    // Above the whole reply box, not only above this button: popper.js takes a function for the
    // offset, measured each time the popover is placed. Reakit keeps the option in `useState`,
    // which calls a function once as its initial value: so the function is wrapped in one.
    unstable_offset: (() => () => [
      0,
      roomAboveReplyBox(anchor.current, window.innerHeight).distance,
    ]) as unknown as [number, number],
    // Flipped below, it would cover the reply box; it scrolls inside instead.
    unstable_flip: false,
  });
  const room = useRoomWhileOpen(anchor, popover.visible);
  const inputId = useUID();
  const inputRef = useRef<HTMLInputElement>(null);
  // The popover opens searching the member's last message as it is then (a message arriving while
  // the agent searches does not replace the search); what the agent types replaces it.
  const memberQuestion = useRef(agent.memberQuestion);
  memberQuestion.current = agent.memberQuestion;
  const [query, setQuery] = useState('');
  const [typed, setTyped] = useState(false);
  useEffect(() => {
    if (!popover.visible) return;
    setQuery(memberQuestion.current ?? '');
    setTyped(false);
    const frame = requestAnimationFrame(() => inputRef.current?.select());
    return () => cancelAnimationFrame(frame);
  }, [popover.visible]);
  const fromMember = !typed && query !== '';
  const search = useKbSearch(api, query);
  const canned = useCannedReplies(api, agent.task.conversationSid, popover.visible);
  // Canned replies are for the chat, not for the member's question: filtered by what the agent types.
  const cannedQuery = fromMember ? '' : query;
  const cannedShown = matchCannedReplies(canned.replies, cannedQuery).slice(0, CANNED_SHOWN);
  const [insertError, setInsertError] = useState<Error | null>(null);
  const [marked, setMarked] = useState<{
    slug: string;
    title: string;
    outcome: ProposePhrasingResponse['outcome'];
  } | null>(null);
  const t = useStrings(KB_INSERT_STRINGS);
  const languageName = (language: 'en' | 'es') =>
    t(language === 'es' ? 'FlexcordCannedLanguageEs' : 'FlexcordCannedLanguageEn');

  async function insertCanned(reply: FilledCannedReply) {
    setInsertError(null);
    try {
      await agent.insertText(reply.text);
      popover.hide();
    } catch (error) {
      setInsertError(asError(error));
    }
  }

  async function insert(article: KbSearchHit) {
    setInsertError(null);
    try {
      await agent.insertText(kbAnswer(article));
      popover.hide();
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

  /** "This answered it": the article was the answer, without inserting it (the agent wrote their own). */
  async function markAsAnswer(article: KbSearchHit) {
    const conversationSid = agent.task.conversationSid;
    if (!conversationSid) return;
    setInsertError(null);
    try {
      const { outcome } = await api.proposePhrasing({
        conversationSid,
        slug: article.slug,
        source: 'marked',
      });
      setMarked({ slug: article.slug, title: article.title, outcome });
    } catch (error) {
      setInsertError(asError(error));
    }
  }

  const error = insertError ?? search.error;
  // Opened on the member's question, its articles come first: they are what the agent came for.
  const cannedSection = agent.task.conversationSid && (
    <Box as="section" aria-label={t('FlexcordCannedHeading')} data-testid="flexcord-canned-section">
      <Text as="h3" fontSize="fontSize20" fontWeight="fontWeightSemibold" color="colorTextWeak">
        {canned.language
          ? t('FlexcordCannedHeadingLanguage', { language: languageName(canned.language) })
          : t('FlexcordCannedHeading')}
      </Text>
      {canned.status === 'failed' && canned.error && (
        <Text as="p" marginTop="space20" color="colorTextError" fontSize="fontSize20">
          {t('FlexcordCannedFailed', { reason: canned.error.message })}
        </Text>
      )}
      {canned.status === 'done' && cannedShown.length === 0 && (
        <Text as="p" marginTop="space20" color="colorTextWeak" fontSize="fontSize20">
          {query.trim() ? t('FlexcordCannedNone', { query: query.trim() }) : t('FlexcordCannedEmpty')}
        </Text>
      )}
      <ResultList>
        {cannedShown.map((reply) => (
          <ResultButton
            key={reply.id}
            testId="flexcord-canned-result"
            onClick={() => void insertCanned(reply)}
            title={reply.title}
            detail={reply.text}
            notes={[
              reply.scope === 'personal' ? t('FlexcordCannedPersonal') : null,
              canned.language && reply.language !== canned.language
                ? t('FlexcordCannedOtherLanguage', { language: languageName(reply.language) })
                : null,
              reply.missing.length
                ? t('FlexcordCannedMissing', {
                    names: reply.missing.map((name) => `{${name}}`).join(' '),
                  })
                : null,
            ]}
          />
        ))}
      </ResultList>
    </Box>
  );
  const articlesSection = query.trim() !== '' && (
    <Box as="section" aria-label={t('FlexcordKbInsertArticles')} marginTop="space40">
      <Text as="h3" fontSize="fontSize20" fontWeight="fontWeightSemibold" color="colorTextWeak">
        {fromMember ? t('FlexcordKbInsertForQuestion') : t('FlexcordKbInsertArticles')}
      </Text>
      {search.status === 'done' && search.outcome === 'unsure' && search.results.length > 0 && (
        <Text as="p" marginTop="space20" color="colorTextWeak" fontSize="fontSize20">
          {t('FlexcordKbInsertUnsure')}
        </Text>
      )}
      {search.status === 'done' && search.results.length === 0 && (
        <Text as="p" marginTop="space20" color="colorTextWeak" fontSize="fontSize20">
          {t('FlexcordKbInsertNoArticle', { query: query.trim() })}
        </Text>
      )}
      <ResultList>
        {search.results.map((hit) => (
          <ResultButton
            key={hit.slug}
            testId="flexcord-kb-result"
            onClick={() => void insert(hit)}
            title={hit.title}
            detail={hit.excerpt}
            after={
              agent.task.conversationSid ? (
                <Box display="flex" columnGap="space30" alignItems="baseline" flexWrap="wrap">
                  <Button
                    variant="link"
                    size="small"
                    data-testid="flexcord-kb-mark"
                    onClick={() => void markAsAnswer(hit)}
                  >
                    {t('FlexcordKbInsertMark')}
                  </Button>
                  {marked?.slug === hit.slug && (
                    <Text as="span" role="status" color="colorTextWeak" fontSize="fontSize20">
                      {marked.outcome === 'proposed'
                        ? t('FlexcordKbInsertMarked', { title: marked.title })
                        : marked.outcome === 'bot_answered'
                          ? t('FlexcordKbInsertMarkedBotAnswered')
                          : t('FlexcordKbInsertMarkedNoQuestion')}
                    </Text>
                  )}
                </Box>
              ) : null
            }
          />
        ))}
      </ResultList>
    </Box>
  );
  return (
    <PopoverContainer state={popover}>
      <Box as="span" display="inline-flex" ref={anchor}>
        <PopoverButton variant="secondary_icon" size="icon_small" data-testid="flexcord-kb-button">
          <DocumentationIcon decorative={false} title={t('FlexcordKbInsertButton')} />
        </PopoverButton>
      </Box>
      <Popover aria-label={t('FlexcordKbInsertPopover')}>
        <Box
          width="size40"
          maxWidth="calc(100vw - 4rem)"
          maxHeight={`${room.maxHeight}px`}
          display="flex"
          flexDirection="column"
          data-testid="flexcord-kb-popover"
        >
          <Label htmlFor={inputId}>{t('FlexcordKbInsertSearch')}</Label>
          <Input
            id={inputId}
            ref={inputRef}
            type="search"
            value={query}
            autoComplete="off"
            placeholder={t('FlexcordKbInsertPlaceholder')}
            onChange={(event) => {
              setQuery(event.target.value);
              setTyped(true);
            }}
            insertAfter={
              search.status === 'searching' || canned.status === 'loading' ? (
                <Spinner decorative={false} title={t('FlexcordKbInsertSearching')} />
              ) : null
            }
          />
          {error && (
            <Box marginTop="space30">
              <Alert variant="error">
                <Text as="span">{error.message}</Text>
              </Alert>
            </Box>
          )}
          <Box overflowY="auto" minHeight="0" flexShrink={1} marginTop="space30">
            {fromMember && articlesSection}
            {cannedSection}
            {!fromMember && articlesSection}
          </Box>
        </Box>
      </Popover>
    </PopoverContainer>
  );
}

/** The room above the reply box, measured when the popover opens and again when the window is resized. */
function useRoomWhileOpen(anchor: RefObject<HTMLElement>, open: boolean): PopoverRoom {
  const [room, setRoom] = useState<PopoverRoom>(() => roomAboveReplyBox(null, window.innerHeight));
  useEffect(() => {
    if (!open) return;
    const measure = () => setRoom(roomAboveReplyBox(anchor.current, window.innerHeight));
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, [anchor, open]);
  return room;
}

function ResultList({ children }: { children: ReactNode }) {
  return (
    <Box as="ul" margin="space0" marginTop="space20" padding="space0" listStyleType="none">
      {children}
    </Box>
  );
}

/** One pickable result: a title, a line of its text, and short notes (whose, language, what to fill). */
function ResultButton({
  testId,
  onClick,
  title,
  detail,
  notes = [],
  after = null,
}: {
  testId: string;
  onClick: () => void;
  title: string;
  detail: string;
  notes?: (string | null)[];
  /** Another action on the result, under it (a button may not hold another). */
  after?: ReactNode;
}) {
  const shown = notes.filter((note): note is string => note !== null);
  return (
    <Box as="li" marginBottom="space20">
      <Box
        as="button"
        type="button"
        data-testid={testId}
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
        onClick={onClick}
      >
        <Text as="span" display="block" fontWeight="fontWeightSemibold">
          {title}
        </Text>
        <Text as="span" display="block" color="colorTextWeak" fontSize="fontSize20" whiteSpace="pre-line">
          {detail}
        </Text>
        {shown.length > 0 && (
          <Text as="span" display="block" color="colorTextWeaker" fontSize="fontSize10" marginTop="space10">
            {shown.join(' · ')}
          </Text>
        )}
      </Box>
      {after}
    </Box>
  );
}
