import type { CannedReply, CannedReplyInput, CannedReplyScope } from '@flexcord/contracts';
import { Alert } from '@twilio-paste/core/alert';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Card } from '@twilio-paste/core/card';
import { Heading } from '@twilio-paste/core/heading';
import { Spinner } from '@twilio-paste/core/spinner';
import { Text } from '@twilio-paste/core/text';
import { useMemo, useState } from 'react';
import type { AgentContext, DeskContext } from '../../agent/agent-context.ts';
import { type Translate, useStrings } from '../../agent/strings.ts';
import { asError, useFlexcordApi } from '../../agent/use-flexcord-api.ts';
import { CannedReplyForm } from './canned-reply-form.tsx';
import { CANNED_STRINGS, type CannedStringKey } from './canned-strings.ts';
import { useCannedReplyList } from './use-canned-reply-list.ts';

/** What the form is open for: a new reply of a scope, or a change to one. */
type Editing = { scope: CannedReplyScope; reply: CannedReply | null } | null;

/**
 * Managing canned replies: the shared ones (supervisors add, change and delete them; agents read
 * them) and the agent's personal ones (only they see them). The bridge checks every change against
 * the agent's Flex roles; this view only leaves out what it would refuse.
 */
export function CannedRepliesView({ desk }: { desk: DeskContext }) {
  const agent: AgentContext = useMemo(
    () => ({
      task: { sid: 'canned-replies', attributes: {} },
      token: desk.token,
      apiBaseUrl: desk.apiBaseUrl,
      insertText: () => undefined,
    }),
    [desk.token, desk.apiBaseUrl],
  );
  const api = useFlexcordApi(agent);
  const list = useCannedReplyList(api, desk.token);
  const t = useStrings(CANNED_STRINGS);
  const [editing, setEditing] = useState<Editing>(null);
  const [actionError, setActionError] = useState<Error | null>(null);

  const replies = list.data?.replies ?? [];
  const mayEditShared = list.data?.mayEditShared ?? false;

  async function save(input: CannedReplyInput) {
    if (!editing) return;
    if (editing.reply) await api.updateCannedReply(editing.scope, editing.reply.id, input);
    else await api.createCannedReply(editing.scope, input);
    setEditing(null);
    list.reload();
  }

  async function remove(reply: CannedReply) {
    setActionError(null);
    try {
      await api.deleteCannedReply(reply.scope, reply.id);
      list.reload();
    } catch (error) {
      setActionError(asError(error));
    }
  }

  const section = (scope: CannedReplyScope) => {
    const mine = scope === 'personal';
    const editable = mine || mayEditShared;
    const shown = replies.filter((reply) => reply.scope === scope);
    return (
      <Box as="section" marginBottom="space70" data-testid={`flexcord-canned-${scope}`}>
        <Box
          display="flex"
          alignItems="center"
          justifyContent="space-between"
          flexWrap="wrap"
          columnGap="space40"
        >
          <Box>
            <Heading as="h2" variant="heading30" marginBottom="space0">
              {t(mine ? 'FlexcordCannedMine' : 'FlexcordCannedShared')}
            </Heading>
            <Text as="p" color="colorTextWeak" fontSize="fontSize20">
              {t(mine ? 'FlexcordCannedMineNote' : 'FlexcordCannedSharedNote')}
            </Text>
          </Box>
          {editable && (
            <Button variant="secondary" size="small" onClick={() => setEditing({ scope, reply: null })}>
              {t(mine ? 'FlexcordCannedNewMine' : 'FlexcordCannedNewShared')}
            </Button>
          )}
        </Box>
        {list.status === 'done' && shown.length === 0 && (
          <Text as="p" marginTop="space30" color="colorTextWeak">
            {t(mine ? 'FlexcordCannedNoneMine' : 'FlexcordCannedNoneShared')}
          </Text>
        )}
        <Box
          display="grid"
          gridTemplateColumns="repeat(auto-fill, minmax(22rem, 1fr))"
          columnGap="space40"
          rowGap="space40"
          marginTop="space40"
        >
          {shown.map((reply) => (
            <ReplyCard
              key={reply.id}
              reply={reply}
              editable={editable}
              t={t}
              onEdit={() => setEditing({ scope, reply })}
              onDelete={() => void remove(reply)}
            />
          ))}
        </Box>
      </Box>
    );
  };

  return (
    <Box padding="space60" width="100%" overflowY="auto" data-testid="flexcord-canned-replies">
      <Heading as="h1" variant="heading20">
        {t('FlexcordCannedTitle')}
      </Heading>
      <Text as="p" color="colorTextWeak" marginBottom="space50">
        {t('FlexcordCannedIntro')}
      </Text>
      {list.status === 'loading' && !list.data && (
        <Spinner decorative={false} title={t('FlexcordCannedLoadingList')} />
      )}
      {(list.error ?? actionError) && (
        <Box marginBottom="space50">
          <Alert variant="error">
            <Text as="span">{(list.error ?? actionError)!.message}</Text>
          </Alert>
        </Box>
      )}
      {editing && (
        <Box marginBottom="space70">
          <CannedReplyForm
            key={editing.reply?.id ?? `new-${editing.scope}`}
            heading={
              editing.reply
                ? (editing.reply.en?.title ?? editing.reply.es?.title ?? '')
                : t(editing.scope === 'shared' ? 'FlexcordCannedNewShared' : 'FlexcordCannedNewMine')
            }
            reply={editing.reply}
            onSave={save}
            onCancel={() => setEditing(null)}
          />
        </Box>
      )}
      {list.data && (
        <>
          {section('shared')}
          {section('personal')}
        </>
      )}
    </Box>
  );
}

