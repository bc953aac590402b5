import type {
  APIApplicationCommand,
  APIChannel,
  APIMessage,
  APIModalInteractionResponseCallbackData,
} from 'discord-api-types/v10';
import { requestJson } from '../shared/http.ts';

/** A message as the emulator's control API shows it: the wire message and who may see it. */
export type RecordedMessage = APIMessage & { visible_to: string | null };

/** A channel with its children (channels in a category, posts in a forum) and, for a member, their permissions there. */
export type ChannelNode = APIChannel & { children: ChannelNode[]; permissions?: string };

/** The bot's first answer to an interaction the member started. */
export type InitialResponse =
  | { kind: 'message' | 'update'; message: RecordedMessage }
  | { kind: 'deferred'; ephemeral: boolean; message: RecordedMessage }
  | { kind: 'deferred-update' }
  | { kind: 'modal'; modal: APIModalInteractionResponseCallbackData };

export interface InteractionOutcome {
  interactionId: string;
  response: InitialResponse | null;
}

export type OptionValue = string | number | boolean;

/** The Discord emulator's control API, acting as one member (`/_emulator`, CORS open). */
export class DiscordControl {
  readonly base: string;
  constructor(discordUrl: string) {
    this.base = `${discordUrl}/_emulator`;
  }

  /** The guild's channels, with what `as` may do in each (`permissions`). */
  channelTree(guild: string, as: string) {
    return requestJson<ChannelNode[]>(`${this.base}/guilds/${guild}/channels?as=${as}`);
  }
  channelMessages(channel: string, as: string) {
    return requestJson<RecordedMessage[]>(`${this.base}/channels/${channel}/messages?as=${as}`);
  }
  dmMessages(user: string) {
    return requestJson<RecordedMessage[]>(`${this.base}/users/${user}/dm/messages`);
  }
  async commands(guild: string): Promise<APIApplicationCommand[]> {
    const [global, local] = await Promise.all([
      requestJson<APIApplicationCommand[]>(`${this.base}/commands`),
      requestJson<APIApplicationCommand[]>(`${this.base}/commands?guild=${guild}`),
    ]);
    const byName = new Map([...global, ...local].map((command) => [command.name, command]));
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
  /**
   * Posts as the member. Files go up as Discord's clients upload them: multipart, the message as
   * `payload_json` (with `attachments: [{ id, filename }]`) and each file as `files[n]`.
   */
  sendMessage(input: { user: string; channel?: string; content: string; files?: File[] }) {
    const { files = [], ...message } = input;
    if (!files.length) return requestJson<RecordedMessage>(`${this.base}/messages`, { body: message });
    const form = new FormData();
    form.set(
      'payload_json',
      JSON.stringify({ ...message, attachments: files.map((file, id) => ({ id, filename: file.name })) }),
    );
    for (const [index, file] of files.entries()) form.set(`files[${index}]`, file, file.name);
    return requestJson<RecordedMessage>(`${this.base}/messages`, { body: form });
  }
  /** Edits the member's own message (as Discord's client: PATCH with the new content). */
  editMessage(input: { user: string; message: string; content: string }) {
    return requestJson<RecordedMessage>(`${this.base}/messages/${input.message}`, {
      method: 'PATCH',
      body: { user: input.user, content: input.content },
    });
  }
  /** The member's privacy setting "Allow direct messages from server members". */
  privacy(user: string) {
    return requestJson<{ dmsClosed: boolean }>(`${this.base}/users/${user}`);
  }
  setDmsClosed(user: string, closed: boolean) {
    return requestJson<{ dmsClosed: boolean }>(`${this.base}/users/${user}`, {
      method: 'PATCH',
      body: { dmsClosed: closed },
    });
  }
  runCommand(input: {
    user: string;
    name: string;
    subcommand?: string;
    channel?: string;
    options?: Record<string, OptionValue>;
  }) {
    return requestJson<InteractionOutcome>(`${this.base}/interactions/commands`, { body: input });
  }
  pressComponent(input: { user: string; messageId: string; customId: string; values?: string[] }) {
    return requestJson<InteractionOutcome>(`${this.base}/interactions/components`, { body: input });
  }
  submitModal(input: { user: string; interactionId: string; values: Record<string, string> }) {
    return requestJson<InteractionOutcome>(`${this.base}/interactions/modals`, { body: input });
  }
}
