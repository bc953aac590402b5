import type { Case } from '@flexcord/contracts';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { HelpText } from '@twilio-paste/core/help-text';
import { Input } from '@twilio-paste/core/input';
import { Label } from '@twilio-paste/core/label';
import { Text } from '@twilio-paste/core/text';
import { useUID } from '@twilio-paste/core/uid-library';
import { useState } from 'react';
import { useCaseStrings } from './case-format.ts';

/**
 * A bug report or feature request marked a duplicate of another: the original's number, and the
 * bridge closes this one with a link to it, tells both reporters and counts this one's there.
 * A duplicate already shows which case it repeats.
 */
export function DuplicateForm({
  kase,
  saving,
  onMark,
  onOpenCase,
}: {
  kase: Case;
  saving: boolean;
  onMark(of: number): Promise<boolean>;
  onOpenCase?: (caseNumber: number) => void;
}) {
  const id = useUID();
  const helpId = useUID();
  const { t } = useCaseStrings();
  const [of, setOf] = useState('');
  if (kase.type === 'support') return null;
  if (kase.duplicateOf) {
    const original = kase.duplicateOf;
    return (
      <Box data-testid="flexcord-case-duplicate-of">
        <Text as="span">{t('FlexcordDuplicateOf')} </Text>
        {onOpenCase ? (
          <Button variant="link" onClick={() => onOpenCase(original)}>
            case #{original}
          </Button>
        ) : (
          <Text as="span">{t('FlexcordDuplicateCase', { number: original })}</Text>
        )}
      </Box>
    );
  }
  const number = Number(of);
  const valid = Number.isInteger(number) && number > 0 && number !== kase.number;
  return (
    <Box
      as="form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!valid) return;
        void onMark(number).then((taken) => {
          if (taken) setOf('');
        });
      }}
    >
      <Label htmlFor={id}>{t('FlexcordDuplicateOfCase')}</Label>
      <Box display="flex" columnGap="space30" alignItems="center">
        <Box width="size10">
          <Input
            id={id}
            type="number"
            min={1}
            aria-describedby={helpId}
            value={of}
            data-testid="flexcord-duplicate-of"
            onChange={(event) => setOf(event.target.value)}
          />
        </Box>
        <Button type="submit" variant="secondary" size="small" disabled={saving || !valid}>
          {t('FlexcordDuplicateMark')}
        </Button>
      </Box>
      <HelpText id={helpId}>
        {t(kase.type === 'bug' ? 'FlexcordDuplicateHelpBug' : 'FlexcordDuplicateHelpFeature')}
      </HelpText>
    </Box>
  );
}
