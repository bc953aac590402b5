import { loadSandboxConfig, SandboxConfigError, USAGE } from './config.ts';
import { PortInUseError } from './ports.ts';
import { startSandbox } from './sandbox.ts';

/** `npm run demo`: starts everything, prints the URL, stops everything on Ctrl-C. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadSandboxConfig>;
  try {
    config = loadSandboxConfig();
  } catch (error) {
    if (error instanceof SandboxConfigError) {
      console.error(error.message);
      process.exit(64);
    }
    throw error;
  }
  if (config.help) {
    console.log(USAGE);
    return;
  }
  const log = (line: string) => console.log(`[sandbox] ${line}`);
  log(`starting (data in ${config.dataDir}${config.reset ? ', reset' : ''})…`);
  const sandbox = await startSandbox(config, { log }).catch((error: unknown) => {
    if (error instanceof PortInUseError) {
      console.error(`[sandbox] ${error.message}`);
      process.exit(1);
    }
    throw error;
  });
  console.log(`
  Flexcord sandbox is running

    Open          ${sandbox.url}
    Bridge        ${sandbox.bridgeUrl}
    Discord emu   ${sandbox.discord.url}/_emulator
    Twilio emu    ${sandbox.twilio.url}/_emulator

  Play a member on the left (try /helpme in #help), an agent on the right. Ctrl-C stops everything.
`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      process.exit(130);
    }
    stopping = true;
    log(`${signal}: stopping…`);
    sandbox.stop().then(
      () => {
        log('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
