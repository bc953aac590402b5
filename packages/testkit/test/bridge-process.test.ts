import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type BridgeProcess, startBridgeProcess } from '../src/bridge-process.ts';
import { freePort } from '../src/free-port.ts';

const FAKE_BRIDGE = fileURLToPath(new URL('./fixtures/fake-bridge.ts', import.meta.url));

const pidAt = async (url: string) => ((await (await fetch(url)).json()) as { pid: number }).pid;

describe('a bridge as its own process', () => {
  let bridge: BridgeProcess | null = null;
  afterEach(async () => {
    await bridge?.kill();
    bridge = null;
  });

  it('resolves once /readyz answers 200 on its port, and kill is a SIGKILL', async () => {
    const port = await freePort();
    const started = Date.now();
    bridge = await startBridgeProcess({
      entry: FAKE_BRIDGE,
      env: { PORT: String(port), FAKE_READY_AFTER_MS: '300' },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(bridge.url).toBe(`http://127.0.0.1:${port}`);
    expect((await fetch(`${bridge.url}/readyz`)).status).toBe(200);
    const child = bridge.process;
    await bridge.kill();
    expect(child.signalCode).toBe('SIGKILL');
    expect(bridge.output()).not.toContain('stopping on SIGTERM');
  });

  it('restart starts a new process with the same environment after a crash', async () => {
    bridge = await startBridgeProcess({ entry: FAKE_BRIDGE, env: { PORT: String(await freePort()) } });
    const first = await pidAt(bridge.url);
    await bridge.kill();
    await expect(fetch(bridge.url)).rejects.toThrow();
    await bridge.restart();
    const second = await pidAt(bridge.url);
    expect(second).not.toBe(first);
    expect(second).toBe(bridge.process.pid);
  });

  it('stop is a SIGTERM the process handles: it shuts down and exits 0', async () => {
    bridge = await startBridgeProcess({ entry: FAKE_BRIDGE, env: { PORT: String(await freePort()) } });
    const child = bridge.process;
    await bridge.stop();
    expect(child.exitCode).toBe(0);
    expect(bridge.output()).toContain('stopping on SIGTERM');
  });

  it('a process that exits before it is ready fails the start with its output', async () => {
    await expect(
      startBridgeProcess({
        entry: FAKE_BRIDGE,
        env: { PORT: String(await freePort()), FAKE_EXIT_AT_START: '1' },
      }),
    ).rejects.toThrow(/exited \(78\) before it was ready:\nPORT is not a number/);
  });

  it('with ipc, a harness can wait for its own ready message instead of /readyz', async () => {
    const waitForMessage = (child: ChildProcess) =>
      new Promise<void>((resolve) => child.once('message', () => resolve()));
    bridge = await startBridgeProcess({
      entry: FAKE_BRIDGE,
      env: { PORT: String(await freePort()), FAKE_READY_AFTER_MS: '60000' },
      ipc: true,
      waitUntilReady: waitForMessage,
    });
    expect((await fetch(`${bridge.url}/readyz`)).status).toBe(503);
    expect(bridge.process.connected).toBe(true);
  });

  it('with inheritEnv false, only the given environment reaches the process', async () => {
    process.env.FAKE_LEAKED = 'from the shell';
    try {
      bridge = await startBridgeProcess({
        entry: FAKE_BRIDGE,
        env: { PORT: String(await freePort()), FAKE_SHOW_ENV: 'FAKE_LEAKED' },
        inheritEnv: false,
      });
      expect(await (await fetch(bridge.url)).json()).toMatchObject({ shown: null });
      await bridge.kill();
      bridge = await startBridgeProcess({
        entry: FAKE_BRIDGE,
        env: { PORT: String(await freePort()), FAKE_SHOW_ENV: 'FAKE_LEAKED' },
      });
      expect(await (await fetch(bridge.url)).json()).toMatchObject({ shown: 'from the shell' });
    } finally {
      delete process.env.FAKE_LEAKED;
    }
  });
});
