# syntax=docker/dockerfile:1
# The fleet's Temporal worker. Its only state is the workspaces and repository mirrors
# under PARALLAX_DATA_DIR (a volume; a lost one is rebuilt): run as many as the load needs.
#   docker build -f infra/worker.Dockerfile -t parallax-worker .
#   docker run -e DATABASE_URL=<app login url> -e TEMPORAL_ADDRESS=… parallax-worker
FROM node:20-bookworm-slim

# Sessions run real git (mirrors, worktrees, pushes) and the repositories' test commands
# through sh; agent CLIs (claude, codex, aider, opencode) are added in an image built on this one.
# bubblewrap is the agents' sandbox (util-linux brings setpriv and prlimit); the container
# must be allowed to make user namespaces (see PRODUCTION.md), else sessions fail closed.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates openssh-client bubblewrap util-linux postgresql-client \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# The worker runs its TypeScript sources through tsx, and bundles the workflow code
# (temporal/src/workflows) when it starts, so it needs the sources, not a build.
COPY . .

# --ignore-scripts: nothing is fetched at install time (see web.Dockerfile).
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund \
 && npm run db:generate

ENV NODE_ENV=production PARALLAX_DATA_DIR=/data
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
# On SIGTERM the worker stops polling and gives running activities 20 s to finish
# (temporal/src/create-worker.ts): give it a stop timeout of at least 30 s. tsx is loaded
# into node itself rather than run through `npx tsx`: npx exits on SIGTERM without passing
# it on, which would leave the worker running until it is killed.
CMD ["node", "--import", "tsx", "temporal/src/worker.ts"]
