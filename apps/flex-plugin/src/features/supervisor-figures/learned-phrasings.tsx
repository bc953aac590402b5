import type { DecidePhrasingRequest, KbLearnedPhrasing, KbSearchHit } from '@flexcord/contracts';
import { Alert } from '@twilio-paste/core/alert';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Combobox } from '@twilio-paste/core/combobox';
import { Heading } from '@twilio-paste/core/heading';
import { Spinner } from '@twilio-paste/core/spinner';
import { Table, TBody, Td, THead, Th, Tr } from '@twilio-paste/core/table';
import { Text } from '@twilio-paste/core/text';
import { useEffect, useState } from 'react';
import type { FlexcordApi } from '../../agent/flexcord-api.ts';
import { useStrings } from '../../agent/strings.ts';
import { asError } from '../../agent/use-flexcord-api.ts';
import { LEARNED_PHRASINGS_STRINGS } from './learned-phrasings-strings.ts';

/**
 * The report's period: pending phrasings are listed whatever their age (oldest first), so the
 * figures' period does not narrow them.
 */
const PENDING_WITHIN_DAYS = 30;

type Load =
  | { kind: 'loading' }
  | { kind: 'failed'; error: Error }
  | { kind: 'ready'; pending: KbLearnedPhrasing[] };
/** What the supervisor's last decision did, said back in a sentence. */
type Outcome = { kind: 'approved'; question: string; title: string } | { kind: 'rejected'; question: string };

/**
 * The learned phrasings waiting for a supervisor, from the KB gaps report (`GET /api/kb/gaps`): a
 * question the bot missed and the article an agent answered it with. Approve (the bot answers that
 * question with that article from now on), reject, or reassign to another article found by title.
 * The bridge checks the role (`POST /api/kb/gaps/phrasings/:id`, supervisors).
 */
