import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, loadConfig, openDatabase, type RunningBridge, startBridge } from '@flexcord/bridge';
import { freshSchema } from './postgres.ts';
import type { BenchStack } from './stack.ts';
import { type Percentiles, percentiles } from './stats.ts';

/** A help-centre topic: its words in English and in Spanish, the usual ones first. */
interface Topic {
  en: string[];
  es: string[];
}

/**
 * The generated KB is a game's help centre, shaped like a real one: articles belong to one of the
 * topics below and mix function words, a general support vocabulary, their topic's words, now and
 * then a neighbouring topic's, and a few rare tokens (error codes). Words are drawn on a Zipf curve
 * (the first of each list most often), so a few words ("game", "account", and in the Spanish
 * analysis "the", "you") are in most articles and most words in few — a question made of common
 * words still matches thousands of articles. One article in ten is in Spanish.
 */
const TOPICS: Topic[] = [
  [
    'password reset forgot email link change recover sign',
    'contraseña restablecer olvidé correo enlace cambiar recuperar',
  ],
  [
    'login error sign server authentication failed credentials session',
    'iniciar sesión error servidor autenticación fallo credenciales',
  ],
  [
    'two-factor authentication code authenticator app backup sms',
    'verificación dos pasos código aplicación autenticador respaldo',
  ],
  [
    'hacked account stolen recover compromised suspicious security',
    'cuenta hackeada robada recuperar comprometida sospechosa seguridad',
  ],
  ['refund purchase policy request eligible days store', 'reembolso compra política solicitud días tienda'],
  [
    'shards purchase missing currency balance received transaction',
    'shards compra faltan moneda saldo recibí transacción',
  ],
  [
    'payment card declined billing paypal charge method',
    'pago tarjeta rechazada facturación paypal cargo método',
  ],
  ['crash startup launch closes desktop crashes crashing', 'cierra inicio iniciar escritorio bloquea juego'],
  [
    'fps performance stutter graphics settings drops frame',
    'fps rendimiento tirones gráficos configuración caídas',
  ],
  [
    'graphics driver update gpu nvidia amd install',
    'controlador gráficos actualizar gpu nvidia amd instalar',
  ],
  ['ping lag latency packet loss connection spikes', 'ping lag latencia pérdida paquetes conexión picos'],
  ['server status outage maintenance down region', 'estado servidor caída mantenimiento región'],
  [
    'disconnected kicked connection lost timeout reconnect match',
    'desconectado expulsado conexión perdida tiempo reconectar partida',
  ],
  [
    'matchmaking queue wait times long ranked match',
    'emparejamiento cola espera tiempos largos clasificatoria',
  ],
  [
    'ranked season rank decay division placement points',
    'clasificatoria temporada rango decaimiento división puntos',
  ],
  ['battle pass tiers rewards premium season unlock', 'pase batalla niveles recompensas premium temporada'],
  [
    'controller gamepad buttons vibration bluetooth wireless',
    'mando botones vibración bluetooth inalámbrico',
  ],
  ['keybind keyboard mouse bindings remap sensitivity', 'teclas teclado ratón asignación sensibilidad'],
  ['voice chat microphone audio mute push-to-talk headset', 'chat voz micrófono audio silenciar auriculares'],
  ['sound audio missing volume speakers crackling', 'sonido audio falta volumen altavoces'],
  ['friends list party invite add request', 'amigos lista grupo invitar añadir solicitud'],
  ['clan guild members create leave roles', 'clan gremio miembros crear salir roles'],
  [
    'ban appeal suspended suspension review violation',
    'baneo apelación suspendido suspensión revisión infracción',
  ],
  ['report player cheating cheater toxic harassment', 'denunciar jugador trampas tramposo tóxico acoso'],
  [
    'privacy data delete request personal information export',
    'privacidad datos borrar solicitud información personal',
  ],
  [
    'cross-play cross-progression platforms console pc link',
    'juego cruzado progresión plataformas consola pc vincular',
  ],
  ['link discord console accounts connect unlink', 'vincular discord consola cuentas conectar desvincular'],
  [
    'install update launcher download patch stuck verify',
    'instalar actualizar lanzador descargar parche atascado verificar',
  ],
  ['mobile android iphone ios tablet battery', 'móvil android iphone ios tableta batería'],
  ['mac linux compatibility requirements system specs', 'mac linux compatibilidad requisitos sistema'],
  ['cloud save progress lost sync backup', 'guardado nube progreso perdido sincronizar'],
  ['parental controls child playtime limits purchases', 'control parental niño tiempo juego límites'],
  ['gift code redeem voucher promo expired', 'regalo código canjear cupón promoción caducado'],
  ['inventory items trade skins missing marketplace', 'inventario objetos intercambio aspectos mercado'],
  ['tournament event registration bracket prizes schedule', 'torneo evento inscripción premios calendario'],
  [
    'bug report feedback feature suggestion reproduce',
    'error informe comentarios sugerencia función reproducir',
  ],
  ['accessibility colorblind subtitles text size', 'accesibilidad daltónico subtítulos texto tamaño'],
  ['language region change settings translation', 'idioma región cambiar configuración traducción'],
].map(([en, es]) => ({ en: en!.split(' '), es: es!.split(' ') }));

