#!/usr/bin/env node
// Builds the host page's script, `dist/flex-host.js`: one classic script that expects React and
// ReactDOM 17 as globals (the UMD builds the page loads first, like Flex) and installs
// `window.Twilio.Flex` and `window.FlexHost`.
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const hostScriptPath = join(root, 'dist', 'flex-host.js');

const pageGlobals = { react: 'window.React', 'react-dom': 'window.ReactDOM' };

export async function buildFlexHost({ minify = false } = {}) {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/browser/main.tsx'],
    outfile: hostScriptPath,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2022'],
    jsx: 'automatic',
    minify,
    sourcemap: true,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [
      {
        name: 'page-globals',
        setup(build) {
          build.onResolve({ filter: /^(react|react-dom)$/ }, (args) => ({
            path: args.path,
            namespace: 'page-global',
          }));
          build.onLoad({ filter: /.*/, namespace: 'page-global' }, (args) => ({
            contents: `module.exports = ${pageGlobals[args.path]};`,
            loader: 'js',
          }));
        },
      },
    ],
  });
  return { path: hostScriptPath, bytes: statSync(hostScriptPath).size };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { path, bytes } = await buildFlexHost();
  console.log(`built ${path} (${(bytes / 1024).toFixed(0)} KiB)`);
}
