import {
  type APIApplicationCommand,
  type APIApplicationCommandBasicOption,
  ApplicationCommandOptionType,
} from 'discord-api-types/v10';
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import type { OptionValue } from './discord-api.ts';

export interface ComposerProps {
  placeholder: string;
  /** Commands usable here (registered by the bridge, read from the emulator). */
  commands: APIApplicationCommand[];
  disabled?: boolean;
  /** Sends the text with the files picked with the upload button (Discord's "+"). */
  sendMessage(content: string, files: File[]): Promise<void>;
  runCommand(name: string, options: Record<string, OptionValue>): Promise<void>;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
}

/** The options a chat command takes directly (no subcommands in the bridge's commands). */
function basicOptions(command: APIApplicationCommand): APIApplicationCommandBasicOption[] {
  return (command.options ?? []).filter(
    (option): option is APIApplicationCommandBasicOption =>
      option.type !== ApplicationCommandOptionType.Subcommand &&
      option.type !== ApplicationCommandOptionType.SubcommandGroup,
  );
}

function typedValue(option: APIApplicationCommandBasicOption, raw: string): OptionValue {
  if (option.type === ApplicationCommandOptionType.Integer) return Number.parseInt(raw, 10);
  if (option.type === ApplicationCommandOptionType.Number) return Number(raw);
  if (option.type === ApplicationCommandOptionType.Boolean) return raw === 'true';
  return raw;
}

/**
 * The message box. Typing `/` lists the slash commands (autocomplete on the name); choosing one
 * shows its options as fields, as Discord does; Enter sends.
 */
