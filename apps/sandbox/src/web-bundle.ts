import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const WEB_DIR = fileURLToPath(new URL('./web/', import.meta.url));

/** The page's scripts by file name (`member.js`, `agent.js`, `styles.css`…), bundled in memory. */
export type WebBundle = ReadonlyMap<string, { contents: Uint8Array; contentType: string }>;

/**
 * Bundles the page's two scripts with esbuild at start (well under a second): the member client
 * (React 17, bundled in) and the agent desktop's controller (plain DOM, runs in the Flex host page).
 */
export async function bundleWeb(): Promise<WebBundle> {
  const result = await build({
    entryPoints: {
      member: `${WEB_DIR}member/main.tsx`,
      agent: `${WEB_DIR}agent/main.ts`,
    },
    outdir: '/bundle',
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2022',
    jsx: 'automatic',
    minify: true,
    sourcemap: 'inline',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const files = new Map<string, { contents: Uint8Array; contentType: string }>();
  for (const file of result.outputFiles) {
    const name = file.path.split('/').pop() ?? file.path;
    files.set(name, {
      contents: file.contents,
      contentType: name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
    });
  }
  return files;
}
