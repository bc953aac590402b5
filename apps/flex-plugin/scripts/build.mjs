#!/usr/bin/env node
// Builds the artifact Flex loads, `build/plugin-flexcord.js`: a classic script (IIFE) that takes
// React, ReactDOM, Redux, ReactRedux and Flex itself from the page's globals, the way
// flex-plugin-scripts' webpack build does, and calls `Twilio.Flex.Plugins.init(FlexcordPlugin)`.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const versionOf = (name) => require(`${name}/package.json`).version;

/** Where the bundle lands: `build/<package name>.js`, the name Flex's plugin tooling uses. */
export const pluginBundlePath = join(root, 'build', `${pkg.name}.js`);

/** Bare imports served by the page, and the global each one is read from. */
const pageGlobals = {
  react: 'window.React',
  'react-dom': 'window.ReactDOM',
  redux: 'window.Redux',
  'react-redux': 'window.ReactRedux',
  // Flex hands each plugin a proxy of itself when plugin proxies are on.
  '@twilio/flex-ui': `(window.Twilio.FlexProxy && window.Twilio.FlexProxy[${JSON.stringify(pkg.name)}]) || window.Twilio.Flex`,
};

const pageGlobalsPlugin = {
  name: 'flex-page-globals',
  setup(build) {
    const names = Object.keys(pageGlobals).map((name) => name.replace(/[/]/g, '\\/'));
    build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({
      path: args.path,
      namespace: 'flex-page-global',
    }));
    build.onLoad({ filter: /.*/, namespace: 'flex-page-global' }, (args) => ({
      contents: `module.exports = ${pageGlobals[args.path]};`,
      loader: 'js',
    }));
  },
};

/**
 * zod's `z` namespace re-exports its ~40 message locales, which bundlers cannot drop (a quarter of
 * the bundle). The plugin only ever uses zod's default English messages, so the locales module
 * becomes English alone.
 */
const zodEnglishOnlyPlugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]zod[\\/]v4[\\/](classic|core|mini)[\\/]/.test(args.importer)) return undefined;
      return { path: join(dirname(args.importer), '../locales/en.js'), namespace: 'zod-locales' };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

/** `FLEX_APP_*` and `REACT_APP_*` variables of the environment, as Flex's own build exposes them. */
function appEnvDefines(overrides) {
  const env = { ...process.env, ...overrides };
  return Object.fromEntries(
    Object.entries(env)
      .filter(([name, value]) => /^(FLEX_APP_|REACT_APP_)/.test(name) && value !== undefined)
      .map(([name, value]) => [`process.env.${name}`, JSON.stringify(value)]),
  );
}

/**
 * Builds the plugin bundle.
 * @param {{ apiUrl?: string, minify?: boolean }} [options] `apiUrl` sets `FLEX_APP_FLEXCORD_API_URL`
 *   for this build (else the environment's, else the default in `src/config.ts`).
 */
export async function buildPlugin({ apiUrl, minify = true } = {}) {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/index.ts'],
    outfile: pluginBundlePath,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    jsx: 'automatic',
    minify,
    sourcemap: true,
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [pageGlobalsPlugin, zodEnglishOnlyPlugin],
    define: {
      'process.env.NODE_ENV': '"production"',
      'process.env.FLEX_APP_FLEXCORD_API_URL': 'undefined',
      ...appEnvDefines(apiUrl === undefined ? {} : { FLEX_APP_FLEXCORD_API_URL: apiUrl }),
      // Read by @twilio/flex-plugin's FlexPlugin constructor.
      __FPB_PLUGIN_UNIQUE_NAME: JSON.stringify(pkg.name),
      __FPB_PLUGIN_VERSION: JSON.stringify(pkg.version),
      __FPB_FLEX_PLUGIN_SCRIPTS_VERSION: JSON.stringify(`esbuild-${esbuild.version}`),
      __FPB_FLEX_PLUGIN_VERSION: JSON.stringify(versionOf('@twilio/flex-plugin')),
      __FPB_FLEX_UI_VERSION: JSON.stringify(versionOf('@twilio/flex-ui')),
      __FPB_REACT_VERSION: JSON.stringify(versionOf('react')),
      __FPB_REACT_DOM_VERSION: JSON.stringify(versionOf('react-dom')),
    },
  });
  return { path: pluginBundlePath, bytes: statSync(pluginBundlePath).size, metafile: result.metafile };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { path, bytes } = await buildPlugin();
  console.log(`built ${path} (${(bytes / 1024).toFixed(0)} KiB)`);
}
