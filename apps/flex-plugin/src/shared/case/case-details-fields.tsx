import type { Case } from '@flexcord/contracts';
import { Anchor } from '@twilio-paste/core/anchor';
import { Box } from '@twilio-paste/core/box';
import { Heading } from '@twilio-paste/core/heading';
import { Text } from '@twilio-paste/core/text';

/** The fields the member filled in: the bug report or the feature request form, or the support topic. */
export function CaseDetailsFields({ kase }: { kase: Case }) {
  const fields = detailFields(kase.details);
  if (fields.length === 0 && !kase.publicPost) return null;
  return (
    <Box data-testid="flexcord-case-details">
      <Box marginBottom="space20">
        <Heading as="h3" variant="heading60" marginBottom="space0">
          Details
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
          Public post in the server
        </Anchor>
      )}
    </Box>
  );
}

function detailFields(details: Case['details']): Array<[string, string]> {
  switch (details.kind) {
    case 'bug':
      return [
        ['What happened', details.whatHappened],
        ['Steps to reproduce', details.steps],
        ['Expected vs actual', details.expectedVsActual],
        ['Severity', details.severity],
        ...optional('Platform', details.platform),
        ...optional('Version', details.version),
      ];
    case 'feature':
      return [
        ['Description', details.description],
        ['Why it matters', details.whyItMatters],
      ];
    case 'support':
      return optional('Topic', details.topic);
  }
}

function optional(label: string, value: string | undefined): Array<[string, string]> {
  return value ? [[label, value]] : [];
}
