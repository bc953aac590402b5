import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAiEmbeddings } from '../src/adapters/embeddings/openai-embeddings.ts';
import { ConfigError, configSecrets, loadConfig } from '../src/config.ts';
import { KbService } from '../src/domain/kb/kb-service.ts';
import { type Database, openDatabase } from '../src/infrastructure/db/database.ts';
import { migrate } from '../src/infrastructure/db/migrate.ts';
import { createLogger } from '../src/infrastructure/logger.ts';
import { freshSchema, postgresAvailable } from './helpers/postgres.ts';
import { quietLogger } from './helpers/quiet-logger.ts';

/**
 * The KB's semantic stage (#27) against a local server that speaks the OpenAI-compatible
 * `POST /v1/embeddings` protocol (what OpenAI, Azure OpenAI, Ollama and TEI answer).
 *
 * The server is a tiny deterministic embedder: a bag of words hashed into 256 dimensions, where
 * the server's own synonym map (below) first rewrites a word into the meaning it stands for. So
 * "someone keeps harassing me" — which shares no word with the report article — lands near it
 * only through the server (harassing → abusive, someone → player), as a real sentence model would
 * put them near. The lexical engine, which knows none of these synonyms, cannot find it: the test
 * proves the article is found ONLY with the semantic stage on.
 */
const MEANINGS: Record<string, string[]> = {
  harassing: ['abusive', 'report'],
  harasses: ['abusive', 'report'],
  someone: ['player'],
  stranger: ['player'],
  insults: ['abusive'],
  hacé: [],
};
const DIMENSIONS = 256;
const API_KEY = 'sk-test-0123456789abcdef';

function embedText(text: string): number[] {
  const vector = new Array<number>(DIMENSIONS).fill(0);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const word of words)
    for (const meaning of MEANINGS[word] ?? [word]) {
      const bucket = createHash('sha1').update(meaning).digest().readUInt32BE(0) % DIMENSIONS;
      vector[bucket]! += 1;
    }
  return vector;
}

interface EmbeddingsServer {
  url: string;
  /** Every text the server was asked to embed, in order. */
  inputs: string[];
  /** Authorization headers received. */
  authorizations: (string | undefined)[];
  /** `ok`, `fail` (HTTP 503) or `hang` (never answers). */
  mode: 'ok' | 'fail' | 'hang';
  close(): Promise<void>;
}

