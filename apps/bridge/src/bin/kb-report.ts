/**
 * `npm run kb:report [-- --days 30 --limit 20 --json]`: the KB gaps report for the KB owner — the
 * questions members asked and didn't get (grouped by similarity), the articles they turned down,
 * the KB files that did not load. Reads the bridge's database (`DATABASE_URL`, or the PGlite
 * folder `PGLITE_DIR`, which only one process can open: stop the bridge first, or use
 * `GET /api/kb/gaps`) and its KB folder (`KB_DIR`).
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { KbGapsQuerySchema } from '@flexcord/contracts';
import { ConfigSchema } from '../config.ts';
import { formatGapsReport } from '../domain/kb/kb-gaps.ts';
import { KbService } from '../domain/kb/kb-service.ts';
import { openDatabase } from '../infrastructure/db/database.ts';
import { migrate } from '../infrastructure/db/migrate.ts';
import { createLogger } from '../infrastructure/logger.ts';

const ReportConfigSchema = ConfigSchema.pick({ DATABASE_URL: true, PGLITE_DIR: true, KB_DIR: true });

export async function runKbReport(
  argv: string[],
  env: Record<string, string | undefined>,
  out: (line: string) => void,
): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      days: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const query = KbGapsQuerySchema.safeParse({ days: values.days, limit: values.limit });
  const config = ReportConfigSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== '')),
  );
  if (!query.success || !config.success) {
    const issues = [...(query.error?.issues ?? []), ...(config.error?.issues ?? [])];
    out(`kb:report: ${issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    return 78;
  }
  // npm runs the script in the bridge's folder: relative paths are the caller's.
  const from = env.INIT_CWD ?? process.cwd();
  const path = (value: string) =>
    isAbsolute(value) || value.startsWith('memory:') ? value : resolve(from, value);
  const db = await openDatabase({
    databaseUrl: config.data.DATABASE_URL,
    pgliteDir: path(config.data.PGLITE_DIR),
  });
  try {
    await migrate(db);
    const kb = new KbService(db, path(config.data.KB_DIR), createLogger('silent'));
    await kb.reload();
    const report = await kb.gaps(query.data);
    out(values.json ? JSON.stringify(report, null, 2) : formatGapsReport(report));
    return 0;
  } finally {
    await db.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.loadEnvFile?.();
  } catch {
    // No .env file: the environment alone configures the report.
  }
  runKbReport(process.argv.slice(2), process.env, (line) => console.log(line))
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
