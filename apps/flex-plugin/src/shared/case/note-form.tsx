import { useCaseStrings } from './case-format.ts';
import { TextForm } from './text-form.tsx';

/** An internal note for the case; kept in the box until the bridge has stored it. */
export function NoteForm({ saving, onAdd }: { saving: boolean; onAdd(body: string): Promise<boolean> }) {
  const { t } = useCaseStrings();
  return (
    <TextForm
      label={t('FlexcordNoteLabel')}
      help={t('FlexcordNoteHelp')}
      submitLabel={t('FlexcordNoteSubmit')}
      maxLength={4000}
      variant="primary"
      saving={saving}
      onSubmit={onAdd}
    />
  );
}
