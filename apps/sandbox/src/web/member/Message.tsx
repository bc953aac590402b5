import {
  type APIActionRowComponent,
  type APIAttachment,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIMessage,
  type APIStringSelectComponent,
  type APIUser,
  ButtonStyle,
  ComponentType,
  MessageFlags,
} from 'discord-api-types/v10';
import { useState } from 'react';
import type { RecordedMessage } from './discord-api.ts';
import { Markdown } from './markdown.tsx';
import type { Translate } from './strings.ts';
import { useWords } from './words.tsx';

export interface MessageActions {
  clickButton(message: RecordedMessage, customId: string): void;
  selectMenu(message: RecordedMessage, customId: string, values: string[]): void;
  channelName(id: string): string | undefined;
  /** The author's avatar on the Discord emulator's CDN. */
  avatarUrl(user: APIUser): string;
  /** The member playing: their own messages can be edited. */
  memberId: string;
  editMessage(message: RecordedMessage, content: string): Promise<void>;
}

const BUTTON_CLASS: Record<number, string> = {
  [ButtonStyle.Primary]: 'primary',
  [ButtonStyle.Secondary]: 'secondary',
  [ButtonStyle.Success]: 'success',
  [ButtonStyle.Danger]: 'danger',
  [ButtonStyle.Link]: 'link',
};

/** Who ran the command this message answers (Discord shows "Pat used /helpme" above it). */
function commandLine(message: APIMessage, t: Translate): string | null {
  const metadata = message.interaction_metadata as
    | { name?: string; user?: { global_name?: string | null; username: string } }
    | undefined;
  const legacy = message.interaction as
    | { name?: string; user?: { global_name?: string | null; username: string } }
    | undefined;
  const source = metadata?.name ? metadata : legacy;
  if (!source?.name) return null;
  const user = source.user ? (source.user.global_name ?? source.user.username) : t('someone');
  return t('usedCommand', { user, command: source.name });
}

export function Message({ message, actions }: { message: RecordedMessage; actions: MessageActions }) {
  const author = message.author;
  const flags = message.flags ?? 0;
  const ephemeral = (flags & MessageFlags.Ephemeral) !== 0;
  const loading = (flags & MessageFlags.Loading) !== 0;
  const { t } = useWords();
  const command = commandLine(message, t);
  const own = author.id === actions.memberId && !ephemeral;
  const [editing, setEditing] = useState(false);
  // Discord's "Dismiss message" hides an ephemeral message from this client only.
  const [dismissed, setDismissed] = useState(false);
  if (dismissed) return null;
  return (
    <li
      className={`message${ephemeral ? ' ephemeral' : ''}${own ? ' own' : ''}`}
      data-testid="message"
      data-message-id={message.id}
      data-author={author.username}
    >
      {command && <div className="command-line">↳ {command}</div>}
      <div className="message-head">
        <img className="avatar" src={actions.avatarUrl(author)} alt="" aria-hidden="true" />
        <span className="author">{author.global_name ?? author.username}</span>
        {author.bot && <span className="bot-tag">{t('appTag')}</span>}
        <time dateTime={message.timestamp}>{new Date(message.timestamp).toLocaleTimeString()}</time>
        {own && message.content && !editing && (
          <span className="message-toolbar">
            <button
              type="button"
              className="toolbar-button"
              data-testid="edit-message"
              aria-label={t('edit')}
              title={t('edit')}
              onClick={() => setEditing(true)}
            >
              ✎ {t('edit')}
            </button>
          </span>
        )}
      </div>
      <div className="message-body">
        {loading && (
          <div className="loading">{t('thinking', { name: author.global_name ?? author.username })}</div>
        )}
        {editing ? (
          <EditBox
            initial={message.content}
            cancel={() => setEditing(false)}
            save={async (content) => {
              if (content !== message.content) await actions.editMessage(message, content);
              setEditing(false);
            }}
          />
        ) : (
          message.content && (
            <div className="content">
              <Markdown text={message.content} channelName={actions.channelName} />
              {message.edited_timestamp && (
                <span
                  className="edited"
                  data-testid="edited"
                  title={new Date(message.edited_timestamp).toLocaleString()}
                >
                  {' '}
                  {t('edited')}
                </span>
              )}
            </div>
          )
        )}
        {message.embeds.map((embed, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: embeds have no id; their order is fixed
          <Embed key={index} embed={embed} actions={actions} />
        ))}
        {message.attachments.map((file) => (
          <Attachment key={file.id} file={file} />
        ))}
        {(message.components ?? []).map((row) =>
          row.type === ComponentType.ActionRow ? (
            <ActionRow
              key={rowKey(row as APIActionRowComponent<APIComponentInMessageActionRow>)}
              row={row as APIActionRowComponent<APIComponentInMessageActionRow>}
              message={message}
              actions={actions}
            />
          ) : null,
        )}
        {ephemeral && (
          <div className="ephemeral-note">
            ◉ {t('onlyYou')} •{' '}
            <button type="button" className="linkish" onClick={() => setDismissed(true)}>
              {t('dismissMessage')}
            </button>
          </div>
        )}
      </div>
    </li>
  );
}

