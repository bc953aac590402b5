/** What the page needs to know about the running sandbox (`GET /sandbox/world`). */
export interface WorldView {
  guild: { id: string; name: string };
  /** The members one can play, with their main role. */
  members: {
    id: string;
    username: string;
    displayName: string;
    role: 'admin' | 'moderator' | 'member';
    locale: string;
  }[];
  bot: { id: string; username: string };
  /** The emulators' base URLs (their control APIs are under `/_emulator`, CORS open). */
  discordUrl: string;
  /** The Discord emulator's CDN base (avatars at `/avatars/…`, `/embed/avatars/…`; uploads). */
  discordCdnUrl: string;
  twilioUrl: string;
  /** The bridge (its plugin API is under `/api`). */
  bridgeUrl: string;
  /** Flex's task queue, a transfer target. */
  taskQueueSid: string;
}
