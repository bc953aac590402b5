import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BRIDGE = fileURLToPath(new URL('..', import.meta.url));

/** `npm run eval:kb` as a KB owner runs it: its arguments, its errors, and what it says about the KB. */
async function evalKb(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'kb-eval/cli.ts', ...args], {
      cwd: BRIDGE,
      env: { ...process.env, INIT_CWD: BRIDGE },
      timeout: 240_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run eval:kb', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flexcord-eval-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--help prints the usage, not a stack trace', async () => {
    const { code, stdout, stderr } = await evalKb('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('usage: npm run eval:kb -- --kb <dir> --queries <file.jsonl>');
    expect(stdout).toContain('url (optional)');
    expect(stderr).not.toContain('    at ');
  }, 240_000);

  it('names a bad --kb or --queries path in one line', async () => {
    const kb = await evalKb('--kb', 'no/such/kb', '--queries', 'kb-eval/sets/starfall-dev.jsonl');
    expect(kb.code).toBe(2);
    expect(kb.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^eval:kb: --kb no\/such\/kb: no such folder/),
    ]);
    const queries = await evalKb('--kb', 'kb', '--queries', 'missing.jsonl');
    expect(queries.code).toBe(2);
    expect(queries.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^eval:kb: --queries missing\.jsonl: no such file/),
    ]);
  }, 240_000);

  it('lists the files that did not load before the figures, and an article without a url is not one of them', async () => {
    const article = (front: string) => `---\n${front}\n---\nPress **Refuel** at any station.\n`;
    writeFileSync(join(dir, 'refuel.md'), article('title: Refuel the shuttle\ntags: [fuel]'));
    writeFileSync(join(dir, 'broken.md'), article('tittle: Broken\nurl: https://support.example/b'));
    const queries = join(dir, 'queries.jsonl');
    writeFileSync(
      queries,
      `${JSON.stringify({ q: 'how do i refuel', expect: 'refuel', lang: 'en', kind: 'exact' })}\n`,
    );
    const { code, stdout } = await evalKb('--kb', dir, '--queries', queries, '--translation', 'off');
    expect(code).toBe(0);
    const problems = stdout.indexOf('2 KB file problems (those files are not in the figures):');
    expect(problems).toBeGreaterThanOrEqual(0);
    expect(stdout).toContain('broken.md [tittle]: unknown front-matter key (did you mean "title"?)');
    expect(stdout).not.toContain('refuel.md');
    expect(problems).toBeLessThan(stdout.indexOf('| **all** | 1 | 1.000 |'));
  }, 240_000);
});
