import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ChromiumHost,
  ChromiumMissingError,
  chromiumExecutablePath,
  DEBIAN_CHROMIUM,
  ensureChromium,
  findChromium,
  INSTALL_CHROMIUM,
  thisMachine,
} from '../src/chromium.ts';

/** A machine with only the given executables, a user id, and an apt-get that "installs" what it is told. */
function machine(options: {
  executables?: string[];
  env?: Record<string, string>;
  uid?: number;
  aptInstalls?: string | null;
  aptFails?: boolean;
}) {
  const executables = new Set(options.executables ?? []);
  const commands: string[] = [];
  const host: ChromiumHost = {
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...options.env },
    uid: options.uid ?? 1000,
    isExecutable: (path) => executables.has(path),
    run(command, args, env) {
      commands.push([`DEBIAN_FRONTEND=${env.DEBIAN_FRONTEND}`, command, ...args].join(' '));
      if (options.aptFails) throw new Error('E: Unable to locate package chromium');
      if (args[0] === 'install' && options.aptInstalls !== null)
        executables.add(options.aptInstalls ?? DEBIAN_CHROMIUM);
    },
    log: () => undefined,
  };
  return { host, commands };
}

describe('finding Chromium for the browser tests', () => {
  it('takes CHROMIUM_PATH first, then chromium on the PATH, then Debian’s /usr/bin/chromium', () => {
    const all = ['/opt/chrome/chrome', '/usr/local/bin/chromium', DEBIAN_CHROMIUM];
    expect(
      findChromium(machine({ executables: all, env: { CHROMIUM_PATH: '/opt/chrome/chrome' } }).host),
    ).toBe('/opt/chrome/chrome');
    expect(findChromium(machine({ executables: all }).host)).toBe('/usr/local/bin/chromium');
    expect(findChromium(machine({ executables: [DEBIAN_CHROMIUM], env: { PATH: '' } }).host)).toBe(
      DEBIAN_CHROMIUM,
    );
    expect(findChromium(machine({}).host)).toBeNull();
  });

  describe('on this machine’s file system', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flexcord-chromium-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('finds an executable chromium on a PATH, and not a file that cannot be run', () => {
      const host = { ...thisMachine, env: { PATH: dir } };
      writeFileSync(join(dir, 'chromium'), '#!/bin/sh\n');
      chmodSync(join(dir, 'chromium'), 0o644);
      expect(findChromium(host)).toBe(thisMachine.isExecutable(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : null);
      chmodSync(join(dir, 'chromium'), 0o755);
      expect(findChromium(host)).toBe(join(dir, 'chromium'));
    });
  });

  it('with Chromium present, installs nothing', () => {
    const { host, commands } = machine({ executables: [DEBIAN_CHROMIUM], uid: 0 });
    expect(ensureChromium(host)).toBe(DEBIAN_CHROMIUM);
    expect(commands).toEqual([]);
  });

  it('as root without Chromium, installs Debian’s chromium with apt-get and returns its path', () => {
    const { host, commands } = machine({ uid: 0, env: { PATH: '/usr/bin' } });
    expect(ensureChromium(host)).toBe(DEBIAN_CHROMIUM);
    expect(commands).toEqual([
      'DEBIAN_FRONTEND=noninteractive apt-get update',
      'DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium',
    ]);
  });

  it('without root, fails saying exactly what to install, and runs nothing', () => {
    const { host, commands } = machine({ uid: 1000 });
    const error = (() => {
      try {
        ensureChromium(host);
      } catch (failure) {
        return failure;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ChromiumMissingError);
    expect((error as Error).message).toContain(INSTALL_CHROMIUM);
    expect((error as Error).message).toContain('CHROMIUM_PATH');
    expect(commands).toEqual([]);
  });

  it('when apt-get fails, or installs no browser, the setup fails with the reason', () => {
    expect(() => ensureChromium(machine({ uid: 0, aptFails: true }).host)).toThrow(
      /Installing Debian's chromium failed.*Unable to locate package chromium/,
    );
    expect(() => ensureChromium(machine({ uid: 0, aptInstalls: null }).host)).toThrow(
      `there is still no ${DEBIAN_CHROMIUM}`,
    );
  });

  it('a CHROMIUM_PATH that is not there is an error even for root, never replaced by an install', () => {
    const { host, commands } = machine({ uid: 0, env: { CHROMIUM_PATH: '/nowhere/chrome' } });
    expect(() => ensureChromium(host)).toThrow('CHROMIUM_PATH is /nowhere/chrome');
    expect(commands).toEqual([]);
  });

  it('gives Playwright the path the setup will install to when Chromium is not there yet', () => {
    expect(chromiumExecutablePath(machine({}).host)).toBe(DEBIAN_CHROMIUM);
    expect(chromiumExecutablePath(machine({ executables: ['/usr/local/bin/chromium'] }).host)).toBe(
      '/usr/local/bin/chromium',
    );
    expect(chromiumExecutablePath(machine({ env: { CHROMIUM_PATH: '/opt/chrome' } }).host)).toBe(
      '/opt/chrome',
    );
  });
});