function ReplyCard({
  reply,
  editable,
  t,
  onEdit,
  onDelete,
}: {
  reply: CannedReply;
  editable: boolean;
  t: Translate<CannedStringKey>;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const title = reply.en?.title ?? reply.es?.title ?? reply.id;
  return (
    <Card padding="space50">
      <Box data-testid="flexcord-canned-card" display="flex" flexDirection="column" height="100%">
        {(['en', 'es'] as const).map((language) => {
          const version = reply[language];
          const name = t(language === 'en' ? 'FlexcordCannedEnglish' : 'FlexcordCannedSpanish');
          return (
            <Box key={language} marginBottom="space30">
              <Text
                as="span"
                display="block"
                fontSize="fontSize10"
                color="colorTextWeak"
                textTransform="uppercase"
              >
                {name}
              </Text>
              {version ? (
                <>
                  <Text as="span" display="block" fontWeight="fontWeightSemibold">
                    {version.title}
                  </Text>
                  <Text
                    as="span"
                    display="block"
                    fontSize="fontSize20"
                    whiteSpace="pre-line"
                    wordBreak="break-word"
                  >
                    {version.body}
                  </Text>
                </>
              ) : (
                <Text
                  as="span"
                  display="block"
                  fontSize="fontSize20"
                  color="colorTextWeak"
                  fontStyle="italic"
                >
                  {t('FlexcordCannedNoVersion', { language: name.toLowerCase() })}
                </Text>
              )}
            </Box>
          );
        })}
        <Text as="span" display="block" fontSize="fontSize10" color="colorTextWeak" marginTop="auto">
          {[
            reply.tags.length ? `#${reply.tags.join(' #')}` : null,
            reply.fromFile
              ? t('FlexcordCannedFromFile')
              : reply.updatedBy
                ? t('FlexcordCannedChangedBy', { name: reply.updatedBy })
                : null,
          ]
            .filter(Boolean)
            .join(' · ')}
        </Text>
        {editable && (
          <Box display="flex" columnGap="space30" marginTop="space40" alignItems="center" flexWrap="wrap">
            {confirming ? (
              <>
                <Text as="span" fontSize="fontSize20">
                  {t('FlexcordCannedDeleteConfirm', { title })}
                </Text>
                <Button variant="destructive" size="small" onClick={onDelete}>
                  {t('FlexcordCannedDelete')}
                </Button>
                <Button variant="secondary" size="small" onClick={() => setConfirming(false)}>
                  {t('FlexcordCannedCancel')}
                </Button>
              </>
            ) : (
              <>
                <Button variant="secondary" size="small" onClick={onEdit}>
                  {t('FlexcordCannedEdit')}
                </Button>
                <Button variant="destructive_secondary" size="small" onClick={() => setConfirming(true)}>
                  {t('FlexcordCannedDelete')}
                </Button>
              </>
            )}
          </Box>
        )}
      </Box>
    </Card>
  );
}
