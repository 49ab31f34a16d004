# syntax=docker/dockerfile:1.7
# Multi-stage build: dependencies and compilation in a builder, a slim runtime with production
# dependencies only, running as the unprivileged `node` user.

FROM node:24-bookworm-slim AS build
WORKDIR /app
# Toolchain for the rare machine where argon2's prebuilt binary does not load (scripts/postinstall.js).
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# The client SDK is an npm workspace: its package.json takes part in the install, its sources in the build.
COPY sdk/package.json ./sdk/package.json
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund
COPY tsconfig.json .swcrc nest-cli.json ormconfig.ts ./
COPY apps ./apps
COPY libs ./libs
COPY migrations ./migrations
# The admin console (apps/admin) imports the generated client; `npm run build` bundles it with Vite
# into dist/admin, which the runtime image ships with the rest of dist/.
COPY sdk ./sdk
RUN npm run build

FROM node:24-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY sdk/package.json ./sdk/package.json
COPY scripts ./scripts
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# `node dist/apps/cli/src/main.js migrate` runs migrations; the API also applies them at start unless MIGRATIONS_RUN=false.
CMD ["node", "dist/apps/api/src/main.js"]
