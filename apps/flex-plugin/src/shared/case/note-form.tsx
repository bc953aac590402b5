import { TextForm } from './text-form.tsx';

/** An internal note for the case; kept in the box until the bridge has stored it. */
export function NoteForm({ saving, onAdd }: { saving: boolean; onAdd(body: string): Promise<boolean> }) {
  return (
    <TextForm
      label="Internal note"
      help="Only agents see notes; the member never does."
      submitLabel="Add note"
      maxLength={4000}
      variant="primary"
      saving={saving}
      onSubmit={onAdd}
    />
  );
}
