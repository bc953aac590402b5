import { type Case, type CaseStage, CaseStageSchema } from '@flexcord/contracts';
import { Box } from '@twilio-paste/core/box';
import { HelpText } from '@twilio-paste/core/help-text';
import { Label } from '@twilio-paste/core/label';
import { Option, Select } from '@twilio-paste/core/select';
import { useUID } from '@twilio-paste/core/uid-library';
import { caseStageLabels } from './case-format.ts';
import { TextForm } from './text-form.tsx';

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
  return (
    <TextForm
      label="Official reply"
      help="Posted in the report's public thread for everyone to read."
      submitLabel="Post reply"
      maxLength={1800}
      variant="secondary"
      saving={saving}
      onSubmit={onReply}
    />
  );
}
