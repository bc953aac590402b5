import {
  type APIApplicationCommand,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType,
  type Locale,
} from 'discord-api-types/v10';
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import type { OptionValue } from './discord-api.ts';
import { MESSAGE_LIMIT } from './refusal-text.ts';
import { formatCount, localized } from './strings.ts';
import { useWords } from './words.tsx';

export interface ComposerProps {
  placeholder: string;
  /** Commands usable here (registered by the bridge, read from the emulator). */
  commands: APIApplicationCommand[];
  disabled?: boolean;
  /**
   * Sends the text with the files picked with the upload button (Discord's "+"); true once sent.
   * When it is not, the text and the files stay in the box.
   */
  sendMessage(content: string, files: File[]): Promise<boolean>;
  /** Runs a command; a subcommand's name follows its command's after a space (`privacy export`). */
  runCommand(name: string, options: Record<string, OptionValue>): Promise<void>;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
}

/**
 * The commands as Discord's client offers them: a command with subcommands is listed once per
 * subcommand (`/privacy export`, `/privacy delete`), with the subcommand's description and options.
 */
function offeredCommands(commands: APIApplicationCommand[]): APIApplicationCommand[] {
  return commands.flatMap((command) => {
    const subcommands = (command.options ?? []).filter(
      (option): option is APIApplicationCommandSubcommandOption =>
        option.type === ApplicationCommandOptionType.Subcommand,
    );
    if (subcommands.length === 0) return [command];
    return subcommands.map((sub) => {
      const names: Record<string, string> = {};
      for (const [locale, name] of Object.entries(sub.name_localizations ?? {})) {
        if (name) names[locale] = `${command.name_localizations?.[locale as Locale] ?? command.name} ${name}`;
      }
      return {
        ...command,
        name: `${command.name} ${sub.name}`,
        name_localizations: names,
        description: sub.description,
        description_localizations: sub.description_localizations ?? null,
        options: sub.options ?? [],
      };
    });
  });
}

/** The options a chat command takes directly (a subcommand's, once {@link offeredCommands} listed it). */
function basicOptions(command: APIApplicationCommand): APIApplicationCommandBasicOption[] {
  return (command.options ?? []).filter(
    (option): option is APIApplicationCommandBasicOption =>
      option.type !== ApplicationCommandOptionType.Subcommand &&
      option.type !== ApplicationCommandOptionType.SubcommandGroup,
  );
}

/** The characters Discord counts: code points, so an emoji is one. */
function characters(text: string): number {
  return [...text].length;
}

/** Discord's client shows how many characters are left once a message nears the limit. */
const COUNTER_FROM = MESSAGE_LIMIT - 200;

function typedValue(option: APIApplicationCommandBasicOption, raw: string): OptionValue {
  if (option.type === ApplicationCommandOptionType.Integer) return Number.parseInt(raw, 10);
  if (option.type === ApplicationCommandOptionType.Number) return Number(raw);
  if (option.type === ApplicationCommandOptionType.Boolean) return raw === 'true';
  return raw;
}

/**
 * The message box. Typing `/` lists the slash commands (autocomplete on the name); choosing one
 * shows its options as fields, as Discord does; Enter sends.
 *
 * Text over {@link MESSAGE_LIMIT} characters is not sent, as in Discord's client: the member is told,
 * the text stays in the box, and it can go as a `message.txt` file instead (what Discord's client
 * does with long text; see github.com/mwittrien/BetterDiscordAddons/issues/619 and
 * github.com/GeyserMC/GeyserDiscordBot/pull/21). A message Discord refuses stays in the box too.
 */
