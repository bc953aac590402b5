/**
 * `npm run outbox -- list | replay <id>`: the deliveries the bridge gave up on (a member's closed
 * DMs, a message a vendor refused), and sending one again once its cause is fixed. Reads the
 * database the bridge uses (`DATABASE_URL`, else PGlite in `PGLITE_DIR`: stop the bridge first, an
 * embedded database has one process at a time). A running bridge delivers a replayed item at its
 * next outbox pass.
 */

import { OUTBOX_KINDS } from '../adapters/outbox-kinds.ts';
import { loadStorageConfig } from '../config.ts';
import { CaseService } from '../domain/cases/case-service.ts';
import { DeliveryFailures } from '../domain/chat/delivery-failures.ts';
import { openDatabase } from '../infrastructure/db/database.ts';
import { migrate } from '../infrastructure/db/migrate.ts';
import { Outbox } from '../infrastructure/outbox/outbox.ts';

const USAGE = 'usage: npm run outbox -- list | replay <id>';

async function main(args: string[]): Promise<number> {
  const [command, id] = args;
  if (command !== 'list' && command !== 'replay') {
    console.error(USAGE);
    return 2;
  }
  try {
    process.loadEnvFile?.();
  } catch {
    // No .env file: the environment alone says where the database is.
  }
  const storage = loadStorageConfig();
  const db = await openDatabase({ databaseUrl: storage.DATABASE_URL, pgliteDir: storage.PGLITE_DIR });
  try {
    await migrate(db);
    const outbox = new Outbox(OUTBOX_KINDS);
    const deadLetters = new DeliveryFailures({ db, outbox, cases: new CaseService({ db, outbox }) });
    if (command === 'list') {
      const items = await deadLetters.list();
      for (const item of items) {
        const when = new Date(item.createdAt).toISOString();
        console.log(
          `${item.id.padStart(8)}  ${when}  ${item.kind.padEnd(30)}  ${item.stream}  (${item.attempts} attempts) ${item.lastError ?? ''}`,
        );
      }
      console.log(`${items.length} dead letter${items.length === 1 ? '' : 's'}`);
      return 0;
    }
    if (!id) {
      console.error(USAGE);
      return 2;
    }
    if ((await deadLetters.replay(id)) === 'not_dead') {
      console.error(`no dead letter ${id} (see npm run outbox -- list)`);
      return 1;
    }
    console.log(`replayed ${id}: the bridge delivers it at its next outbox pass`);
    return 0;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
