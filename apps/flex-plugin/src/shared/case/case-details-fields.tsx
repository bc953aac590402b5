import type { Case, HelpTopicSnapshot } from '@flexcord/contracts';
import { Anchor } from '@twilio-paste/core/anchor';
import { Box } from '@twilio-paste/core/box';
import { Heading } from '@twilio-paste/core/heading';
import { Text } from '@twilio-paste/core/text';
import { type CaseTranslate, useCaseStrings } from './case-format.ts';

/**
 * The fields the member filled in: the bug report or the feature request form, or the support
 * chat's help topic and its form's answers (labelled in the agent's language).
 */
export function CaseDetailsFields({ kase }: { kase: Case }) {
  const { t } = useCaseStrings();
  const fields = detailFields(kase.details, t);
  if (fields.length === 0 && !kase.publicPost) return null;
  return (
    <Box data-testid="flexcord-case-details">
      <Box marginBottom="space20">
        <Heading as="h3" variant="heading60" marginBottom="space0">
          {t('FlexcordDetailsTitle')}
        </Heading>
      </Box>
      <Box as="dl" margin="space0">
        {fields.map(([label, value]) => (
          <Box key={label} marginBottom="space30">
            <Text as="dt" fontWeight="fontWeightSemibold" fontSize="fontSize20">
              {label}
            </Text>
            <Text as="dd" marginLeft="space0" fontSize="fontSize20" whiteSpace="pre-wrap">
              {value}
            </Text>
          </Box>
        ))}
      </Box>
      {kase.publicPost && (
        <Anchor href={kase.publicPost.url} showExternal>
          {t('FlexcordDetailsPublicPost')}
        </Anchor>
      )}
    </Box>
  );
}

function detailFields(details: Case['details'], t: CaseTranslate): Array<[string, string]> {
  switch (details.kind) {
    case 'bug':
      return [
        [t('FlexcordDetailsWhatHappened'), details.whatHappened],
        [t('FlexcordDetailsSteps'), details.steps],
        [t('FlexcordDetailsExpected'), details.expectedVsActual],
        [t('FlexcordDetailsSeverity'), details.severity],
        ...optional(t('FlexcordDetailsPlatform'), details.platform),
        ...optional(t('FlexcordDetailsVersion'), details.version),
      ];
    case 'feature':
      return [
        [t('FlexcordDetailsDescription'), details.description],
        [t('FlexcordDetailsWhy'), details.whyItMatters],
      ];
    case 'support': {
      const topic = details.helpTopic;
      if (!topic) return optional(t('FlexcordDetailsTopic'), details.topic);
      const language = contentLanguage(t);
      return [
        [t('FlexcordDetailsTopic'), helpTopicName(topic, language)],
        ...topic.answers.map((answer): [string, string] => [answer.label[language], answer.value]),
      ];
    }
  }
}

/** The language the brand's bilingual texts are shown in: the agent's. */
export function contentLanguage(t: CaseTranslate): 'en' | 'es' {
  return t('FlexcordContentLanguage') === 'es' ? 'es' : 'en';
}

/** A help topic as agents read it: its emoji and its name in their language ("💳 Pagos"). */
export function helpTopicName(topic: HelpTopicSnapshot, language: 'en' | 'es'): string {
  return topic.emoji ? `${topic.emoji} ${topic.label[language]}` : topic.label[language];
}

function optional(label: string, value: string | undefined): Array<[string, string]> {
  return value ? [[label, value]] : [];
}