/** Discord's inline editor: Enter saves, Shift+Enter a new line, Escape cancels. */
function EditBox({
  initial,
  save,
  cancel,
}: {
  initial: string;
  save(content: string): Promise<void>;
  cancel(): void;
}) {
  const [text, setText] = useState(initial);
  const { t } = useWords();
  return (
    <div className="edit-box">
      <textarea
        data-testid="edit-input"
        aria-label={t('editMessage')}
        value={text}
        // biome-ignore lint/a11y/noAutofocus: Discord focuses the editor it just opened
        autoFocus
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') cancel();
          if (event.key === 'Enter' && !event.shiftKey) {
            event.preventDefault();
            if (text.trim()) void save(text);
          }
        }}
      />
      <div className="edit-hint">
        {t('escapeTo')}{' '}
        <button type="button" className="linkish" onClick={cancel}>
          {t('cancelLower')}
        </button>{' '}
        • {t('enterTo')}{' '}
        <button type="button" className="linkish" onClick={() => text.trim() && void save(text)}>
          {t('saveLower')}
        </button>
      </div>
    </div>
  );
}

/** Discord's IS_SPOILER attachment flag (a `SPOILER_` file): hidden until clicked. */
const IS_SPOILER = 1 << 3;

function Attachment({ file }: { file: APIAttachment }) {
  const spoiler = ((file.flags ?? 0) & IS_SPOILER) !== 0 || file.filename.startsWith('SPOILER_');
  const [revealed, setRevealed] = useState(!spoiler);
  const { t } = useWords();
  const image = file.content_type?.startsWith('image/');
  return (
    <div className="attachment-frame" data-testid="attachment" data-filename={file.filename}>
      {image ? (
        <a href={file.url} target="_blank" rel="noreferrer">
          <img
            className={`attachment-image${revealed ? '' : ' spoiler'}`}
            src={file.url}
            alt={file.filename}
          />
        </a>
      ) : (
        <a
          className={`attachment${revealed ? '' : ' spoiler'}`}
          href={file.url}
          target="_blank"
          rel="noreferrer"
          download={file.filename}
        >
          <svg className="attachment-icon" viewBox="0 0 24 30" width="24" height="30" aria-hidden="true">
            <path d="M2 1h13l7 7v21H2z" fill="#e3e5e8" />
            <path d="M15 1v7h7" fill="#b5bac1" />
            <path d="M6 15h12M6 19h12M6 23h8" stroke="#80848e" strokeWidth="2" />
          </svg>
          <span className="attachment-name">{file.filename}</span>
          <span className="attachment-size">{formatSize(file.size)}</span>
        </a>
      )}
      {!revealed && (
        <button type="button" className="spoiler-cover" onClick={() => setRevealed(true)}>
          {t('spoiler')}
        </button>
      )}
    </div>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
}

function Embed({ embed, actions }: { embed: APIEmbed; actions: MessageActions }) {
  const color = embed.color === undefined ? '#4f545c' : `#${embed.color.toString(16).padStart(6, '0')}`;
  return (
    <div className="embed" data-testid="embed" style={{ borderLeftColor: color }}>
      {embed.author && <div className="embed-author">{embed.author.name}</div>}
      {embed.title && (
        <div className="embed-title">
          {embed.url ? (
            <a href={embed.url} target="_blank" rel="noreferrer">
              {embed.title}
            </a>
          ) : (
            embed.title
          )}
        </div>
      )}
      {embed.description && (
        <div className="embed-description">
          <Markdown text={embed.description} channelName={actions.channelName} />
        </div>
      )}
      {embed.fields && embed.fields.length > 0 && (
        <div className="embed-fields">
          {embed.fields.map((field, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: fields may repeat names
            <div key={index} className={field.inline ? 'embed-field inline' : 'embed-field'}>
              <div className="embed-field-name">{field.name}</div>
              <div className="embed-field-value">
                <Markdown text={field.value} channelName={actions.channelName} />
              </div>
            </div>
          ))}
        </div>
      )}
      {embed.image?.url && <img className="embed-image" src={embed.image.url} alt="" />}
      {(embed.footer || embed.timestamp) && (
        <div className="embed-footer">
          {embed.footer?.text}
          {embed.footer && embed.timestamp ? ' • ' : ''}
          {embed.timestamp ? new Date(embed.timestamp).toLocaleString() : ''}
        </div>
      )}
    </div>
  );
}

/** Components have no id of their own: a button is known by its custom id or URL. */
function componentKey(component: APIComponentInMessageActionRow): string {
  if ('custom_id' in component) return component.custom_id;
  if ('url' in component) return component.url;
  return 'sku_id' in component ? component.sku_id : 'component';
}

function rowKey(row: APIActionRowComponent<APIComponentInMessageActionRow>): string {
  return row.components.map(componentKey).join('|');
}

function ActionRow({
  row,
  message,
  actions,
}: {
  row: APIActionRowComponent<APIComponentInMessageActionRow>;
  message: RecordedMessage;
  actions: MessageActions;
}) {
  return (
    <div className="action-row">
      {row.components.map((component) => {
        if (component.type === ComponentType.Button) {
          return (
            <Button key={componentKey(component)} button={component} message={message} actions={actions} />
          );
        }
        if (component.type === ComponentType.StringSelect) {
          return <Select key={component.custom_id} select={component} message={message} actions={actions} />;
        }
        return null;
      })}
    </div>
  );
}

function Button({
  button,
  message,
  actions,
}: {
  button: APIButtonComponent;
  message: RecordedMessage;
  actions: MessageActions;
}) {
  const emoji = 'emoji' in button ? button.emoji?.name : undefined;
  const label = `${emoji ? `${emoji} ` : ''}${'label' in button ? (button.label ?? '') : ''}`;
  if (button.style === ButtonStyle.Link) {
    return (
      <a className="button link" href={button.url} target="_blank" rel="noreferrer">
        {label} ↗
      </a>
    );
  }
  if (button.style === ButtonStyle.Premium) return null;
  const customId = button.custom_id;
  return (
    <button
      type="button"
      className={`button ${BUTTON_CLASS[button.style] ?? 'secondary'}`}
      disabled={button.disabled ?? false}
      onClick={() => actions.clickButton(message, customId)}
    >
      {label}
    </button>
  );
}

function Select({
  select,
  message,
  actions,
}: {
  select: APIStringSelectComponent;
  message: RecordedMessage;
  actions: MessageActions;
}) {
  const { t } = useWords();
  return (
    <select
      className="select"
      aria-label={select.placeholder ?? t('choose')}
      disabled={select.disabled ?? false}
      defaultValue=""
      onChange={(event) => actions.selectMenu(message, select.custom_id, [event.target.value])}
    >
      <option value="" disabled>
        {select.placeholder ?? t('choose')}
      </option>
      {select.options.map((option) => (
        <option key={option.value} value={option.value} title={option.description}>
          {option.emoji?.name ? `${option.emoji.name} ${option.label}` : option.label}
        </option>
      ))}
    </select>
  );
}
