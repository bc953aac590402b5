import { type Case, type CaseStage, CaseStageSchema } from '@flexcord/contracts';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { HelpText } from '@twilio-paste/core/help-text';
import { Label } from '@twilio-paste/core/label';
import { Option, Select } from '@twilio-paste/core/select';
import { TextArea } from '@twilio-paste/core/textarea';
import { useUID } from '@twilio-paste/core/uid-library';
import { useState } from 'react';
import { caseStageLabels } from './case-format.ts';

/** A report's stage, as the community sees it (its forum tag); the reporter is told of each change. */
export function ReportStage({
  kase,
  saving,
  onStage,
}: {
  kase: Case;
  saving: boolean;
  onStage(stage: CaseStage): Promise<boolean>;
}) {
  const id = useUID();
  const helpId = useUID();
  if (!kase.stage) return null;
  return (
    <Box>
      <Label htmlFor={id}>Stage</Label>
      <Select
        id={id}
        aria-describedby={helpId}
        value={kase.stage}
        disabled={saving}
        data-testid="flexcord-case-stage"
        onChange={(event) => {
          const stage = CaseStageSchema.safeParse(event.target.value);
          if (stage.success) void onStage(stage.data);
        }}
      >
        {CaseStageSchema.options.map((stage) => (
          <Option key={stage} value={stage}>
            {caseStageLabels[stage]}
          </Option>
        ))}
      </Select>
      <HelpText id={helpId}>Sets the post's tag and tells the reporter.</HelpText>
    </Box>
  );
}

/** An official answer in the report's public thread, signed with the agent's name (mentions disabled). */
export function OfficialReplyForm({
  saving,
  onReply,
}: {
  saving: boolean;
  onReply(body: string): Promise<boolean>;
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
        void onReply(body.trim()).then((sent) => {
          if (sent) setBody('');
        });
      }}
    >
      <Label htmlFor={id}>Official reply</Label>
      <TextArea
        id={id}
        aria-describedby={helpId}
        value={body}
        maxLength={1800}
        onChange={(event) => setBody(event.target.value)}
      />
      <HelpText id={helpId}>Posted in the report's public thread for everyone to read.</HelpText>
      <Box marginTop="space30">
        <Button type="submit" variant="secondary" size="small" disabled={saving || empty}>
          Post reply
        </Button>
      </Box>
    </Box>
  );
}
