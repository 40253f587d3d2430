# syntax=docker/dockerfile:1
# the ingester: watches AAF_INBOX_DIR and imports deliveries, and runs the uploads queued by the API
# Build from the repository root: docker build -f docker/ingester.Dockerfile -t aaf-sync-ingester .
# Same environment variables as the README's configuration table (packages/config).

FROM node:24-bookworm-slim AS build
WORKDIR /src
RUN npm install --global pnpm@10.34.9
COPY . .
RUN pnpm install --frozen-lockfile && pnpm -s build \
  && pnpm --filter @aaf-sync/ingester-service --prod deploy --legacy /out

FROM node:24-bookworm-slim
ENV NODE_ENV=production
# the engine heap cap: flat memory, see ARCHITECTURE.md (same value as package.json)
ENV NODE_OPTIONS="--max-old-space-size=256 --max-semi-space-size=16"
WORKDIR /app
COPY --from=build --chown=node:node /out ./
USER node
VOLUME ["/var/aaf-sync/inbox", "/var/aaf-sync/archive", "/var/aaf-sync/uploads"]
CMD ["node", "dist/main.js"]
