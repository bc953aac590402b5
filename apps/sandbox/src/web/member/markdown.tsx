import type { ReactNode } from 'react';

const TOKEN =
  /(\*\*[^*]+\*\*|`[^`]+`|\[[^\]]+\]\(https?:\/\/[^)\s]+\)|https?:\/\/[^\s)>]+|<#\d+>|<t:\d+(?::[tTdDfFR])?>|\n)/g;

/**
 * The bit of Discord markdown the bot writes: **bold**, `code`, [links](url), bare URLs, channel
 * mentions timestamps (`<t:…>`), line breaks and `-# ` subtext lines (small and grey, as Discord
 * shows them). Everything else is plain text (never HTML).
 */
export function Markdown({
  text,
  channelName,
}: {
  text: string;
  channelName?: (id: string) => string | undefined;
}) {
  const lines = text.split('\n');
  if (!lines.some((line) => line.startsWith('-# '))) return <Inline text={text} channelName={channelName} />;
  return (
    <>
      {lines.map((line, index) =>
        line.startsWith('-# ') ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines have no id; their order is fixed
          <span key={index} className="subtext" data-testid="subtext">
            <Inline text={line.slice(3)} channelName={channelName} />
          </span>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines have no id; their order is fixed
          <span key={index} className="line">
            <Inline text={line} channelName={channelName} />
          </span>
        ),
      )}
    </>
  );
}

function Inline({
  text,
  channelName,
}: {
  text: string;
  channelName?: ((id: string) => string | undefined) | undefined;
}) {
  const parts: ReactNode[] = [];
  let last = 0;
  let key = 0;
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0];
    const index = match.index ?? 0;
    if (index > last) parts.push(text.slice(last, index));
    last = index + token.length;
    key += 1;
    if (token === '\n') parts.push(<br key={key} />);
    else if (token.startsWith('**')) parts.push(<strong key={key}>{token.slice(2, -2)}</strong>);
    else if (token.startsWith('`')) parts.push(<code key={key}>{token.slice(1, -1)}</code>);
    else if (token.startsWith('[')) {
      const [, label, url] = /^\[([^\]]+)\]\((.+)\)$/.exec(token) ?? [];
      parts.push(
        <a key={key} href={url} target="_blank" rel="noreferrer">
          {label}
        </a>,
      );
    } else if (token.startsWith('<t:')) {
      const date = new Date(Number(/\d+/.exec(token)?.[0]) * 1000);
      parts.push(
        <time key={key} className="timestamp" dateTime={date.toISOString()}>
          {date.toLocaleString()}
        </time>,
      );
    } else if (token.startsWith('<#')) {
      const id = token.slice(2, -1);
      parts.push(
        <span key={key} className="mention">
          #{channelName?.(id) ?? 'channel'}
        </span>,
      );
    } else
      parts.push(
        <a key={key} href={token} target="_blank" rel="noreferrer">
          {token}
        </a>,
      );
  }
  if (last < text.length) parts.push(text.slice(last));
  return <>{parts}</>;
}
