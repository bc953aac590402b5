import type { ChatTranscript, TranscriptFile } from '@flexcord/contracts';

/** A case's chats as one document a person reads: Markdown or a self-contained HTML page. */
export interface TranscriptDocument {
  caseNumber: number;
  subject: string;
  chats: ChatTranscript[];
}

/** What makes inline Markdown anywhere in a line (emphasis, code, links, HTML, tables, strikethrough). */
const MARKDOWN_INLINE = /[\\`*_[\]<>|~]/g;
/** What makes a block only at a line's start: a heading, a list item, a quote. */
const MARKDOWN_LINE_START = /^(\s*)(#+|[-+>]|\d+[.)])(?=\s|$)/gm;
/**
 * A line of only dashes or equals signs: a thematic break, or the setext underline that makes the
 * line before it a heading.
 *
 * @see https://spec.commonmark.org/0.31.2/#setext-headings
 */
const MARKDOWN_UNDERLINE = /^(\s*)([-=])(?=[-=\s]*$)/gm;

/**
 * The HTML transcript's Content-Security-Policy: the page is a member's words, so nothing in it
 * may run, load, submit a form or change the base of its links (none of which `default-src` covers).
 *
 * @see https://www.w3.org/TR/CSP3/#directives-navigation
 */
export const TRANSCRIPT_HTML_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * Text shown as itself in Markdown: `**Dana**` stays two asterisks and a name, not bold, and a
 * line starting "- " no list item; dates and sentences stay readable in the raw file.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(MARKDOWN_INLINE, (char) => `\\${char}`)
    .replace(MARKDOWN_LINE_START, '$1\\$2')
    .replace(MARKDOWN_UNDERLINE, '$1\\$2');
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );
}

function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

function chatHeading(chat: ChatTranscript): string {
  const agents = chat.agents.length ? ` with ${chat.agents.join(', ')}` : '';
  const rating = chat.rating ? ` · rated ${chat.rating}/5` : '';
  return `Chat of ${when(chat.startedAt)}${agents}${rating}`;
}

function markdownFile(file: TranscriptFile): string {
  const label = `${escapeMarkdown(file.filename)} (${file.contentType}, ${size(file.size)})`;
  return file.url ? `[${label}](<${file.url}>)` : label;
}

export function transcriptMarkdown(doc: TranscriptDocument): string {
  const out = [`# Case #${doc.caseNumber}: ${escapeMarkdown(doc.subject)}`, ''];
  if (!doc.chats.length) out.push('No chat of this case has been kept.', '');
  for (const chat of doc.chats) {
    out.push(`## ${escapeMarkdown(chatHeading(chat))}`, '');
    if (chat.comment) out.push(`> Member's comment: ${escapeMarkdown(chat.comment)}`, '');
    for (const line of chat.lines) {
      const body = line.body
        .split('\n')
        .map((text) => escapeMarkdown(text))
        .join('  \n');
      const who =
        line.author.kind === 'system'
          ? `_${escapeMarkdown(line.author.name)}_`
          : `**${escapeMarkdown(line.author.name)}**`;
      out.push(`- ${when(line.at)} · ${who}: ${body}${line.editedAt ? ' _(edited)_' : ''}`);
      for (const file of line.files) out.push(`  - 📎 ${markdownFile(file)}`);
    }
    out.push('');
  }
  return out.join('\n');
}

export function transcriptHtml(doc: TranscriptDocument): string {
  const chats = doc.chats.length
    ? doc.chats
        .map((chat) => {
          const lines = chat.lines
            .map((line) => {
              const files = line.files
                .map((file) => {
                  const label = `${escapeHtml(file.filename)} (${escapeHtml(file.contentType)}, ${size(file.size)})`;
                  return file.url
                    ? `<li><a href="${escapeHtml(file.url)}" rel="noreferrer">${label}</a></li>`
                    : `<li>${label}</li>`;
                })
                .join('');
              return `<li class="${line.author.kind}"><time datetime="${line.at}">${when(line.at)}</time> <b>${escapeHtml(line.author.name)}</b> <span>${escapeHtml(line.body).replace(/\n/g, '<br>')}</span>${line.editedAt ? ` <small class="edited" title="${escapeHtml(line.editedAt)}">(edited)</small>` : ''}${files ? `<ul class="files">${files}</ul>` : ''}</li>`;
            })
            .join('\n');
          const comment = chat.comment
            ? `<blockquote>Member's comment: ${escapeHtml(chat.comment)}</blockquote>`
            : '';
          return `<section><h2>${escapeHtml(chatHeading(chat))}</h2>${comment}<ul class="lines">\n${lines}\n</ul></section>`;
        })
        .join('\n')
    : '<p>No chat of this case has been kept.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Case #${doc.caseNumber} transcript</title>
<style>body{font:14px/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#121c2d}
ul.lines{list-style:none;padding:0}ul.lines>li{padding:.25rem 0;border-bottom:1px solid #e1e3ea}
time{color:#606b85;font-size:12px;margin-right:.5rem}li.system{color:#606b85;font-style:italic}
blockquote{border-left:3px solid #8891aa;margin:0;padding-left:.75rem}</style></head>
<body><h1>Case #${doc.caseNumber}: ${escapeHtml(doc.subject)}</h1>
${chats}
</body></html>
`;
}
