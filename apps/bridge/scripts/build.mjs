// Production build of the bridge: one ESM bundle, `dist/main.js`, for Node 20.
//
// npm packages stay external (installed with `npm ci --omit=dev` next to the bundle), but the
// workspace packages (`@flexcord/*`) are bundled: they export TypeScript sources, which plain
// Node cannot import. The SQL migrations are copied to `dist/migrations/`, where `src/db/migrate.ts`
// finds them (`new URL('./migrations/', import.meta.url)` is resolved against the bundle).
//
// `--entry <file>` (repeatable) and `--outdir <dir>`, relative to the working directory, bundle
// other entry points the same way: the benchmarks build their bridge process with them, so that
// they measure the bridge as it is deployed (`npm run build -w @flexcord/bench`).
//
// @see https://esbuild.github.io/api/#packages
import { cpSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    entry: { type: 'string', multiple: true, default: [`${root}src/bin/main.ts`] },
    outdir: { type: 'string', default: `${root}dist` },
  },
});
const dist = resolve(values.outdir);

/** Bare imports are external, except the workspace's own TypeScript packages. */
const externalNpmPackages = {
  name: 'external-npm-packages',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind === 'entry-point' || args.path.startsWith('@flexcord/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

rmSync(dist, { recursive: true, force: true });
const result = await build({
  entryPoints: values.entry.map((entry) => resolve(entry)),
  outdir: dist,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  legalComments: 'none',
  plugins: [externalNpmPackages],
  logLevel: 'info',
  metafile: true,
});
cpSync(`${root}src/infrastructure/db/migrations`, `${dist}/migrations`, { recursive: true });

const inputs = Object.keys(result.metafile.inputs).filter((input) => input.includes('node_modules'));
if (inputs.some((input) => !input.includes('@flexcord'))) {
  console.warn(
    'build: npm packages were bundled:',
    inputs.filter((input) => !input.includes('@flexcord')),
  );
}
