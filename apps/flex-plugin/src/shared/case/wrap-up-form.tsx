import type { Disposition, WrapUpRequest } from '@flexcord/contracts';
import { Alert } from '@twilio-paste/core/alert';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { HelpText } from '@twilio-paste/core/help-text';
import { Label } from '@twilio-paste/core/label';
import { Option, Select } from '@twilio-paste/core/select';
import { Text } from '@twilio-paste/core/text';
import { TextArea } from '@twilio-paste/core/textarea';
import { useUID } from '@twilio-paste/core/uid-library';
import { useEffect, useRef, useState } from 'react';
import type { FlexcordApi } from '../../agent/flexcord-api.ts';
import { asError } from '../../agent/use-flexcord-api.ts';
import { useCaseStrings } from './case-format.ts';
import { markWrappedUp, registerWrapUpForm } from './wrap-up-registry.ts';

interface WrapUpFormProps {
  api: FlexcordApi;
  taskSid: string;
  saving: boolean;
  onWrapUp(request: WrapUpRequest): Promise<boolean>;
}

/**
 * Wrap-up, once the chat has ended: how it ended (the bridge's configured dispositions, each saying
 * what it does to the case) and a note; "Complete" records both on the case and completes the task.
 */
export function WrapUpForm({ api, taskSid, saving, onWrapUp }: WrapUpFormProps) {
  const dispositionId = useUID();
  const { t, labels } = useCaseStrings();
  const noteId = useUID();
  const helpId = useUID();
  const [dispositions, setDispositions] = useState<Disposition[] | null>(null);
  const [failed, setFailed] = useState<Error | null>(null);
  const [code, setCode] = useState('');
  const [note, setNote] = useState('');
  const [done, setDone] = useState(false);
  const selectRef = useRef<HTMLSelectElement>(null);

  /** Records the chosen disposition and note (the bridge completes the task); false when it could not. */
  const submit = async (): Promise<boolean> => {
    if (!code) {
      selectRef.current?.focus();
      return false;
    }
    const wrapped = await onWrapUp({
      taskSid,
      disposition: code,
      ...(note.trim() ? { note: note.trim() } : {}),
    });
    if (wrapped) markWrappedUp(taskSid);
    setDone(wrapped);
    return wrapped;
  };
  // Flex's own Complete (the task bar) submits this form instead of completing without it.
  const submitRef = useRef(submit);
  submitRef.current = submit;
  useEffect(() => registerWrapUpForm(taskSid, () => submitRef.current()), [taskSid]);

  useEffect(() => {
    const controller = new AbortController();
    api.wrapUpOptions({ signal: controller.signal }).then(
      (options) => {
        setDispositions(options.dispositions);
        setCode((current) => current || (options.dispositions[0]?.code ?? ''));
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setFailed(asError(error));
      },
    );
    return () => controller.abort();
  }, [api]);

  const chosen = dispositions?.find((d) => d.code === code);
  return (
    <Box
      as="form"
      data-testid="flexcord-wrap-up"
      padding="space40"
      borderRadius="borderRadius20"
      borderStyle="solid"
      borderWidth="borderWidth10"
      borderColor="colorBorderPrimary"
      backgroundColor="colorBackgroundPrimaryWeakest"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Box marginBottom="space30">
        <Heading as="h3" variant="heading50" marginBottom="space0">
          {t('FlexcordWrapUpTitle')}
        </Heading>
      </Box>
      {failed && (
        <Alert variant="error">
          <Text as="span">{t('FlexcordWrapUpLoadFailed', { reason: failed.message })}</Text>
        </Alert>
      )}
      {done ? (
        <Text as="p" data-testid="flexcord-wrap-up-done">
          {t('FlexcordWrapUpDone', { disposition: chosen?.label ?? code })}
        </Text>
      ) : (
        <>
          <Label htmlFor={dispositionId} required>
            {t('FlexcordWrapUpDisposition')}
          </Label>
          <Select
            ref={selectRef}
            id={dispositionId}
            value={code}
            disabled={saving || !dispositions}
            aria-describedby={helpId}
            onChange={(event) => setCode(event.target.value)}
          >
            {(dispositions ?? []).map((d) => (
              <Option key={d.code} value={d.code}>
                {d.label}
              </Option>
            ))}
          </Select>
          <HelpText id={helpId}>
            {chosen?.status
              ? t('FlexcordWrapUpBecomes', { status: labels.status[chosen.status] })
              : t('FlexcordWrapUpKeeps')}
          </HelpText>
          <Box marginTop="space30">
            <Label htmlFor={noteId}>{t('FlexcordWrapUpNote')}</Label>
            <TextArea
              id={noteId}
              value={note}
              maxLength={2000}
              onChange={(event) => setNote(event.target.value)}
            />
          </Box>
          <Box marginTop="space30">
            <Button type="submit" variant="primary" size="small" disabled={saving || !code}>
              {t('FlexcordWrapUpComplete')}
            </Button>
          </Box>
        </>
      )}
    </Box>
  );
}
