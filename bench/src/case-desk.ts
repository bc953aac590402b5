import { loadConfig, openDatabase, type RunningBridge, startBridge } from '@flexcord/bridge';
import { CaseSearchResponseSchema } from '@flexcord/contracts';
import { freshSchema } from './postgres.ts';
import type { BenchStack } from './stack.ts';
import { type Percentiles, percentiles } from './stats.ts';

/**
 * The case desk at scale: `cases` generated cases (bugs, feature requests and support chats over
 * two years, English and Spanish words drawn on a Zipf curve so a few words are in most cases and
 * most words in few), then the Cases view's requests through the plugin API over HTTP with a Flex
 * token: plain lists (each sort, filters, the second page) and searches (one common word, two
 * words, a rare word, a word with filters).
 */

/** Report vocabulary, usual words first; Spanish reports draw from the second list. */
const WORDS = {
  en: (
    'game crash error login match server lag freeze screen account password store shards ranked ' +
    'update launcher audio voice controller mouse keyboard graphics fps stutter disconnect queue ' +
    'friend party clan inventory skin trade reward battle pass season tournament refund payment card ' +
    'minimap chat mute report ban appeal cloud save sync mobile android iphone mac linux subtitles ' +
    'colorblind language region driver nvidia amd install patch verify timeout spectator replay'
  ).split(' '),
  es: (
    'juego error cierra partida servidor lag pantalla cuenta contraseña tienda clasificatoria ' +
    'actualización lanzador audio voz mando ratón teclado gráficos tirones desconexión cola amigos ' +
    'grupo clan inventario aspecto intercambio recompensa pase temporada torneo reembolso pago ' +
    'tarjeta minimapa silenciar denuncia baneo apelación guardado nube móvil subtítulos idioma región'
  ).split(' '),
};
const FILLER = 'the a when i my it after then and to on in of is was not with every time again'.split(' ');

/** Generates the cases in Postgres itself (one statement per 10,000), deterministic for a given count. */
async function seedCases(bridge: RunningBridge, count: number): Promise<void> {
  const { db } = bridge;
  await db.query(`SELECT setseed(0.42)`);
  await db.query(
    `INSERT INTO members (discord_user_id, username, display_name)
     SELECT (100000000000000000::bigint + n)::text, 'member' || n, 'Member ' || n FROM generate_series(1, 2000) AS n
     ON CONFLICT DO NOTHING`,
  );
  // Zipf-like draw: index = floor(exp(random() * ln(n + 1))) - 1.
  const draw = (list: string) =>
    `(${list})[1 + least(floor(exp(random() * ln(array_length(${list}, 1) + 1)))::int - 1, array_length(${list}, 1) - 1)]`;
  const en = `ARRAY[${WORDS.en.map((w) => `'${w}'`).join(',')}]`;
  const es = `ARRAY[${WORDS.es.map((w) => `'${w}'`).join(',')}]`;
  const filler = `ARRAY[${FILLER.map((w) => `'${w}'`).join(',')}]`;
  const words = (n: number) =>
    `concat_ws(' ', ${Array.from({ length: n }, (_, i) => (i % 3 === 1 ? draw(filler) : `CASE WHEN lang = 'es' THEN ${draw(es)} ELSE ${draw(en)} END`)).join(', ')})`;
  for (let done = 0; done < count; done += 10_000) {
    const batch = Math.min(10_000, count - done);
    await db.query(
      `INSERT INTO cases (type, status, priority, subject, discord_user_id, assignee, details, created_at, updated_at)
       -- A member has one open support case at most: older support chats are settled.
       SELECT type, CASE WHEN type = 'support' AND status IN ('open', 'pending') THEN 'resolved' ELSE status END,
         priority, subject, member, assignee,
         CASE type
           WHEN 'bug' THEN jsonb_build_object('kind', 'bug', 'whatHappened', body, 'steps', steps,
             'expectedVsActual', '', 'severity', 'medium')
           WHEN 'feature' THEN jsonb_build_object('kind', 'feature', 'description', body, 'whyItMatters', steps)
           ELSE jsonb_build_object('kind', 'support', 'topic', subject) END,
         created, created + random() * interval '20 days'
       FROM (
         SELECT
           (ARRAY['support','support','support','bug','bug','feature'])[1 + floor(random() * 6)::int] AS type,
           (ARRAY['open','pending','resolved','closed','closed','closed'])[1 + floor(random() * 6)::int] AS status,
           (ARRAY['low','normal','normal','normal','high','urgent'])[1 + floor(random() * 6)::int] AS priority,
           (100000000000000000::bigint + 1 + floor(random() * 2000)::int)::text AS member,
           CASE WHEN random() < 0.4 THEN NULL ELSE 'agent' || floor(random() * 40) || '@example.com' END AS assignee,
           now() - random() * interval '730 days' AS created,
           lang, ${words(6)} AS subject, ${words(40)} AS body, ${words(15)} AS steps
         FROM (SELECT CASE WHEN random() < 0.15 THEN 'es' ELSE 'en' END AS lang
               FROM generate_series(1, ${batch})) AS langs
       ) AS generated`,
    );
  }
  // What autovacuum does after a bulk load: the GIN index's pending entries merged, statistics
  // taken. PGlite runs no autovacuum: there the bridge's own maintenance pass does it.
  if (bridge.maintenance) await bridge.maintenance.run();
  else await db.query('VACUUM ANALYZE cases');
}