const GENERAL = {
  en: (
    'game account settings open select support player help check make sure try restart device problem ' +
    'issue contact team minutes steps following information version latest page screen menu option ' +
    'click button choose window start close find available new see need use work working still ' +
    'continue website app platform time message again after before first update wait happen ' +
    'note case reason ticket details request email hours days online official list change ' +
    'center guide solution known fix common cause'
  ).split(' '),
  es: (
    'juego cuenta configuración abrir seleccionar soporte jugador ayuda comprobar asegúrate intentar ' +
    'reiniciar dispositivo problema contactar equipo minutos pasos información versión página ' +
    'pantalla menú opción botón elegir ventana encontrar disponible nuevo necesitas usar funciona ' +
    'continuar sitio aplicación plataforma tiempo mensaje después antes primero esperar nota ' +
    'caso motivo ticket detalles solicitud horas días oficial lista guía solución causa'
  ).split(' '),
};

const FUNCTION_WORDS = {
  en: (
    'the to you and your a of if is in for this on it that can be with or are not do we ' +
    'have will from as at an by i my our any all when there how what which then than so ' +
    'more also into some may they has was but should'
  ).split(' '),
  es: (
    'de la que el en y a los se del las un por con no una su para es al lo como más o pero ' +
    'sus le ha me si sin sobre este ya cuando todo esta ser son también fue muy hasta desde ' +
    'está mi porque qué tu te puedes'
  ).split(' '),
};

const PLATFORMS = ['pc', 'ps5', 'xbox', 'switch', 'android', 'iphone', 'mac', 'steam deck'];

/** Error codes, each mentioned by a few articles and asked about now and then. */
const CODES = Array.from({ length: 3000 }, (_, i) =>
  i % 2
    ? `CE-${String(10_000 + i * 37).slice(0, 5)}`
    : `0x8007${(i * 7919).toString(16).padStart(4, '0').slice(-4)}`,
);

/** Questions that have no answer in the KB (members type anything). */
const OFF_TOPIC = [
  'pineapple pizza recipe',
  'what is the weather tomorrow',
  'can you recommend a good movie',
  'how tall is mount everest',
  'who won the football match yesterday',
  'best cheap laptop for school',
  'quién ganó el partido ayer',
  'receta de tortilla de patatas',
  'lol',
  'hello?',
];

/** A small deterministic PRNG, so every run searches the same KB with the same questions. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** One of `words`, the first ones most often (Zipf, exponent 1). */
function zipf<T>(random: () => number, words: readonly T[]): T {
  // Inverse of the continuous Zipf CDF: ln(1 + rank) / ln(1 + n) is uniform.
  const rank = Math.floor(Math.exp(random() * Math.log(words.length + 1))) - 1;
  return words[Math.min(rank, words.length - 1)]!;
}