export function Composer({
  placeholder,
  commands,
  disabled = false,
  sendMessage,
  runCommand,
}: ComposerProps) {
  const [text, setText] = useState('');
  const [command, setCommand] = useState<APIApplicationCommand | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [highlight, setHighlight] = useState(0);
  const [busy, setBusy] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const formRef = useRef<HTMLDivElement>(null);
  // Choosing a command moves the focus to its first option, as in Discord.
  useEffect(() => {
    if (command) formRef.current?.querySelector('input')?.focus();
  }, [command]);

  const suggestions = useMemo(() => {
    if (command || !text.startsWith('/') || text.includes(' ')) return [];
    const prefix = text.slice(1).toLowerCase();
    return commands.filter((candidate) => candidate.name.startsWith(prefix));
  }, [command, text, commands]);

  const choose = (chosen: APIApplicationCommand) => {
    setCommand(chosen);
    setValues({});
    setText('');
    setHighlight(0);
  };
  const clear = () => {
    setCommand(null);
    setValues({});
    setText('');
  };

  const submit = async () => {
    if (busy) return;
    let chosen = command;
    if (!chosen && text.startsWith('/')) {
      // `/case` typed in full and sent without picking from the list.
      chosen = commands.find((candidate) => candidate.name === text.slice(1).trim()) ?? null;
      if (!chosen && suggestions[0]) {
        choose(suggestions[highlight] ?? suggestions[0]);
        return;
      }
    }
    setBusy(true);
    try {
      if (chosen) {
        const options: Record<string, OptionValue> = {};
        for (const option of basicOptions(chosen)) {
          const raw = values[option.name]?.trim();
          if (raw) options[option.name] = typedValue(option, raw);
        }
        clear();
        await runCommand(chosen.name, options);
      } else if (text.trim() || files.length) {
        const content = text;
        const attached = files;
        setText('');
        setFiles([]);
        await sendMessage(content, attached);
      }
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (suggestions.length > 0 && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setHighlight((current) => (current + step + suggestions.length) % suggestions.length);
      return;
    }
    if (suggestions.length > 0 && event.key === 'Tab') {
      event.preventDefault();
      const chosen = suggestions[highlight] ?? suggestions[0];
      if (chosen) choose(chosen);
      return;
    }
    if (event.key === 'Escape') {
      clear();
      return;
    }
    if (event.key === 'Backspace' && command && Object.values(values).every((value) => !value)) {
      const target = event.target as HTMLInputElement;
      if (target.value === '') clear();
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void submit();
    }
  };

  const missing = command
    ? basicOptions(command).some((option) => option.required && !values[option.name]?.trim())
    : false;

  return (
    <div className="composer" data-testid="composer">
      {files.length > 0 && (
        <ul className="pending-files" data-testid="pending-files" aria-label="Files to upload">
          {files.map((file, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: two picked files may share a name; the list only grows or loses one
            <li key={`${file.name}:${index}`} className="pending-file">
              <span className="pending-name">{file.name}</span>
              <span className="pending-size">{formatSize(file.size)}</span>
              <button
                type="button"
                className="linkish"
                aria-label={`Remove ${file.name}`}
                onClick={() => setFiles((list) => list.filter((_, at) => at !== index))}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      {suggestions.length > 0 && (
        <div className="suggestions" role="listbox" aria-label="Commands" data-testid="command-suggestions">
          <div className="suggestions-title">Commands matching {text}</div>
          {suggestions.map((candidate, index) => (
            <div
              key={candidate.id}
              role="option"
              tabIndex={-1}
              aria-selected={index === highlight}
              className={index === highlight ? 'suggestion highlighted' : 'suggestion'}
              onMouseDown={(event) => {
                event.preventDefault();
                choose(candidate);
              }}
            >
              <span className="suggestion-name">/{candidate.name}</span>
              <span className="suggestion-description">{candidate.description}</span>
            </div>
          ))}
        </div>
      )}
      <div className={`composer-box${disabled ? ' read-only' : ''}`}>
        {!command && !disabled && (
          <label className="upload" title="Upload a file">
            <input
              type="file"
              multiple
              aria-label="Upload a file"
              data-testid="upload-file"
              onChange={(event) => {
                const picked = [...(event.target.files ?? [])];
                event.target.value = '';
                setFiles((list) => [...list, ...picked]);
              }}
            />
            <span aria-hidden="true">+</span>
          </label>
        )}
        {command ? (
          <div className="command-form" data-testid="command-form" ref={formRef}>
            <button type="button" className="command-chip" title="Remove the command" onClick={clear}>
              /{command.name} ✕
            </button>
            {basicOptions(command).map((option) => (
              <label key={option.name} className="command-option">
                <span>
                  {option.name}
                  {option.required ? '*' : ''}
                </span>
                <input
                  aria-label={option.name}
                  placeholder={option.description}
                  inputMode={option.type === ApplicationCommandOptionType.Integer ? 'numeric' : 'text'}
                  value={values[option.name] ?? ''}
                  onChange={(event) => setValues({ ...values, [option.name]: event.target.value })}
                  onKeyDown={onKeyDown}
                />
              </label>
            ))}
            {basicOptions(command).length === 0 && (
              <input
                className="command-ready"
                readOnly
                aria-label="Press Enter to run"
                value=""
                placeholder={command.description}
                onKeyDown={onKeyDown}
              />
            )}
          </div>
        ) : disabled ? (
          // Discord's read-only channel: nothing to type, the reason in its place (wrapping).
          <textarea
            className="message-input read-only-note"
            aria-label="Message"
            data-testid="message-input"
            disabled
            rows={1}
            placeholder={placeholder}
          />
        ) : (
          <input
            className="message-input"
            aria-label="Message"
            data-testid="message-input"
            placeholder={placeholder}
            disabled={disabled}
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              setHighlight(0);
            }}
            onKeyDown={onKeyDown}
          />
        )}
        <button
          type="button"
          className="send"
          hidden={disabled}
          disabled={busy || missing || (!command && !text.trim() && !files.length)}
          onClick={() => void submit()}
        >
          {command ? 'Run' : 'Send'}
        </button>
      </div>
    </div>
  );
}
