# Multi-stage: dependencies are installed once, the runtime image carries production dependencies only and runs
# as an unprivileged user.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# postinstall patches the PostgreSQL driver (db/patch-postgres-driver.mjs): the script must be there before npm ci.
COPY db/patch-postgres-driver.mjs ./db/
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
# ROUNDTABLE_SHELL=off: a container has no terminal, so with no platform token the bot refuses to start instead of
# opening the local shell.
ENV NODE_ENV=production DATA_DIR=/data PORT=3000 ROUNDTABLE_SHELL=off
# Chart labels are rendered by resvg with system fonts: the slim image has none.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY commands ./commands
COPY adapters ./adapters
COPY db ./db
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
VOLUME ["/data"]
# Slim images have no curl: Node's own fetch probes /healthz (served by the Slack receiver or the ops server).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself (graceful stop, exit within 10 s: Docker's default grace period).
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "adapters/main.ts"]
