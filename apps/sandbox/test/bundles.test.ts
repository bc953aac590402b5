import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { needsBuild } from '../src/bundles.ts';

const root = mkdtempSync(join(tmpdir(), 'sandbox-bundles-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A file with the given modification time (seconds since the epoch). */
function fileAt(path: string, seconds: number): string {
  writeFileSync(path, 'x');
  utimesSync(path, seconds, seconds);
  return path;
}

describe('the bundles the agent desktop loads', () => {
  const src = join(root, 'src', 'features');
  mkdirSync(src, { recursive: true });
  const bundle = join(root, 'plugin-flexcord.js');

  it('are built when missing', () => {
    fileAt(join(src, 'panel.tsx'), 1_000);
    expect(needsBuild(bundle, [join(root, 'src')])).toBe(true);
  });

  it('are kept while no source changed after them', () => {
    fileAt(bundle, 2_000);
    expect(needsBuild(bundle, [join(root, 'src'), join(root, 'absent')])).toBe(false);
  });

  it('are built again when a source, however deep, changed after them (a stale plugin refuses a newer bridge)', () => {
    fileAt(join(src, 'case-strings.ts'), 3_000);
    expect(needsBuild(bundle, [join(root, 'src')])).toBe(true);
  });
});
