import { CaseSearchResponseSchema } from '@flexcord/contracts';
import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './helpers/stack.ts';

/** Members +1 feature requests with the button on the post; the Cases view sorts by the count. */
describe('votes on feature requests', () => {
  let stack: Stack;
  const requests: Record<string, { number: number; threadId: string }> = {};

  const fileRequest = async (title: string) => {
    await stack.discord.control.runCommand({ user: 'maude', name: 'new_feature', channel: 'help' });
    const submitted = await stack.discord.control.submitModal({
      user: 'maude',
      values: { title, description: `${title}, please.`, whyItMatters: 'Many players ask for it' },
    });
    const reply = await eventually(
      () => stack.discord.control.interaction(submitted.interactionId).original?.content || undefined,
      'the /new_feature answer',
    );
    const number = Number(/#(\d+)/.exec(reply)![1]);
    const found = await eventually(async () => {
      const item = await stack.bridge.cases.find(number);
      return item?.publicPost ? item : undefined;
    }, 'the post');
    requests[title] = { number, threadId: found.publicPost!.threadId! };
  };

  const vote = async (user: string, title: string) => {
    const { threadId } = requests[title]!;
    const [starter] = stack.discord.control.messages(threadId);
    const button = (starter!.components ?? [])
      .flatMap((row) => ('components' in row ? (row.components as { custom_id?: string }[]) : []))
      .find((component) => component.custom_id?.startsWith('flexcord:vote:'));
    const clicked = await stack.discord.control.clickButton({
      user,
      messageId: starter!.id,
      customId: button!.custom_id!,
    });
    return eventually(
      () => stack.discord.control.interaction(clicked.interactionId).original?.content || undefined,
      `${user}'s vote answer`,
    );
  };

  beforeAll(async () => {
    stack = await startStack();
    await fileRequest('Replay viewer');
    await fileRequest('Dark mode for the launcher');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('counts each member once, however often they click, and tells them the count', async () => {
    expect(await vote('pixelpat', 'Dark mode for the launcher')).toBe(
      'Thanks, your +1 is counted: 1 so far.',
    );
    expect(await vote('pixelpat', 'Dark mode for the launcher')).toBe(
      'You have already voted for this request (1 so far).',
    );
    expect(await vote('lucia', 'Dark mode for the launcher')).toBe('Gracias, tu +1 cuenta: 2 hasta ahora.');
    await vote('maude', 'Dark mode for the launcher');
    await vote('quietbob', 'Replay viewer');
    const found = await stack.bridge.cases.detail(requests['Dark mode for the launcher']!.number);
    expect(found.case.votes).toBe(3);
    expect(found.timeline.filter((event) => event.type === 'voted')).toHaveLength(3);
  });

  it('shows the count on the post itself, on its embed and its +1 button, and keeps it current', async () => {
    const { threadId } = requests['Dark mode for the launcher']!;
    const shown = () => {
      const [starter] = stack.discord.control.messages(threadId);
      const votes = starter?.embeds[0]?.fields?.find((field) => field.name === 'Votes')?.value;
      const button = (starter?.components ?? [])
        .flatMap((row) => ('components' in row ? (row.components as { label?: string }[]) : []))
        .map((component) => component.label)[0];
      return { votes, button };
    };
    await eventually(() => (shown().votes === '3' ? true : undefined), 'the post showing 3 votes');
    expect(shown()).toEqual({ votes: '3', button: '👍 3' });
    // No note in the thread for a vote: the count changes in place.
    expect(stack.discord.control.messages(threadId).filter((message) => !message.visible_to)).toHaveLength(1);
    await vote('quietbob', 'Dark mode for the launcher');
    await eventually(() => (shown().votes === '4' ? true : undefined), 'the post showing 4 votes');
    expect(shown()).toEqual({ votes: '4', button: '👍 4' });
  });

  it('sorts the Cases view by votes, the most wanted first', async () => {
    const { token } = stack.twilio.control.issueFlexToken('Dana');
    const res = await fetch(`${stack.bridge.url}/api/cases?type=feature&sort=votes`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const page = CaseSearchResponseSchema.parse(await res.json());
    expect(page.cases.map((item) => [item.subject, item.votes])).toEqual([
      ['Dark mode for the launcher', 4],
      ['Replay viewer', 1],
    ]);
  });

  it("answers a forged vote button in the member's language instead of leaving it unanswered", async () => {
    const { threadId } = requests['Replay viewer']!;
    const forged = ['flexcord:vote:abc', 'flexcord:vote:99999999999', 'flexcord:vote:', 'flexcord:vote:-1'];
    // A message carrying buttons the bridge never wrote (as a modified client or another bot could).
    const posted = await fetch(`${stack.config.DISCORD_API_URL}/v10/channels/${threadId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bot ${stack.config.DISCORD_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        content: 'forged',
        components: [
          {
            type: 1,
            components: forged.map((customId, i) => ({
              type: 2,
              style: 1,
              label: `+${i}`,
              custom_id: customId,
            })),
          },
        ],
      }),
    });
    expect(posted.status).toBe(200);
    const { id: messageId } = (await posted.json()) as { id: string };
    for (const [user, expected] of [
      [
        'pixelpat',
        "This button isn't a vote on any feature request. Use the +1 button on the request's post.",
      ],
      [
        'lucia',
        'Este botón no es un voto de ninguna solicitud. Usa el botón +1 de la publicación de la solicitud.',
      ],
    ] as const) {
      for (const customId of forged) {
        const clicked = await stack.discord.control.clickButton({ user, messageId, customId });
        const answer = await eventually(
          () => stack.discord.control.interaction(clicked.interactionId).original || undefined,
          `the answer to ${customId}`,
        );
        expect(answer.content).toBe(expected);
        expect(answer.visible_to).toBe(stack.discord.control.user(user).id); // ephemeral
      }
    }
  });

  it('refuses a vote on anything but a feature request', async () => {
    const bug = await stack.db.transaction(async (tx) => {
      const pat = stack.discord.control.user('maude').id;
      return stack.bridge.cases.open(tx, {
        type: 'bug',
        memberId: pat,
        subject: 'Not votable',
        details: { kind: 'bug', whatHappened: 'x', steps: '', expectedVsActual: '', severity: 'low' },
        priority: 'low',
        actor: { kind: 'member', id: pat, name: 'Pat' },
        createdData: { via: 'test' },
      });
    });
    await expect(stack.bridge.cases.vote(bug, { kind: 'member', id: '1', name: 'x' })).rejects.toMatchObject({
      code: 'not_votable',
    });
  });
});
