import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { HelpText } from '@twilio-paste/core/help-text';
import { Label } from '@twilio-paste/core/label';
import { TextArea } from '@twilio-paste/core/textarea';
import { useUID } from '@twilio-paste/core/uid-library';
import { useState } from 'react';

/**
 * A text box with a send button for the case panel (an internal note, an official reply): the text
 * stays in the box until `onSubmit` says the bridge took it.
 */
export function TextForm(props: {
  label: string;
  help: string;
  submitLabel: string;
  maxLength: number;
  variant: 'primary' | 'secondary';
  saving: boolean;
  onSubmit(body: string): Promise<boolean>;
}) {
  const id = useUID();
  const helpId = useUID();
  const [body, setBody] = useState('');
  const empty = body.trim() === '';
  return (
    <Box
      as="form"
      onSubmit={(event) => {
        event.preventDefault();
        if (empty) return;
        void props.onSubmit(body.trim()).then((taken) => {
          if (taken) setBody('');
        });
      }}
    >
      <Label htmlFor={id}>{props.label}</Label>
      <TextArea
        id={id}
        aria-describedby={helpId}
        value={body}
        maxLength={props.maxLength}
        onChange={(event) => setBody(event.target.value)}
      />
      <HelpText id={helpId}>{props.help}</HelpText>
      <Box marginTop="space30">
        <Button type="submit" variant={props.variant} size="small" disabled={props.saving || empty}>
          {props.submitLabel}
        </Button>
      </Box>
    </Box>
  );
}