function uniform<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function sentence(random: () => number, lang: 'en' | 'es', topic: Topic, neighbour: Topic): string {
  const length = 8 + Math.floor(random() * 14);
  const words = Array.from({ length }, () => {
    const draw = random();
    if (draw < 0.45) return zipf(random, FUNCTION_WORDS[lang]);
    if (draw < 0.73) return zipf(random, GENERAL[lang]);
    if (draw < 0.95) return zipf(random, topic[lang]);
    if (draw < 0.99) return zipf(random, neighbour[lang]);
    return uniform(random, CODES);
  });
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** Writes `count` Markdown articles with front matter into a new temp folder (see {@link TOPICS}). */
export function generateKb(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'flexcord-kb-'));
  const random = prng(42);
  for (let i = 0; i < count; i++) {
    const lang = random() < 0.1 ? 'es' : 'en';
    const topic = uniform(random, TOPICS);
    const neighbour = uniform(random, TOPICS);
    const titleWords = Array.from({ length: 3 + Math.floor(random() * 5) }, () =>
      random() < 0.8 ? zipf(random, topic[lang]) : zipf(random, GENERAL[lang]),
    );
    const title = [...new Set(titleWords)].join(' ');
    const tags = [
      ...new Set(Array.from({ length: 2 + Math.floor(random() * 3) }, () => zipf(random, topic.en))),
    ];
    // 2–9 paragraphs of 2–5 sentences: 60 to 700 words, most articles around 250.
    const paragraphs = Array.from({ length: 2 + Math.floor(random() * random() * 8) }, () =>
      Array.from({ length: 2 + Math.floor(random() * 4) }, () =>
        sentence(random, lang, topic, neighbour),
      ).join(' '),
    );
    const steps = Array.from(
      { length: random() < 0.4 ? 2 + Math.floor(random() * 4) : 0 },
      (_, step) => `${step + 1}. ${sentence(random, lang, topic, topic)}`,
    );
    writeFileSync(
      join(dir, `article-${String(i).padStart(5, '0')}.md`),
      `---\ntitle: "${title}"\nurl: https://support.example.com/articles/${i}\ntags: [${tags.join(', ')}]\nlanguage: ${lang}\n---\n\n# ${title}\n\n${paragraphs.join('\n\n')}\n${steps.length ? `\n## Steps\n\n${steps.join('\n')}\n` : ''}`,
    );
  }
  return dir;
}

/** Question templates whose slots read naturally with any topic word, noun or verb. */
const QUESTIONS = {
  en: [
    '{t} {t} not working',
    'how do I fix {t} {t} on {p}?',
    'help with {t} please',
    'my {t} {t} is not working since the update',
    'problem with {t} {t}',
    'question about {t} and {t}',
    'anyone else getting {t} {t} {g}?',
    'i have a {t} issue on {p}, what should I do',
    'why is {t} {t} so bad today',
    'error {c} on {p}',
    'got error {c} after {t}',
    '{t}',
    '{t} {t}',
    '{t} {t} {g} {t} help',
  ],
  es: [
    'problema con {t} {t}',
    'ayuda con {t}',
    'no funciona {t} {t} en {p}',
    '¿cómo arreglo {t} {t}?',
    'error {c} en {p}',
    'tengo un problema de {t} desde la actualización',
    '{t} {t}',
  ],
};

/**
 * The questions asked: member questions about one topic each, from the templates above with that
 * topic's words (Zipf-drawn, so the usual words come up most), a general word, a platform or an
 * error code; 85 % in English, 10 % in Spanish, 5 % off topic.
 */
export function benchQuestions(count: number): string[] {
  const random = prng(7);
  return Array.from({ length: count }, () => {
    const draw = random();
    if (draw < 0.05) return uniform(random, OFF_TOPIC);
    const lang = draw < 0.15 ? 'es' : 'en';
    const topic = uniform(random, TOPICS);
    return uniform(random, QUESTIONS[lang]).replace(/\{([tgpc])\}/g, (_, slot: string) => {
      if (slot === 't') return zipf(random, topic[lang]);
      if (slot === 'g') return zipf(random, GENERAL[lang]);
      if (slot === 'p') return uniform(random, PLATFORMS);
      return uniform(random, CODES);
    });
  });
}

