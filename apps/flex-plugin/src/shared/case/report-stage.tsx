import { type Case, type CaseStage, CaseStageSchema } from '@flexcord/contracts';
import { Box } from '@twilio-paste/core/box';
import { HelpText } from '@twilio-paste/core/help-text';
import { Label } from '@twilio-paste/core/label';
import { Option, Select } from '@twilio-paste/core/select';
import { useUID } from '@twilio-paste/core/uid-library';
import { useCaseStrings } from './case-format.ts';
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
  const { t, labels } = useCaseStrings();
  if (!kase.stage) return null;
  return (
    <Box>
      <Label htmlFor={id}>{t('FlexcordStageLabel')}</Label>
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
            {labels.stage[stage]}
          </Option>
        ))}
      </Select>
      <HelpText id={helpId}>{t('FlexcordStageHelp')}</HelpText>
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
  const { t } = useCaseStrings();
  return (
    <TextForm
      label={t('FlexcordReplyLabel')}
      help={t('FlexcordReplyHelp')}
      submitLabel={t('FlexcordReplySubmit')}
      maxLength={1800}
      variant="secondary"
      saving={saving}
      onSubmit={onReply}
    />
  );
}
