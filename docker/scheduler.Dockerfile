# syntax=docker/dockerfile:1
# the scheduler process: runs the school-year calendar (aaf-sync schedule)
# Build from the repository root: docker build -f docker/scheduler.Dockerfile -t aaf-sync-scheduler .
# Same environment variables as the README's configuration table (packages/config).

FROM node:24-bookworm-slim AS build
WORKDIR /src
RUN npm install --global pnpm@10.34.9
COPY . .
RUN pnpm install --frozen-lockfile && pnpm -s build \
  && pnpm --filter @aaf-sync/scheduler-service --prod deploy --legacy /out

FROM node:24-bookworm-slim
ENV NODE_ENV=production
# the engine heap cap: flat memory, see ARCHITECTURE.md (same value as package.json)
ENV NODE_OPTIONS="--max-old-space-size=256 --max-semi-space-size=16"
WORKDIR /app
COPY --from=build --chown=node:node /out ./
USER node
CMD ["node", "dist/main.js"]
