import { useEffect, useState } from 'react';
import { requestJson } from '../shared/http.ts';
import type { WorldView } from '../shared/world-view.ts';
import { MemberClient } from './MemberClient.tsx';
import { languageOf, type StringKey, translator } from './strings.ts';

type Layout = 'split' | 'member' | 'agent';
const LAYOUTS: readonly Layout[] = ['split', 'member', 'agent'];

/** The member being played and the layout survive a reload: kept in the URL (shareable) and localStorage. */
const STORAGE = { member: 'flexcord.sandbox.member', layout: 'flexcord.sandbox.layout' } as const;

function remembered(key: keyof typeof STORAGE): string | null {
  const fromUrl = new URL(window.location.href).searchParams.get(key);
  if (fromUrl) return fromUrl;
  try {
    return window.localStorage.getItem(STORAGE[key]);
  } catch {
    return null;
  }
}

function remember(key: keyof typeof STORAGE, value: string): void {
  const url = new URL(window.location.href);
  url.searchParams.set(key, value);
  window.history.replaceState(null, '', url);
  try {
    window.localStorage.setItem(STORAGE[key], value);
  } catch {
    // Storage off (private mode): the URL still keeps it.
  }
}

/**
 * The sandbox page: the member client (Discord) and the agent desktop (Flex, in a frame: it is the
 * Flex host page with the real plugin bundle) side by side, or one at a time.
 */
/** The top bar speaks the browser's language; each member's client, that member's Discord locale. */
const t = translator(languageOf(typeof navigator === 'undefined' ? undefined : navigator.language));

const LAYOUT_WORD: Record<Layout, StringKey> = {
  split: 'sideBySide',
  member: 'memberOnly',
  agent: 'agentOnly',
};
const ROLE_WORD: Record<WorldView['members'][number]['role'], StringKey> = {
  member: 'roleMember',
  moderator: 'roleModerator',
  admin: 'roleAdmin',
};

export function Sandbox() {
  const [world, setWorld] = useState<WorldView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [memberId, setMemberId] = useState<string>('');
  const [layout, setLayoutState] = useState<Layout>(() => {
    const saved = remembered('layout');
    return LAYOUTS.find((candidate) => candidate === saved) ?? 'split';
  });
  const setLayout = (next: Layout) => {
    setLayoutState(next);
    remember('layout', next);
  };
  const chooseMember = (id: string) => {
    setMemberId(id);
    remember('member', id);
  };
  const [published, setPublished] = useState<string | null>(null);

  useEffect(() => {
    requestJson<WorldView>('/sandbox/world').then(
      (loaded) => {
        setWorld(loaded);
        const saved = remembered('member');
        const known = loaded.members.find((member) => member.id === saved || member.username === saved);
        setMemberId(known?.id ?? loaded.members[0]?.id ?? '');
      },
      (failure: unknown) => setError(String(failure)),
    );
  }, []);

  if (error) return <p className="fatal">{t('serverDidNotAnswer', { error })}</p>;
  if (!world) return <p className="loading-page">{t('loading')}</p>;

  const publish = async () => {
    const item = await requestJson<{ title: string }>('/sandbox/announcements', { body: {} });
    setPublished(item.title);
  };

  return (
    <div className={`sandbox layout-${layout}`}>
      <header className="topbar">
        <span className="brand">
          <strong>Flexcord</strong> {t('sandbox')}
        </span>
        <label className="picker">
          {t('member')}
          <select
            aria-label={t('member')}
            data-testid="member-picker"
            value={memberId}
            onChange={(event) => chooseMember(event.target.value)}
          >
            {world.members.map((member) => (
              <option key={member.id} value={member.id}>
                {member.displayName} (@{member.username}) — {t(ROLE_WORD[member.role])}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button secondary"
          data-testid="publish-announcement"
          onClick={() => void publish()}
        >
          {t('publishAnnouncement')}
        </button>
        {published && (
          <span className="published" data-testid="published">
            {t('published', { title: published })}
          </span>
        )}
        <fieldset className="layout-switch" aria-label={t('layout')}>
          {LAYOUTS.map((option) => (
            <button
              key={option}
              type="button"
              aria-pressed={layout === option}
              onClick={() => setLayout(option)}
            >
              {t(LAYOUT_WORD[option])}
            </button>
          ))}
        </fieldset>
      </header>
      <main className="panes">
        <div className="pane member-pane">
          {memberId && <MemberClient world={world} memberId={memberId} />}
        </div>
        <div className="pane agent-pane">
          <iframe title={t('agentDesktop')} src="/agent" data-testid="agent-frame" />
        </div>
      </main>
    </div>
  );
}
