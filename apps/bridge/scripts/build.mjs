// Production build of the bridge: one ESM bundle, `dist/main.js`, for Node 20.
//
// npm packages stay external (installed with `npm ci --omit=dev` next to the bundle), but the
// workspace packages (`@flexcord/*`) are bundled: they export TypeScript sources, which plain
// Node cannot import. The SQL migrations are copied to `dist/migrations/`, where `src/db/migrate.ts`
// finds them (`new URL('./migrations/', import.meta.url)` is resolved against the bundle).
//
// @see https://esbuild.github.io/api/#packages
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;

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
  entryPoints: [`${root}src/main.ts`],
  outfile: `${dist}/main.js`,
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
cpSync(`${root}src/db/migrations`, `${dist}/migrations`, { recursive: true });

const inputs = Object.keys(result.metafile.inputs).filter((input) => input.includes('node_modules'));
if (inputs.some((input) => !input.includes('@flexcord'))) {
  console.warn(
    'build: npm packages were bundled:',
    inputs.filter((input) => !input.includes('@flexcord')),
  );
}
