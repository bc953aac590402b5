import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KbLanguage } from './text-analysis.ts';

/**
 * Translates article texts between English and Spanish, so that every article is also indexed in
 * the other language: a Spanish question finds an English-only article through the words of its
 * Spanish translation, and the reverse. Runs when an article changes, never per question.
 */
export interface ArticleTranslator {
  readonly name: string;
  /** `texts` translated from `from` to `to`, in order; a text that could not be translated is ''. */
  translate(texts: readonly string[], from: KbLanguage, to: KbLanguage): Promise<string[]>;
}

/** Where Debian's `apertium-eng-spa` installs its data, and the command that runs a pair. */
const APERTIUM_DATA = '/usr/share/apertium/apertium-eng-spa';
const APERTIUM = 'apertium';
/** Where `execvp` (Node's spawn) looks for a command when PATH is not set (glibc's default). */
const DEFAULT_PATH = '/bin:/usr/bin';
/** Texts go through one `apertium` run at a time in batches this big (characters). */
const BATCH_CHARS = 200_000;
/** A line apertium copies through untouched, between two texts of a batch. */
const separator = (n: number) => `.||${n}||.`;
const SEPARATOR_LINE = /^\s*\.\|\|(\d+)\|\|\.\s*$/;

/**
 * Apertium's English–Spanish pair (Debian package `apertium-eng-spa`, rule-based, offline): one
 * child process per batch of texts, `apertium -u eng-spa` or `spa-eng` (`-u`: unknown words are
 * copied without the `*` mark). See https://wiki.apertium.org/wiki/Apertium_on_Debian.
 */
export class ApertiumTranslator implements ArticleTranslator {
  readonly name = 'apertium-eng-spa';

  constructor(private readonly command = APERTIUM) {}

  /** True when the pair is installed (the bridge falls back to its own engine when not). */
  static available(command = APERTIUM, dataDir = APERTIUM_DATA): boolean {
    if (!existsSync(dataDir)) return false;
    // Without PATH, spawning looks where execvp does: the system's default path.
    const paths = (process.env.PATH ?? DEFAULT_PATH).split(':').filter(Boolean);
    return command.includes('/') ? existsSync(command) : paths.some((dir) => existsSync(`${dir}/${command}`));
  }

  async translate(texts: readonly string[], from: KbLanguage, to: KbLanguage): Promise<string[]> {
    if (from === to) return [...texts];
    const mode = from === 'en' ? 'eng-spa' : 'spa-eng';
    const out: string[] = new Array<string>(texts.length).fill('');
    let batch: number[] = [];
    let size = 0;
    const flush = async () => {
      if (!batch.length) return;
      const translated = await this.run(
        mode,
        batch.map((i) => texts[i]!),
      );
      batch.forEach((i, k) => {
        out[i] = translated[k] ?? '';
      });
      batch = [];
      size = 0;
    };
    for (let i = 0; i < texts.length; i++) {
      batch.push(i);
      size += texts[i]!.length;
      if (size >= BATCH_CHARS) await flush();
    }
    await flush();
    return out;
  }

  private async run(mode: string, texts: readonly string[]): Promise<string[]> {
    const input = texts
      .map((text, n) => `${separator(n)}\n\n${text.replace(/^\s*\.\|\|\d+\|\|\.\s*$/gm, '')}\n\n`)
      .join('');
    // apertium reads `/dev/stdin` by path, which a Node child's socket stdin is not: a file it is.
    const dir = await mkdtemp(join(tmpdir(), 'flexcord-kb-'));
    const file = join(dir, 'texts.txt');
    await writeFile(file, input);
    try {
      return await this.translateFile(mode, file, texts.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private translateFile(mode: string, file: string, count: number): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.command, ['-u', mode, file], { stdio: ['ignore', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      const errors: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => errors.push(chunk));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code !== 0) {
          reject(
            new Error(
              `${this.command} ${mode} exited ${code}: ${Buffer.concat(errors).toString().slice(0, 200)}`,
            ),
          );
          return;
        }
        const result = new Array<string>(count).fill('');
        let current = -1;
        const lines: string[] = [];
        const close = () => {
          if (current >= 0 && current < count) result[current] = lines.join('\n').trim();
          lines.length = 0;
        };
        for (const line of Buffer.concat(chunks).toString('utf8').split('\n')) {
          const marker = SEPARATOR_LINE.exec(line);
          if (marker) {
            close();
            current = Number(marker[1]);
          } else lines.push(line);
        }
        close();
        resolve(result);
      });
    });
  }
}
