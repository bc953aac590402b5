import type { APIModalInteractionResponseCallbackData } from 'discord-api-types/v10';
import { type FormEvent, useState } from 'react';
import { useWords } from './words.tsx';

interface TextField {
  customId: string;
  label: string;
  style: number;
  placeholder?: string;
  required: boolean;
  value: string;
  minLength?: number;
  maxLength?: number;
}

/** The text inputs of a modal: in action rows (type 1) or in labels (type 18), as Discord allows. */
function textFields(modal: APIModalInteractionResponseCallbackData): TextField[] {
  const fields: TextField[] = [];
  const visit = (node: unknown, label?: string) => {
    if (!node || typeof node !== 'object') return;
    const component = node as Record<string, unknown>;
    if (component.type === 4) {
      fields.push({
        customId: String(component.custom_id),
        label: String(component.label ?? label ?? component.custom_id),
        style: Number(component.style ?? 1),
        ...(typeof component.placeholder === 'string' ? { placeholder: component.placeholder } : {}),
        required: component.required !== false,
        value: typeof component.value === 'string' ? component.value : '',
        ...(typeof component.min_length === 'number' ? { minLength: component.min_length } : {}),
        ...(typeof component.max_length === 'number' ? { maxLength: component.max_length } : {}),
      });
      return;
    }
    if (Array.isArray(component.components)) for (const child of component.components) visit(child);
    if (component.component)
      visit(component.component, typeof component.label === 'string' ? component.label : undefined);
  };
  for (const row of modal.components) visit(row);
  return fields;
}

/** A modal the bot opened (e.g. /bug's form): its text inputs, Submit and Cancel. */
export function ModalDialog({
  modal,
  submit,
  cancel,
}: {
  modal: APIModalInteractionResponseCallbackData;
  submit(values: Record<string, string>): Promise<void>;
  cancel(): void;
}) {
  const { t } = useWords();
  const fields = textFields(modal);
  const [values, setValues] = useState<Record<string, string>>(
    Object.fromEntries(fields.map((field) => [field.customId, field.value])),
  );
  const [busy, setBusy] = useState(false);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await submit(values);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="modal-backdrop">
      <form
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-label={modal.title}
        onSubmit={(event) => void onSubmit(event)}
      >
        <h2>{modal.title}</h2>
        {fields.map((field) => (
          <div key={field.customId} className="modal-field">
            <label htmlFor={`modal-${field.customId}`}>
              {field.label}
              {field.required && <span className="required">*</span>}
            </label>
            {field.style === 2 ? (
              <textarea
                id={`modal-${field.customId}`}
                placeholder={field.placeholder}
                required={field.required}
                minLength={field.minLength}
                maxLength={field.maxLength}
                rows={3}
                value={values[field.customId] ?? ''}
                onChange={(event) => setValues({ ...values, [field.customId]: event.target.value })}
              />
            ) : (
              <input
                id={`modal-${field.customId}`}
                placeholder={field.placeholder}
                required={field.required}
                minLength={field.minLength}
                maxLength={field.maxLength}
                value={values[field.customId] ?? ''}
                onChange={(event) => setValues({ ...values, [field.customId]: event.target.value })}
              />
            )}
          </div>
        ))}
        <div className="modal-actions">
          <button type="button" className="button secondary" onClick={cancel}>
            {t('cancel')}
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {t('submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
