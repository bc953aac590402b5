import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AnnouncementsConfigError,
  loadAnnouncementsConfig,
} from '../src/domain/announcements/announcements-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'flexcord-announcements-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('the announcements config file', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads YAML with defaults filled in', () => {
    const path = file(
      'announcements.yaml',
      `channel: "112233445566778899"
sources:
  - id: patch-notes
    type: feed
    url: https://acme.example/patch-notes/rss.xml
  - id: blog
    name: Acme blog
    type: feed
    url: https://acme.example/blog/atom.xml
    intervalSeconds: 900
    backlog: 3
ingest:
  sources: [status-page, { id: social, name: Acme on social }]
`,
    );
    expect(loadAnnouncementsConfig(path)).toEqual({
      channel: '112233445566778899',
      sources: [
        {
          id: 'patch-notes',
          type: 'feed',
          url: 'https://acme.example/patch-notes/rss.xml',
          intervalSeconds: 300,
          timeoutSeconds: 10,
          backlog: 'skip',
        },
        {
          id: 'blog',
          name: 'Acme blog',
          type: 'feed',
          url: 'https://acme.example/blog/atom.xml',
          intervalSeconds: 900,
          timeoutSeconds: 10,
          backlog: 3,
        },
      ],
      ingest: { sources: [{ id: 'status-page' }, { id: 'social', name: 'Acme on social' }] },
    });
  });

  it('reads JSON', () => {
    const path = file('announcements.json', JSON.stringify({ channel: '112233445566778899' }));
    expect(loadAnnouncementsConfig(path)).toEqual({
      channel: '112233445566778899',
      sources: [],
      ingest: { sources: [] },
    });
  });

  it('refuses a bad file with an error naming each bad field', () => {
    const path = file(
      'bad.yaml',
      `channel: announcements
sources:
  - { id: patch-notes, type: feed, url: "ftp://acme.example/rss.xml", backlog: all }
  - { id: patch-notes, type: feed, url: https://acme.example/rss.xml, intervalSeconds: 1 }
`,
    );
    let error: unknown;
    try {
      loadAnnouncementsConfig(path);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AnnouncementsConfigError);
    const configError = error as AnnouncementsConfigError;
    expect(configError.code).toBe('ANNOUNCEMENTS_CONFIG_INVALID');
    expect(configError.issues.map((issue) => issue.field).sort()).toEqual([
      'channel',
      'sources[0].backlog',
      'sources[0].url',
      'sources[1].intervalSeconds',
    ]);
    expect(configError.message).toContain(path);
    expect(configError.message).toContain('sources[0].url: must be an http(s) URL');
  });

  it('refuses two sources with one id', () => {
    const path = file(
      'twice.json',
      JSON.stringify({
        channel: '112233445566778899',
        sources: [{ id: 'news', type: 'feed', url: 'https://acme.example/rss.xml' }],
        ingest: { sources: ['news'] },
      }),
    );
    expect(() => loadAnnouncementsConfig(path)).toThrow('ingest.sources[0]: duplicate source id "news"');
  });

  it('says which file is missing or unreadable', () => {
    expect(() => loadAnnouncementsConfig(join(dir, 'nope.yaml'))).toThrow(
      /cannot read announcements config .*nope\.yaml/,
    );
    expect(() => loadAnnouncementsConfig(file('broken.yaml', 'channel: [unclosed'))).toThrow(
      /broken\.yaml is not valid/,
    );
  });
});
