import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { HelpText } from '@twilio-paste/core/help-text';
import { Label } from '@twilio-paste/core/label';
import { TextArea } from '@twilio-paste/core/textarea';
import { useUID } from '@twilio-paste/core/uid-library';
import { useState } from 'react';

/** An internal note for the case; kept in the box until the bridge has stored it. */
export function NoteForm({ saving, onAdd }: { saving: boolean; onAdd(body: string): Promise<boolean> }) {
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
        void onAdd(body.trim()).then((added) => {
          if (added) setBody('');
        });
      }}
    >
      <Label htmlFor={id}>Internal note</Label>
      <TextArea
        id={id}
        aria-describedby={helpId}
        value={body}
        maxLength={4000}
        onChange={(event) => setBody(event.target.value)}
      />
      <HelpText id={helpId}>Only agents see notes; the member never does.</HelpText>
      <Box marginTop="space30">
        <Button type="submit" variant="primary" size="small" disabled={saving || empty}>
          Add note
        </Button>
      </Box>
    </Box>
  );
}
