# syntax=docker/dockerfile:1
# Multi-stage build: compile with dev dependencies, run with production ones, as a non-root user.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The build also prebuilds the admin panel's browser bundle (dist/adminjs): nothing is bundled,
# so nothing is written, at run time.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-slim AS runtime
# DATA_DIR: the only place Porch writes (sent emails with MAIL_TRANSPORT=file); mount a volume
# there for a read-only root filesystem. /tmp: Node's compile cache (optional).
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data \
    ADMIN_JS_TMP_DIR=/app/dist/adminjs \
    ADMIN_JS_SKIP_BUNDLE=true
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/libs/core/src/database/migrations ./libs/core/src/database/migrations
COPY --from=build --chown=node:node /app/libs/health-regions/data ./libs/health-regions/data
COPY --from=build --chown=node:node /app/libs/accounts/data ./libs/accounts/data
COPY --from=build --chown=node:node /app/config ./config
# `npm run manage` runs scripts/build.mjs first, which builds nothing where there are no sources.
COPY --from=build --chown=node:node /app/scripts/build.mjs ./scripts/build.mjs
# `docker compose run --rm api manage <command>`: the manage CLI, without npm.
COPY --chmod=755 scripts/manage.sh /usr/local/bin/manage
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/apps/api/src/main.js"]
