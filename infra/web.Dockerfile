# syntax=docker/dockerfile:1
# The web app (Next.js behind apps/web/server.mjs, which tells it the client's address). The same image runs the migration job:
#   docker build -f infra/web.Dockerfile -t parallax-web .
#   docker run -e DATABASE_URL=<owner url> parallax-web npm run db:migrate   # once per release
#   docker run -e DATABASE_URL=<app login url> … -p 3000:3000 parallax-web
FROM node:20-bookworm-slim

WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1

# Sources are copied whole (see web.Dockerfile.dockerignore): the workspaces are shipped as
# TypeScript and compiled by Next, and the migration job needs prisma/ and packages/db.
COPY . .

# --ignore-scripts: nothing is fetched at install time. The Prisma client needs no
# native engine, and migrations run on the WebAssembly schema engine (packages/db).
# Use the image's npm 10: npm 11.19's `npm ci` refuses this lockfile (it asks for other
# platforms' optional packages, e.g. @biomejs/cli-darwin-arm64).
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund \
 && npm run db:generate \
 && npm run build -w @parallax/web \
 && rm -rf apps/web/.next/cache \
 && mkdir apps/web/.next/cache && chown node:node apps/web/.next/cache

ENV NODE_ENV=production PORT=3000
USER node
EXPOSE 3000
# Next writes only to .next/cache at run time. server.mjs handles SIGTERM; run it with an
# init (compose `init: true`) so that PID 1 reaps children.
CMD ["node", "apps/web/server.mjs", "--hostname", "0.0.0.0"]
