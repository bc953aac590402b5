import { describe, expect, it } from 'vitest';
import { transcriptHtml, transcriptMarkdown } from '../src/domain/chat/transcript-format.ts';

const chat = {
  conversationSid: 'CH00000000000000000000000000000001',
  caseNumber: 7,
  startedAt: '2026-12-03T09:00:00.000Z',
  endedAt: '2026-12-03T09:10:00.000Z',
  agents: ['Dana'],
  messages: 2,
  rating: 4,
  comment: 'quick *and* kind',
  lines: [
    {
      at: '2026-12-03T09:01:00.000Z',
      author: { kind: 'member' as const, name: 'Pat_the_Great' },
      body: 'It crashed on 2026-12-02.\n- not a list\n# not a heading\n**not bold** <b>no html</b>',
      files: [
        {
          filename: 'crash [1].png',
          contentType: 'image/png',
          size: 2048,
          url: 'https://x.test/files/ME1?a=b',
        },
      ],
    },
    {
      at: '2026-12-03T09:02:00.000Z',
      author: { kind: 'system' as const, name: 'Support' },
      body: 'Dana joined the chat',
      files: [],
    },
  ],
};

describe('a transcript as a person reads it', () => {
  const markdown = transcriptMarkdown({ caseNumber: 7, subject: 'Crash [PC]', chats: [chat] });

  it('in Markdown, what members typed stays their text: no bold, list, heading or HTML of its own; dates stay readable', () => {
    expect(markdown).toContain('# Case #7: Crash \\[PC\\]');
    expect(markdown).toContain('## Chat of 2026-12-03 09:00 UTC with Dana · rated 4/5');
    expect(markdown).toContain("> Member's comment: quick \\*and\\* kind");
    expect(markdown).toContain(
      '- 2026-12-03 09:01 UTC · **Pat\\_the\\_Great**: It crashed on 2026-12-02.  \n\\- not a list  \n\\# not a heading  \n\\*\\*not bold\\*\\* \\<b\\>no html\\</b\\>',
    );
    expect(markdown).toContain(
      '  - 📎 [crash \\[1\\].png (image/png, 2 KB)](<https://x.test/files/ME1?a=b>)',
    );
    expect(markdown).toContain('- 2026-12-03 09:02 UTC · _Support_: Dana joined the chat');
  });

  it('in HTML, nothing the member wrote becomes markup', () => {
    const html = transcriptHtml({ caseNumber: 7, subject: 'Crash <PC>', chats: [chat] });
    expect(html).toContain('<h1>Case #7: Crash &lt;PC&gt;</h1>');
    expect(html).toContain('**not bold** &lt;b&gt;no html&lt;/b&gt;');
    expect(html).not.toContain('<b>no html');
    expect(html).toContain(
      '<a href="https://x.test/files/ME1?a=b" rel="noreferrer">crash [1].png (image/png, 2 KB)</a>',
    );
  });

  it('in Markdown, a member line of dashes or equals signs stays text: no rule, no heading of the line before', () => {
    const lines = ['Step one', '---', 'Step two', '===', '  ==', '- - -', '--'];
    const doc = transcriptMarkdown({
      caseNumber: 8,
      subject: 'Setext',
      chats: [
        { ...chat, comment: 'ok\n---', lines: [{ ...chat.lines[0]!, body: lines.join('\n'), files: [] }] },
      ],
    });
    const body = doc.split('\n').filter((line) => !line.startsWith('#') && !line.startsWith('- 20'));
    // Every continuation line of the member's message starts with an escape, so no line is a rule
    // (`---`, `- - -`) or a setext underline (`===`, `--`) in CommonMark.
    for (const text of ['\\---', '\\===', '  \\==', '\\- - -', '\\--'])
      expect(body.some((line) => line.startsWith(text))).toBe(true);
    expect(doc).not.toMatch(/^\s*(-{2,}|={1,}|- - -)\s*$/m);
    expect(doc).toContain("> Member's comment: ok\n\\---");
  });
});

describe('an edited line', () => {
  const edited = {
    ...chat,
    lines: [
      {
        at: '2026-12-03T09:03:00.000Z',
        author: { kind: 'agent' as const, name: 'Dana' },
        body: 'Te reenvío el código 📩',
        files: [],
        editedAt: '2026-12-03T09:04:00.000Z',
      },
    ],
  };

  it('shows its last text, marked edited, in Markdown and HTML', () => {
    expect(transcriptMarkdown({ caseNumber: 7, subject: 'Código', chats: [edited] })).toContain(
      '- 2026-12-03 09:03 UTC · **Dana**: Te reenvío el código 📩 _(edited)_',
    );
    expect(transcriptHtml({ caseNumber: 7, subject: 'Código', chats: [edited] })).toContain(
      '<span>Te reenvío el código 📩</span> <small class="edited" title="2026-12-03T09:04:00.000Z">(edited)</small>',
    );
    expect(transcriptMarkdown({ caseNumber: 7, subject: 'Crash', chats: [chat] })).not.toContain('(edited)');
  });
});