export function Composer({
  placeholder,
  commands: registered,
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
  /** Shown when the member tried to send more than Discord takes in one message. */
  const [tooLong, setTooLong] = useState(false);
  /** The option being filled: Discord shows its name and description above the box, in full. */
  const [focused, setFocused] = useState<string | null>(null);
  const { t, language, locale } = useWords();
  const commands = useMemo(() => offeredCommands(registered), [registered]);
  const formRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  // Choosing a command moves the focus to its first option, as in Discord.
  useEffect(() => {
    if (command) formRef.current?.querySelector('input')?.focus();
  }, [command]);

  const suggestions = useMemo(() => {
    if (command || !text.startsWith('/') || text.includes(' ')) return [];
    const prefix = text.slice(1).toLowerCase();
    return commands.filter(
      (candidate) =>
        candidate.name.startsWith(prefix) || localized(candidate, locale).name.startsWith(prefix),
    );
  }, [command, text, commands, locale]);

  const choose = (chosen: APIApplicationCommand) => {
    setCommand(chosen);
    setValues({});
    setText('');
    setHighlight(0);
  };
  const clear = () => {
    setFocused(null);
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
      } else if (characters(text) > MESSAGE_LIMIT) {
        setTooLong(true);
      } else if (text.trim() || files.length) {
        const sent = text;
        if (await sendMessage(sent, files)) {
          // What was typed while it went stays.
          setText((current) => (current === sent ? '' : current));
          setFiles([]);
        }
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

  /** The text as a file, as Discord's client uploads long text. */
  const sendAsFile = async () => {
    setBusy(true);
    try {
      const sent = text;
      const file = new File([sent], 'message.txt', { type: 'text/plain;charset=utf-8' });
      if (await sendMessage('', [...files, file])) {
        setText((current) => (current === sent ? '' : current));
        setFiles([]);
        setTooLong(false);
      }
    } finally {
      setBusy(false);
    }
  };

  const length = characters(text);
  const missing = command
    ? basicOptions(command).some((option) => option.required && !values[option.name]?.trim())
    : false;

  return (
    <div className="composer" data-testid="composer">
      {tooLong && (
        <div className="too-long" role="alert" data-testid="too-long">
          <strong>{t('tooLongTitle')}</strong>
          <p>
            {t('tooLongBody', {
              count: formatCount(length, language),
              limit: formatCount(MESSAGE_LIMIT, language),
            })}
          </p>
          <div className="too-long-actions">
            <button
              type="button"
              className="button secondary"
              onClick={() => {
                setTooLong(false);
                inputRef.current?.focus();
              }}
            >
              {t('keepEditing')}
            </button>
            <button
              type="button"
              className="button primary"
              data-testid="send-as-file"
              disabled={busy}
              onClick={() => void sendAsFile()}
            >
              {t('sendAsFile')}
            </button>
          </div>
        </div>
      )}
      {command && (
        <OptionHint
          option={basicOptions(command).find((option) => option.name === focused) ?? null}
          command={command}
          locale={locale}
        />
      )}
      {files.length > 0 && (
        <ul className="pending-files" data-testid="pending-files" aria-label={t('filesToUpload')}>
          {files.map((file, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: two picked files may share a name; the list only grows or loses one
            <li key={`${file.name}:${index}`} className="pending-file">
              <span className="pending-name">{file.name}</span>
              <span className="pending-size">{formatSize(file.size)}</span>
              <button
                type="button"
                className="linkish"
                aria-label={t('removeFile', { name: file.name })}
                onClick={() => setFiles((list) => list.filter((_, at) => at !== index))}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      {suggestions.length > 0 && (
        <div
          className="suggestions"
          role="listbox"
          aria-label={t('commands')}
          data-testid="command-suggestions"
        >
          <div className="suggestions-title">{t('commandsMatching', { text })}</div>
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
              <span className="suggestion-name">/{localized(candidate, locale).name}</span>
              <span className="suggestion-description">{localized(candidate, locale).description}</span>
            </div>
          ))}
        </div>
      )}
      <div className={`composer-box${disabled ? ' read-only' : ''}`}>
        {!command && !disabled && (
          <label className="upload" title={t('uploadFile')}>
            <input
              type="file"
              multiple
              aria-label={t('uploadFile')}
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
            <button type="button" className="command-chip" title={t('removeCommand')} onClick={clear}>
              /{localized(command, locale).name} ✕
            </button>
            {basicOptions(command).map((option) => {
              const shown = localized(option, locale);
              const choices = 'choices' in option ? (option.choices ?? []) : [];
              return (
                // biome-ignore lint/a11y/noLabelWithoutControl: the control is the select or the input below, by branch
                <label key={option.name} className="command-option">
                  <span>
                    {shown.name}
                    {option.required ? '*' : ''}
                  </span>
                  {choices.length > 0 ? (
                    <select
                      aria-label={shown.name}
                      aria-description={shown.description}
                      onFocus={() => setFocused(option.name)}
                      value={values[option.name] ?? ''}
                      onChange={(event) => setValues({ ...values, [option.name]: event.target.value })}
                      onKeyDown={onKeyDown}
                    >
                      <option value="">{shown.description}</option>
                      {choices.map((choice) => (
                        <option key={String(choice.value)} value={String(choice.value)}>
                          {choice.name_localizations?.[locale as keyof typeof choice.name_localizations] ??
                            choice.name}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <input
                      aria-label={shown.name}
                      aria-description={shown.description}
                      onFocus={() => setFocused(option.name)}
                      inputMode={option.type === ApplicationCommandOptionType.Integer ? 'numeric' : 'text'}
                      value={values[option.name] ?? ''}
                      onChange={(event) => setValues({ ...values, [option.name]: event.target.value })}
                      onKeyDown={onKeyDown}
                    />
                  )}
                </label>
              );
            })}
            {basicOptions(command).length === 0 && (
              <input
                className="command-ready"
                readOnly
                aria-label={t('pressEnterToRun')}
                value=""
                placeholder={localized(command, locale).description}
                onKeyDown={onKeyDown}
              />
            )}
          </div>
        ) : disabled ? (
          // Discord's read-only channel: nothing to type, the reason in its place (wrapping).
          <textarea
            className="message-input read-only-note"
            aria-label={t('messageLabel')}
            data-testid="message-input"
            disabled
            rows={1}
            placeholder={placeholder}
          />
        ) : (
          <input
            className="message-input"
            aria-label={t('messageLabel')}
            aria-invalid={length > MESSAGE_LIMIT}
            ref={inputRef}
            data-testid="message-input"
            placeholder={placeholder}
            disabled={disabled}
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              setHighlight(0);
              if (characters(event.target.value) <= MESSAGE_LIMIT) setTooLong(false);
            }}
            onKeyDown={onKeyDown}
          />
        )}
        {!command && !disabled && length > COUNTER_FROM && (
          <span
            className={`char-count${length > MESSAGE_LIMIT ? ' over' : ''}`}
            data-testid="char-count"
            title={t('charactersLeft', { count: formatCount(MESSAGE_LIMIT - length, language) })}
          >
            {formatCount(MESSAGE_LIMIT - length, language)}
          </span>
        )}
        <button
          type="button"
          className="send"
          hidden={disabled}
          disabled={busy || missing || (!command && !text.trim() && !files.length)}
          onClick={() => void submit()}
        >
          {command ? t('run') : t('send')}
        </button>
      </div>
    </div>
  );
}

/** Above the box, as Discord: the option being filled and its description (or the command's), wrapping. */
function OptionHint({
  option,
  command,
  locale,
}: {
  option: APIApplicationCommandBasicOption | null;
  command: APIApplicationCommand;
  locale: string;
}) {
  const shown = localized(option ?? command, locale);
  return (
    <div className="option-hint" data-testid="option-hint">
      <strong>{option ? shown.name : `/${shown.name}`}</strong> {shown.description}
    </div>
  );
}
