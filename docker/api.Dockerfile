# syntax=docker/dockerfile:1
# the REST API (PORT, default 3000)
# Build from the repository root: docker build -f docker/api.Dockerfile -t aaf-sync-api .
# Same environment variables as the README's configuration table (packages/config).

FROM node:24-bookworm-slim AS build
WORKDIR /src
RUN npm install --global pnpm@10.34.9
COPY . .
RUN pnpm install --frozen-lockfile && pnpm -s build \
  && pnpm --filter @aaf-sync/api --prod deploy --legacy /out

FROM node:24-bookworm-slim
ENV NODE_ENV=production
# the engine heap cap: flat memory, see ARCHITECTURE.md (same value as package.json)
ENV NODE_OPTIONS="--max-old-space-size=256 --max-semi-space-size=16"
WORKDIR /app
COPY --from=build --chown=node:node /out ./
USER node
ENV HOST=0.0.0.0
# uploads spooled for the ingester (AAF_UPLOAD_DIR; the same volume is mounted there)
VOLUME ["/var/aaf-sync/uploads"]
EXPOSE 3000
CMD ["node", "dist/main.js"]