export function LearnedPhrasings({ api, refresh }: { api: FlexcordApi; refresh: number }) {
  const t = useStrings(LEARNED_PHRASINGS_STRINGS);
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [reassigning, setReassigning] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `refresh` reloads.
  useEffect(() => {
    const controller = new AbortController();
    api.getKbGaps(PENDING_WITHIN_DAYS, { signal: controller.signal }).then(
      ({ report }) =>
        setLoad({ kind: 'ready', pending: report.learned.filter((p) => p.status === 'pending') }),
      (error: unknown) => {
        if (!controller.signal.aborted) setLoad({ kind: 'failed', error: asError(error) });
      },
    );
    return () => controller.abort();
  }, [api, refresh]);

  async function decide(phrasing: KbLearnedPhrasing, decision: DecidePhrasingRequest) {
    setBusy(phrasing.id);
    setFailure(null);
    try {
      const { phrasing: decided } = await api.decidePhrasing(phrasing.id, decision);
      setOutcome(
        decided.status === 'approved'
          ? { kind: 'approved', question: decided.question, title: decided.title ?? decided.slug }
          : { kind: 'rejected', question: decided.question },
      );
      setReassigning(null);
      setLoad((previous) =>
        previous.kind === 'ready'
          ? { kind: 'ready', pending: previous.pending.filter((p) => p.id !== phrasing.id) }
          : previous,
      );
    } catch (error) {
      setFailure(asError(error));
    } finally {
      setBusy(null);
    }
  }

  return (
    <Box as="section" marginTop="space60" data-testid="flexcord-learned-phrasings">
      <Heading as="h2" variant="heading30">
        {t('FlexcordLearnedTitle')}
      </Heading>
      <Text as="p" color="colorTextWeak" marginBottom="space40">
        {t('FlexcordLearnedIntro')}
      </Text>
      {outcome && (
        <Box marginBottom="space40" role="status" data-testid="flexcord-learned-outcome">
          <Alert variant="neutral">
            <Text as="span">
              {outcome.kind === 'approved'
                ? t('FlexcordLearnedApproved', { question: outcome.question, title: outcome.title })
                : t('FlexcordLearnedRejected', { question: outcome.question })}
            </Text>
          </Alert>
        </Box>
      )}
      {failure && (
        <Box marginBottom="space40">
          <Alert variant="error">
            <Text as="span">{t('FlexcordLearnedFailed', { reason: failure.message })}</Text>
          </Alert>
        </Box>
      )}
      {load.kind === 'loading' && <Spinner decorative={false} title={t('FlexcordLearnedLoading')} />}
      {load.kind === 'failed' && (
        <Alert variant="error">
          <Text as="span">{load.error.message}</Text>
        </Alert>
      )}
      {load.kind === 'ready' && load.pending.length === 0 && (
        <Text as="p" color="colorTextWeak">
          {t('FlexcordLearnedNone')}
        </Text>
      )}
      {load.kind === 'ready' && load.pending.length > 0 && (
        <Table>
          <THead>
            <Tr>
              <Th>{t('FlexcordLearnedQuestion')}</Th>
              <Th>{t('FlexcordLearnedArticle')}</Th>
              <Th>{t('FlexcordLearnedHow')}</Th>
              <Th>{t('FlexcordLearnedDecision')}</Th>
            </Tr>
          </THead>
          <TBody>
            {load.pending.map((phrasing) => (
              <Tr key={phrasing.id} data-testid="flexcord-learned-phrasing">
                <Td>
                  <Text as="span" lang={phrasing.language}>
                    “{phrasing.question}”
                  </Text>
                </Td>
                <Td>{phrasing.title ?? t('FlexcordLearnedArticleGone', { slug: phrasing.slug })}</Td>
                <Td>
                  {phrasing.source === 'marked'
                    ? t('FlexcordLearnedViaMarked')
                    : t('FlexcordLearnedViaButton')}
                </Td>
                <Td>
                  {reassigning === phrasing.id ? (
                    <ArticlePicker
                      api={api}
                      question={phrasing.question}
                      busy={busy === phrasing.id}
                      onPick={(slug) => void decide(phrasing, { action: 'reassign', slug })}
                      onCancel={() => setReassigning(null)}
                    />
                  ) : (
                    <Box display="flex" flexWrap="wrap" columnGap="space30" rowGap="space20">
                      <Button
                        variant="primary"
                        size="small"
                        loading={busy === phrasing.id}
                        disabled={phrasing.title === null}
                        onClick={() => void decide(phrasing, { action: 'approve' })}
                      >
                        {t('FlexcordLearnedApprove')}
                      </Button>
                      <Button
                        variant="secondary"
                        size="small"
                        disabled={busy === phrasing.id}
                        onClick={() => void decide(phrasing, { action: 'reject' })}
                      >
                        {t('FlexcordLearnedReject')}
                      </Button>
                      <Button
                        variant="secondary"
                        size="small"
                        disabled={busy === phrasing.id}
                        onClick={() => setReassigning(phrasing.id)}
                      >
                        {t('FlexcordLearnedReassign')}
                      </Button>
                    </Box>
                  )}
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
    </Box>
  );
}

/** How long typing must pause before articles are looked up. */
const PICKER_DEBOUNCE_MS = 250;

/** Another article for the question, found by typing its title (the KB search), then approved with it. */
function ArticlePicker({
  api,
  question,
  busy,
  onPick,
  onCancel,
}: {
  api: FlexcordApi;
  question: string;
  busy: boolean;
  onPick: (slug: string) => void;
  onCancel: () => void;
}) {
  const t = useStrings(LEARNED_PHRASINGS_STRINGS);
  const [typed, setTyped] = useState('');
  const [articles, setArticles] = useState<KbSearchHit[]>([]);
  const [picked, setPicked] = useState<KbSearchHit | null>(null);
  useEffect(() => {
    const q = typed.trim();
    if (!q) {
      setArticles([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api.searchKb(q, { limit: 8, signal: controller.signal }).then(
        ({ results }) => setArticles([...results]),
        () => setArticles([]),
      );
    }, PICKER_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [api, typed]);
  return (
    <Box minWidth="size30" data-testid="flexcord-article-picker">
      <Combobox
        autocomplete
        labelText={t('FlexcordLearnedPickArticle', { question })}
        helpText={t('FlexcordLearnedPickHelp')}
        items={articles}
        itemToString={(item: KbSearchHit | null) => item?.title ?? ''}
        optionTemplate={(item: KbSearchHit) => <Text as="span">{item.title}</Text>}
        emptyState={() => (
          <Box padding="space30">
            <Text as="span" color="colorTextWeak">
              {t('FlexcordLearnedNoArticle')}
            </Text>
          </Box>
        )}
        onInputValueChange={({ inputValue }) => {
          setTyped(inputValue ?? '');
          if (picked && inputValue !== picked.title) setPicked(null);
        }}
        onSelectedItemChange={({ selectedItem }) => setPicked((selectedItem as KbSearchHit | null) ?? null)}
      />
      <Box marginTop="space30">
        <Box display="flex" flexWrap="wrap" columnGap="space30" rowGap="space20">
          <Button
            variant="primary"
            size="small"
            loading={busy}
            disabled={!picked}
            onClick={() => picked && onPick(picked.slug)}
          >
            {t('FlexcordLearnedApproveWith')}
          </Button>
          <Button variant="secondary" size="small" onClick={onCancel}>
            {t('FlexcordLearnedCancel')}
          </Button>
        </Box>
      </Box>
    </Box>
  );
}