export interface KbRun {
  storage: 'pglite' | 'postgres';
  articles: number;
  queries: number;
  /** The whole bridge start with this KB on an empty database (migrations, KB load, gateway). */
  startupMs: number;
  /** The KB load within that first start: every article written and indexed. */
  firstLoadMs: number;
  /** The KB load when the bridge restarts on the loaded database (nothing written; index built). */
  restartLoadMs: number;
  reloadUnchangedMs: number;
  reloadChangedMs: number;
  changed: number;
  /** Share of the questions the bot answered or offered candidates for (the rest: "not sure"). */
  hitRate: number;
  /** The bot's answer path per question (`kb.answer`: analysis, ranking, confidence), wall clock. */
  searchMs: Percentiles;
  /**
   * The same, in CPU time of this process (user + system): what a search costs, whatever else
   * the machine runs (a loaded machine stretches the wall clock, not this).
   */
  searchCpuMs: Percentiles;
  /** The machine's 1-minute load average before and after the searches. */
  loadAverage: [number, number];
}

/** The `durationMs` of the bridge's "KB loaded" log lines, in order. */
function kbLoadLog(): { logger: ReturnType<typeof createLogger>; loads: number[] } {
  const loads: number[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) {
        if (!line.includes('"KB loaded"')) continue;
        loads.push((JSON.parse(line) as { durationMs: number }).durationMs);
      }
      done();
    },
  });
  return { logger: createLogger('info', stream), loads };
}

/**
 * KB start-up, restart, reload and search with a generated KB, through bridges started in this
 * process (their `kb` handle) on one PGlite or fresh Postgres schema.
 */
export async function measureKbSearch(
  stack: BenchStack,
  storage: 'pglite' | 'postgres',
  options: { articles: number; queries: number; dir: string },
): Promise<KbRun> {
  const schema = storage === 'postgres' ? await freshSchema() : null;
  const config = loadConfig({
    ...stack.env,
    PORT: '0',
    KB_DIR: options.dir,
    ...(schema ? { DATABASE_URL: schema.url } : { PGLITE_DIR: 'memory://' }),
  });
  // Opened here so that it outlives the first bridge: the second one restarts on it.
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR });
  const log = kbLoadLog();
  const start = () =>
    startBridge(config, { db, logger: log.logger, watchKb: false, registerCommands: false });
  let bridge: RunningBridge | null = null;
  try {
    const started = performance.now();
    bridge = await start();
    const startupMs = performance.now() - started;
    await bridge.stop();
    bridge = await start();
    const [firstLoadMs = Number.NaN, restartLoadMs = Number.NaN] = log.loads;
    const reloadUnchangedMs = (await bridge.kb.reload()).durationMs;
    const changed = Math.max(1, Math.round(options.articles / 100));
    const later = new Date(Date.now() + 60_000);
    for (let i = 0; i < changed; i++) {
      const file = join(options.dir, `article-${String((i * 97) % options.articles).padStart(5, '0')}.md`);
      writeFileSync(
        file,
        `---\ntitle: "changed ${i}"\nurl: https://support.example.com/changed/${i}\ntags: [changed]\n---\n\nChanged body ${i} refund crash.\n`,
      );
      utimesSync(file, later, later);
    }
    const reloadChangedMs = (await bridge.kb.reload()).durationMs;
    const samples: number[] = [];
    const cpuSamples: number[] = [];
    let hits = 0;
    const loadBefore = loadavg()[0]!;
    for (const question of benchQuestions(options.queries)) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const found = await bridge.kb.answer(question);
      samples.push(performance.now() - t0);
      const cpu = process.cpuUsage(cpu0);
      cpuSamples.push((cpu.user + cpu.system) / 1000);
      if (found.hits.length) hits += 1;
    }
    const loadAfter = loadavg()[0]!;
    return {
      storage,
      articles: options.articles,
      queries: options.queries,
      startupMs: Math.round(startupMs),
      firstLoadMs: Math.round(firstLoadMs),
      restartLoadMs: Math.round(restartLoadMs),
      reloadUnchangedMs: Math.round(reloadUnchangedMs),
      reloadChangedMs: Math.round(reloadChangedMs),
      changed,
      hitRate: Math.round((hits / options.queries) * 1000) / 1000,
      searchMs: percentiles(samples),
      searchCpuMs: percentiles(cpuSamples),
      loadAverage: [Math.round(loadBefore * 10) / 10, Math.round(loadAfter * 10) / 10],
    };
  } finally {
    await bridge?.stop();
    await db.close();
    await schema?.drop();
  }
}

export function removeKb(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
