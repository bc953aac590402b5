import {
  type CannedReply,
  type CannedReplyInput,
  CannedReplyInputSchema,
  type CannedReplyLanguage,
} from '@flexcord/contracts';
import { Alert } from '@twilio-paste/core/alert';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Card } from '@twilio-paste/core/card';
import { Heading } from '@twilio-paste/core/heading';
import { Input } from '@twilio-paste/core/input';
import { Label } from '@twilio-paste/core/label';
import { Text } from '@twilio-paste/core/text';
import { TextArea } from '@twilio-paste/core/textarea';
import { useUID } from '@twilio-paste/core/uid-library';
import { useState } from 'react';
import { type Translate, useStrings } from '../../agent/strings.ts';
import { asError } from '../../agent/use-flexcord-api.ts';
import { CANNED_STRINGS, type CannedStringKey } from './canned-strings.ts';

interface Draft {
  en: { title: string; body: string };
  es: { title: string; body: string };
  tags: string;
}

function draftOf(reply: CannedReply | null): Draft {
  return {
    en: { title: reply?.en?.title ?? '', body: reply?.en?.body ?? '' },
    es: { title: reply?.es?.title ?? '', body: reply?.es?.body ?? '' },
    tags: reply?.tags.join(', ') ?? '',
  };
}

const LANGUAGE_NAME: Record<CannedReplyLanguage, CannedStringKey> = {
  en: 'FlexcordCannedEnglish',
  es: 'FlexcordCannedSpanish',
};

/**
 * The reply as the API takes it, or the first thing to fix: a version is both a title and a text
 * (or neither), one version at least, and only the known variables (the contract checks those).
 */
export function inputOf(
  draft: Draft,
  t: Translate<CannedStringKey>,
): { input: CannedReplyInput } | { problem: string } {
  const versions: Partial<Record<CannedReplyLanguage, { title: string; body: string } | null>> = {};
  for (const language of ['en', 'es'] as const) {
    const { title, body } = draft[language];
    if (title.trim() === '' && body.trim() === '') versions[language] = null;
    else if (title.trim() === '' || body.trim() === '')
      return { problem: t('FlexcordCannedHalfVersion', { language: t(LANGUAGE_NAME[language]) }) };
    else versions[language] = { title, body };
  }
  if (!versions.en && !versions.es) return { problem: t('FlexcordCannedNeedOne') };
  const input = {
    ...versions,
    tags: draft.tags
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean),
  };
  const parsed = CannedReplyInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where =
      issue.path[0] === 'en' || issue.path[0] === 'es' ? `${t(LANGUAGE_NAME[issue.path[0]])}: ` : '';
    return { problem: `${where}${issue.message}` };
  }
  return { input };
}

/** Writes a new reply or changes one: English and Spanish side by side, then the tags. */
export function CannedReplyForm({
  heading,
  reply,
  onSave,
  onCancel,
}: {
  heading: string;
  reply: CannedReply | null;
  onSave: (input: CannedReplyInput) => Promise<void>;
  onCancel: () => void;
}) {
  const t = useStrings(CANNED_STRINGS);
  const [draft, setDraft] = useState<Draft>(() => draftOf(reply));
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const tagsId = useUID();

  async function save() {
    const checked = inputOf(draft, t);
    if ('problem' in checked) {
      setProblem(checked.problem);
      return;
    }
    setProblem(null);
    setSaving(true);
    try {
      await onSave(checked.input);
    } catch (error) {
      setProblem(asError(error).message);
      setSaving(false);
    }
  }

  return (
    <Card padding="space60">
      <Box
        as="form"
        data-testid="flexcord-canned-form"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <Heading as="h2" variant="heading40">
          {heading}
        </Heading>
        <Text as="p" color="colorTextWeak" fontSize="fontSize20" marginBottom="space40">
          {t('FlexcordCannedVariables')}
        </Text>
        <Box display="flex" flexWrap="wrap" columnGap="space60" rowGap="space40">
          {(['en', 'es'] as const).map((language) => (
            <VersionFields
              key={language}
              language={t(LANGUAGE_NAME[language])}
              value={draft[language]}
              onChange={(value) => setDraft((previous) => ({ ...previous, [language]: value }))}
              t={t}
            />
          ))}
        </Box>
        <Box marginTop="space40" maxWidth="size60">
          <Label htmlFor={tagsId}>{t('FlexcordCannedFieldTags')}</Label>
          <Input
            id={tagsId}
            type="text"
            value={draft.tags}
            onChange={(event) => {
              const tags = event.target.value;
              setDraft((previous) => ({ ...previous, tags }));
            }}
          />
        </Box>
        {problem && (
          <Box marginTop="space40">
            <Alert variant="error">
              <Text as="span">{problem}</Text>
            </Alert>
          </Box>
        )}
        <Box display="flex" columnGap="space30" marginTop="space50">
          <Button variant="primary" type="submit" loading={saving}>
            {t('FlexcordCannedSave')}
          </Button>
          <Button variant="secondary" type="button" onClick={onCancel} disabled={saving}>
            {t('FlexcordCannedCancel')}
          </Button>
        </Box>
      </Box>
    </Card>
  );
}

function VersionFields({
  language,
  value,
  onChange,
  t,
}: {
  language: string;
  value: { title: string; body: string };
  onChange: (value: { title: string; body: string }) => void;
  t: Translate<CannedStringKey>;
}) {
  const titleId = useUID();
  const bodyId = useUID();
  return (
    <Box
      as="fieldset"
      flex="1 1 18rem"
      minWidth="size30"
      margin="space0"
      padding="space0"
      borderWidth="borderWidth0"
    >
      <Text as="legend" fontWeight="fontWeightSemibold" marginBottom="space20">
        {language}
      </Text>
      <Label htmlFor={titleId}>{`${t('FlexcordCannedFieldTitle')} (${language})`}</Label>
      <Input
        id={titleId}
        type="text"
        value={value.title}
        onChange={(event) => onChange({ ...value, title: event.target.value })}
      />
      <Box marginTop="space30">
        <Label htmlFor={bodyId}>{`${t('FlexcordCannedFieldText')} (${language})`}</Label>
        <TextArea
          id={bodyId}
          value={value.body}
          rows={4}
          onChange={(event) => onChange({ ...value, body: event.target.value })}
        />
      </Box>
    </Box>
  );
}
