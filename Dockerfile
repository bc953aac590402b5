# syntax=docker/dockerfile:1
# The Flexcord bridge: one image, one process (`node dist/main.js`). Build from the repo root:
#   docker build -t flexcord-bridge .
# Configuration comes from the environment (see .env.example and docs/deploy.md).

ARG NODE_IMAGE=node:20-slim

# Only the package manifests, so the install layers below are reused until a dependency changes
# (BuildKit compares the copied content, not the COPY . . that produced it).
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete \
 && find . -depth -type d -empty -delete

# Everything the bridge's build needs (dev dependencies included), and nothing for the Flex plugin.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=manifests /src/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund --workspace @flexcord/bridge --include-workspace-root

# Bundle src/bin/main.ts (and the @flexcord/* workspace packages it imports) to apps/bridge/dist.
FROM deps AS build
COPY . .
RUN node apps/bridge/scripts/build.mjs

# Runtime dependencies only.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY --from=manifests /src/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund --omit=dev --workspace @flexcord/bridge \
 && mkdir -p apps/bridge/node_modules

FROM ${NODE_IMAGE} AS runtime
# The KB's offline translation stage (docs/knowledge-base.md): Debian's apertium English–Spanish
# pair, ~12 MB installed. KB_TRANSLATION=off, or an image without it, runs the lexical engine alone.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends apertium-eng-spa \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    KB_DIR=/app/apps/bridge/kb \
    CANNED_REPLIES_DIR=/app/apps/bridge/canned-replies \
    PGLITE_DIR=/app/apps/bridge/.data/pglite
WORKDIR /app/apps/bridge
COPY --from=prod-deps --chown=root:root /app/node_modules /app/node_modules
COPY --from=prod-deps /app/apps/bridge/node_modules ./node_modules
COPY --from=build /app/apps/bridge/package.json ./package.json
COPY --from=build /app/apps/bridge/dist ./dist
COPY --from=build /app/apps/bridge/kb ./kb
COPY --from=build /app/apps/bridge/canned-replies ./canned-replies
# PGlite's directory (only used without DATABASE_URL; use Postgres in production).
RUN mkdir -p .data && chown node:node .data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# --max-semi-space-size=4: a young generation of 2 × 4 MiB, not the 2 × 16 MiB V8 grows to during
# start-up and keeps: ~24 MiB less RSS for more frequent scavenges. --max-old-space-size=512: V8
# lets dead objects pile up to ~1.4 times the live heap before a full GC, not ~4 times as on a host
# with gigabytes of memory (docs/deploy.md, "Memory"). No --enable-source-maps: Node would parse and
# keep every loaded package's source map, ~11 MiB of heap and ~18 MiB of RSS; the bundle's map ships
# beside it (dist/main.js.map) for reading a stack trace, or set NODE_OPTIONS=--enable-source-maps.
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=512", "dist/main.js"]