async function startEmbeddingsServer(): Promise<EmbeddingsServer> {
  const state: EmbeddingsServer = {
    url: '',
    inputs: [],
    authorizations: [],
    mode: 'ok',
    close: async () => undefined,
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/embeddings') {
        response.writeHead(404).end();
        return;
      }
      state.authorizations.push(request.headers.authorization);
      if (state.mode === 'hang') return;
      if (state.mode === 'fail') {
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: 'overloaded' } }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; input: string[] };
      state.inputs.push(...body.input);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          object: 'list',
          model: body.model,
          data: body.input.map((text, index) => ({ object: 'embedding', index, embedding: embedText(text) })),
          usage: { prompt_tokens: 0, total_tokens: 0 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/embeddings`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

const article = (title: string, tags: string, body: string) =>
  `---\ntitle: ${title}\ntags: [${tags}]\n---\n${body}\n`;

function writeKb(dir: string): void {
  writeFileSync(
    join(dir, 'report-player.md'),
    article(
      'Report a player',
      'report, moderation',
      'Open the player’s profile, press the flag and pick the reason: abusive chat, cheating or spam. Moderators review every report within a day.',
    ),
  );
  writeFileSync(
    join(dir, 'reset-password.md'),
    article(
      'Reset your password',
      'password, login',
      'Press “Forgot password” on the login screen and follow the email.',
    ),
  );
  writeFileSync(
    join(dir, 'refund.md'),
    article(
      'Ask for a refund',
      'refund, purchase',
      'Refunds of purchases are possible within 14 days from the store page.',
    ),
  );
  writeFileSync(
    join(dir, 'crash-pc.md'),
    article(
      'The game crashes on PC',
      'crash, windows',
      'Update your graphics driver and verify the game files.',
    ),
  );
  writeFileSync(
    join(dir, 'change-name.md'),
    article(
      'Change your display name',
      'name, profile',
      'Open settings, then profile, and type the new name. Once a month.',
    ),
  );
  writeFileSync(
    join(dir, 'lag.md'),
    article(
      'Lag and high ping',
      'lag, ping, network',
      'Pick the server nearest to you and close downloads running beside the game.',
    ),
  );
  writeFileSync(
    join(dir, 'two-factor.md'),
    article(
      'Turn on two-factor authentication',
      '2fa, security',
      'Scan the code with an authenticator app in account settings.',
    ),
  );
  for (const [slug, title, tags, body] of [
    ['gift', 'Send a gift to a friend', 'gift, friends', 'Pick the item in the store and press “Gift”.'],
    [
      'season-pass',
      'What the season pass includes',
      'season, pass',
      'Ten skins, a badge and double experience weekends.',
    ],
    [
      'controller',
      'Use a controller',
      'controller, gamepad',
      'Plug it in before you start the game; every button can be remapped.',
    ],
    [
      'language',
      'Change the game’s language',
      'language, settings',
      'Settings → General → Language; the voices follow after a restart.',
    ],
    ['ñandú-skin', 'La skin Ñandú 🐦', 'skin, ñandú', 'Se desbloquea en el nivel 40 del pase.'],
  ] as const)
    writeFileSync(join(dir, `${slug}.md`), article(title, tags, body));
  writeFileSync(
    join(dir, 'cuenta-borrar.md'),
    `---\ntitle: Borrar tu cuenta\nlanguage: es\ntags: [cuenta, borrar]\n---\nEscribe a soporte desde el correo de la cuenta y la borramos en 30 días.\n`,
  );
}

const PARAPHRASE = 'someone keeps harassing me';

const withPostgres = await postgresAvailable();

describe.each<'pglite' | 'postgres'>(['pglite', 'postgres'])(
  'on %s: a KB with the semantic stage',
  (storage) => {
    if (storage === 'postgres' && !withPostgres) {
      it.skip('needs the Postgres server at 127.0.0.1:5432', () => undefined);
      return;
    }
    let dir: string;
    let db: Database;
    let schema: Awaited<ReturnType<typeof freshSchema>> | null = null;
    let server: EmbeddingsServer;
    const lines: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      }),
    );
    const semantic = (timeoutMs = 2_000) => ({
      embedder: new OpenAiEmbeddings({ url: server.url, model: 'hashed-bag-of-words', apiKey: API_KEY }),
      queryTimeoutMs: timeoutMs,
    });

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'flexcord-kb-semántico-'));
      writeKb(dir);
      server = await startEmbeddingsServer();
      schema = storage === 'postgres' ? await freshSchema() : null;
      db = await openDatabase(schema ? { databaseUrl: schema.url } : { pgliteDir: 'memory://' });
      await migrate(db);
    }, 60_000);
    afterAll(async () => {
      await db.close();
      await schema?.drop();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('finds an article for a paraphrase that shares no word with it only when the stage is on', async () => {
      const lexical = new KbService(db, dir, quietLogger(), { translator: null });
      await lexical.reload();
      const without = await lexical.answer(PARAPHRASE);
      expect(without.outcome).toBe('unsure');
      expect(without.hits).toEqual([]);

      const kb = new KbService(db, dir, logger, { translator: null, semantic: semantic() });
      await kb.reload();
      await kb.semanticReady();
      if (process.env.DEBUG_SEMANTIC)
        console.log(JSON.stringify((await kb.inspect(PARAPHRASE)).ranked), lines.join(''));
      const answer = await kb.answer(PARAPHRASE);
      expect(answer.outcome).not.toBe('unsure');
      expect(answer.hits[0]?.slug).toBe('report-player');
      expect(answer.hits[0]?.title).toBe('Report a player');
      // A question the lexical engine answers is answered the same with the stage on.
      expect((await kb.answer('how do I reset my password')).hits[0]?.slug).toBe('reset-password');
      // The key goes to the service as a Bearer token, and into no log line.
      expect(server.authorizations.at(-1)).toBe(`Bearer ${API_KEY}`);
      expect(lines.join('')).not.toContain('sk-test');
      expect(lines.join('')).toContain('KB articles embedded');
    });

    it('keeps article vectors in the database: a restart embeds nothing again, an edited article alone is embedded again', async () => {
      const before = server.inputs.length;
      const restarted = new KbService(db, dir, quietLogger(), { translator: null, semantic: semantic() });
      await restarted.reload();
      await restarted.semanticReady();
      // Only the question is embedded after a restart: every article's vectors come from kb_vectors.
      expect((await restarted.answer(PARAPHRASE)).hits[0]?.slug).toBe('report-player');
      expect(server.inputs.slice(before)).toEqual([PARAPHRASE]);

      const edited = server.inputs.length;
      writeFileSync(
        join(dir, 'change-name.md'),
        article(
          'Change your display name',
          'name, profile',
          'Open settings, then profile, and type the new name. Once a week.',
        ),
      );
      await restarted.reload();
      await restarted.answer('change my name');
      await restarted.semanticReady();
      const embeddedAgain = server.inputs.slice(edited).filter((text) => text !== 'change my name');
      // The edited article's changed piece (its title with the start of its body), nothing else.
      expect(embeddedAgain).toHaveLength(1);
      expect(embeddedAgain[0]).toContain('Once a week');
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM kb_vectors WHERE model = $1',
        [`${new URL(server.url).host}/hashed-bag-of-words`],
      );
      expect(rows[0]?.n).toBeGreaterThan(8);
    });

    it('answers with the lexical engine when the service fails or is too slow, says so once in the log, and says when it is back', async () => {
      const kb = new KbService(db, dir, logger, { translator: null, semantic: semantic(300) });
      await kb.reload();
      await kb.semanticReady();
      lines.length = 0;
      server.mode = 'fail';
      const down = await kb.answer('how do I reset my password');
      expect(down.hits[0]?.slug).toBe('reset-password');
      expect((await kb.answer(PARAPHRASE)).outcome).toBe('unsure');
      server.mode = 'hang';
      const started = performance.now();
      expect((await kb.answer('refund my purchase')).hits[0]?.slug).toBe('refund');
      expect(performance.now() - started).toBeLessThan(2_000);
      const unavailable = lines.filter((line) => line.includes('KB semantic stage unavailable'));
      expect(unavailable).toHaveLength(1);
      expect(unavailable[0]).toContain('HTTP 503');
      expect(lines.join('')).not.toContain('sk-test');

      server.mode = 'ok';
      expect((await kb.answer(PARAPHRASE)).hits[0]?.slug).toBe('report-player');
      expect(lines.filter((line) => line.includes('KB semantic stage is back'))).toHaveLength(1);
    });

    it('embeds the articles later when the service was down at start', async () => {
      server.mode = 'fail';
      const kb = new KbService(db, dir, quietLogger(), {
        translator: null,
        semantic: {
          embedder: new OpenAiEmbeddings({ url: server.url, model: 'another-model', apiKey: API_KEY }),
          queryTimeoutMs: 2_000,
          retryMs: 0,
        },
      });
      await kb.reload();
      await kb.semanticReady();
      expect((await kb.answer(PARAPHRASE)).outcome).toBe('unsure');
      server.mode = 'ok';
      await kb.answer(PARAPHRASE);
      await kb.semanticReady();
      expect((await kb.answer(PARAPHRASE)).hits[0]?.slug).toBe('report-player');
    });
  },
);

describe('the semantic stage’s configuration', () => {
  const VALID = {
    PUBLIC_BASE_URL: 'https://flexcord.example.com',
    DISCORD_TOKEN: 'bot-token-value',
    DISCORD_APPLICATION_ID: '123456789012345678',
    TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'auth-token-value-0123456789',
    TWILIO_CONVERSATIONS_SERVICE_SID: `IS${'b'.repeat(32)}`,
    TWILIO_STUDIO_FLOW_SID: `FW${'c'.repeat(32)}`,
  };

  it('is off unless an endpoint is set; an endpoint needs its model; the key is a secret the logs never show', () => {
    expect(loadConfig(VALID).KB_EMBEDDINGS_URL).toBeUndefined();
    let error: unknown;
    try {
      loadConfig({ ...VALID, KB_EMBEDDINGS_URL: 'http://localhost:11434/v1/embeddings' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.variable)).toEqual(['KB_EMBEDDINGS_MODEL']);
    const config = loadConfig({
      ...VALID,
      KB_EMBEDDINGS_URL: 'https://api.openai.com/v1/embeddings',
      KB_EMBEDDINGS_MODEL: 'text-embedding-3-small',
      KB_EMBEDDINGS_API_KEY: API_KEY,
    });
    expect(config.KB_EMBEDDINGS_TIMEOUT_MS).toBe(800);
    expect(configSecrets(config)).toContain(API_KEY);
  });
});
