// The architecture as a rule: `npm run lint:deps` (part of `npm run lint` and `npm test`).
// A violation prints `error <rule name>: <from> → <to>` with the rule's comment.
// @see https://github.com/sverweij/dependency-cruiser/blob/main/doc/rules-reference.md

/** The emulators and the testkit: test tooling, never part of the product. */
const TOOLING = '^packages/(discord-emulator|twilio-emulator|testkit)/';
/** Our own code: anything outside it (npm packages, Node's) is not covered by these rules. */
const OURS = '^(apps|packages|bench|e2e)/';

// ── Bridge layers (apps/bridge/src) ─────────────────────────────────────────────────────────────
// The folders are the layers: adapters/ (discord, twilio, http) → domain/ → infrastructure/ (db,
// outbox, util, logger), never back up. bridge.ts (the composition root), config.ts (its settings),
// index.ts and bin/ (the command-line entry points) sit above them; provision/ (going live) sits
// beside the adapters and may use them.
const BRIDGE = '^apps/bridge/src/';
const ADAPTERS = `${BRIDGE}adapters/`;
const DOMAIN = `${BRIDGE}domain/`;
const INFRASTRUCTURE = `${BRIDGE}infrastructure/`;
const ROOT = `${BRIDGE}(bridge|index)\\.ts$|${BRIDGE}(bin|provision)/`;
const VENDOR_SDKS =
  '^(discord\\.js|@discordjs/|twilio$|twilio/)|node_modules/(discord\\.js|@discordjs|twilio)/';
const BRIDGE_LAYER_RULES = [
  {
    name: 'bridge-domain-never-imports-adapters',
    comment:
      'The bridge’s domain (src/domain/) holds the rules and never sees a transport: it does not import ' +
      'src/adapters/, the composition root or bin/ (define a port in the domain, as domain/chat/chat-channel.ts ' +
      'does, and let the adapter implement it).',
    severity: 'error',
    from: { path: DOMAIN },
    to: { path: `${ADAPTERS}|${ROOT}` },
  },
  {
    name: 'bridge-domain-never-imports-vendor-sdks',
    comment:
      'The domain says what should happen; the adapters decide how it looks on Discord or Twilio. No file ' +
      'under src/domain/ imports discord.js or twilio (types included): state it through a port.',
    severity: 'error',
    from: { path: DOMAIN },
    to: { path: VENDOR_SDKS },
  },
  {
    name: 'bridge-infrastructure-never-imports-up',
    comment:
      'The bridge’s infrastructure (src/infrastructure/: db, outbox, util, logger) is generic: it imports ' +
      'neither the domain nor an adapter. A payload or a rule it needs belongs to the layer above, passed in.',
    severity: 'error',
    from: { path: INFRASTRUCTURE },
    to: { path: `${DOMAIN}|${ADAPTERS}|${ROOT}` },
  },
  {
    name: 'bridge-outbox-knows-no-kind',
    comment:
      'The outbox (src/infrastructure/outbox/) is a queue core that knows no kind: it imports no adapter, no ' +
      'domain module and no vendor SDK. Each adapter declares its kinds beside its transport ' +
      '(adapters/discord/outbox-kinds.ts, adapters/twilio/outbox-kinds.ts) by extending OutboxKinds ' +
      '(outbox/kind-registry.ts), and bridge.ts registers them.',
    severity: 'error',
    from: { path: `${INFRASTRUCTURE}outbox/` },
    to: { path: `${ADAPTERS}|${DOMAIN}|${VENDOR_SDKS}` },
  },
  {
    name: 'bridge-adapters-never-import-the-root',
    comment:
      'Adapters (src/adapters/) are wired by bridge.ts; they never import it, index.ts, bin/ or provision/ ' +
      '(the going-live tools sit beside them and may use them, not the other way round).',
    severity: 'error',
    from: { path: ADAPTERS },
    to: { path: ROOT },
  },
];
// ── end of the bridge layer rules ───────────────────────────────────────────────────────────────

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'apps-never-import-apps',
      comment:
        'An app never imports another app (apps/bridge, apps/flex-plugin, apps/sandbox): share code through a ' +
        'package, or run the other app as its own process (the testkit starts the bridge that way).',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'packages-never-import-apps',
      comment:
        'A package never imports an app: what both need moves into a package (e.g. the Studio flow deployment ' +
        'lives in packages/flows for the bridge and the testkit).',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^apps/' },
    },
    {
      name: 'product-never-imports-tooling',
      comment:
        'Product code (apps/*/src, the packages other than the emulators and the testkit) never imports an ' +
        'emulator or the testkit: they plug in by configuration (base URLs), and only tests, e2e, bench and ' +
        'the sandbox (a local demo built on them) use them.',
      severity: 'error',
      from: { path: '^(apps/[^/]+/src|packages/[^/]+/src)/', pathNot: `^apps/sandbox/|${TOOLING}` },
      to: { path: TOOLING },
    },
    {
      name: 'contracts-depend-on-nothing-of-ours',
      comment: 'packages/contracts is the bottom of the graph: it imports none of our apps or packages.',
      severity: 'error',
      from: { path: '^packages/contracts/' },
      to: { path: OURS, pathNot: '^packages/contracts/' },
    },
    {
      name: 'emulators-are-independent',
      comment:
        'An emulator follows its vendor’s protocol and nothing of ours: its src imports neither the other ' +
        'emulator nor any of our apps or packages (not even contracts). Its tests may check it against ' +
        'contracts and the real SDK.',
      severity: 'error',
      from: { path: '^packages/(discord-emulator|twilio-emulator)/src/' },
      to: { path: OURS, pathNot: '^packages/$1/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles: move what both modules need (often types) into a module of its own.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'plugin-features-stand-alone',
      comment:
        'A plugin feature (apps/flex-plugin/src/features/<name>/) imports nothing of another feature, so each ' +
        'can be switched off (ui_attributes.flexcord_features). Shared pieces go in agent/ or shared/; one ' +
        'feature reaches another through a Flex action (agent/flexcord-actions.ts).',
      severity: 'error',
      from: { path: '^apps/flex-plugin/src/features/([^/]+)/' },
      to: { path: '^apps/flex-plugin/src/features/', pathNot: '^apps/flex-plugin/src/features/$1/' },
    },
    {
      name: 'plugin-shared-never-imports-features',
      comment:
        'apps/flex-plugin/src/agent/ and shared/ are what features share: they never import a feature (that ' +
        'would make the feature impossible to switch off).',
      severity: 'error',
      from: { path: '^apps/flex-plugin/src/(agent|shared)/' },
      to: { path: '^apps/flex-plugin/src/features/' },
    },
    ...BRIDGE_LAYER_RULES,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|build|\\.turbo|\\.reports|test-results)/' },
    // Type-only imports count too: a cycle of types is still a cycle to read.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