/** The requests of the measurement: what an agent does in the Cases view, each kind in turn. */
function requests(rounds: number): { kind: 'list' | 'search'; query: string }[] {
  const out: { kind: 'list' | 'search'; query: string }[] = [];
  let seed = 7;
  const random = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const rare = WORDS.en.slice(-20);
  for (let i = 0; i < rounds; i++) {
    out.push(
      { kind: 'list', query: '' },
      { kind: 'list', query: `sort=${pick(['newest', 'oldest', 'priority'])}` },
      { kind: 'list', query: `type=${pick(['bug', 'feature'])}&status=open,pending` },
      { kind: 'list', query: `assignee=agent${Math.floor(random() * 40)}@example.com&status=open` },
      { kind: 'list', query: `memberId=${100000000000000000 + 1 + Math.floor(random() * 2000)}&sort=newest` },
      { kind: 'list', query: `priority=urgent&olderThanDays=30&sort=oldest` },
      { kind: 'search', query: `q=${pick(WORDS.en.slice(0, 5))}` },
      { kind: 'search', query: `q=${pick(WORDS.en.slice(0, 20))}+${pick(WORDS.en.slice(10, 40))}` },
      { kind: 'search', query: `q=${pick(rare)}` },
      { kind: 'search', query: `q=${encodeURIComponent(pick(WORDS.es.slice(0, 15)))}&type=bug&status=open` },
      { kind: 'search', query: `q=${pick(WORDS.en.slice(0, 30)).slice(0, 4)}&sort=priority` },
    );
  }
  return out;
}

export interface CaseDeskRun {
  storage: 'pglite' | 'postgres';
  cases: number;
  seedMs: number;
  listMs: Percentiles;
  searchMs: Percentiles;
  /** Also timed: following `nextCursor` to the second page of a list. */
  nextPageMs: Percentiles;
}

export async function measureCaseDesk(
  stack: BenchStack,
  storage: 'pglite' | 'postgres',
  options: { cases: number; rounds: number },
): Promise<CaseDeskRun> {
  const schema = storage === 'postgres' ? await freshSchema() : null;
  const config = loadConfig({
    ...stack.env,
    PORT: '0',
    ...(schema ? { DATABASE_URL: schema.url } : { PGLITE_DIR: 'memory://' }),
  });
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR });
  let bridge: RunningBridge | null = null;
  try {
    bridge = await startBridge(config, { db, watchKb: false, registerCommands: false });
    const seeded = performance.now();
    await seedCases(bridge, options.cases);
    const seedMs = Math.round(performance.now() - seeded);
    const { token } = stack.twilio.control.issueFlexToken('Dana');
    const get = async (query: string) => {
      const started = performance.now();
      const res = await fetch(`${bridge!.url}/api/cases?${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (res.status !== 200) throw new Error(`GET /api/cases?${query}: ${res.status} ${await res.text()}`);
      const page = CaseSearchResponseSchema.parse(await res.json());
      return { ms: performance.now() - started, page };
    };
    // Warm-up: the token's validation is cached, the JIT and Postgres' buffers warm.
    for (const { query } of requests(3)) await get(query);
    const list: number[] = [];
    const search: number[] = [];
    const nextPage: number[] = [];
    for (const { kind, query } of requests(options.rounds)) {
      const { ms, page } = await get(query);
      (kind === 'list' ? list : search).push(ms);
      // CASE_BENCH_TRACE=1: each request's time, to see which kind is slow.
      if (process.env.CASE_BENCH_TRACE) console.log(Math.round(ms), query);
      if (kind === 'list' && page.nextCursor && nextPage.length < options.rounds)
        nextPage.push((await get(`${query}${query ? '&' : ''}cursor=${page.nextCursor}`)).ms);
    }
    return {
      storage,
      cases: options.cases,
      seedMs,
      listMs: percentiles(list),
      searchMs: percentiles(search),
      nextPageMs: percentiles(nextPage),
    };
  } finally {
    await bridge?.stop();
    await db.close();
    await schema?.drop();
  }
}
