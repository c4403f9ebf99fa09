#!/bin/sh
# Placeholder for Prisma's native schema engine, which cannot be downloaded offline.
# `prisma generate` only checks that this file exists. Migrations run through
# Parallax's own runner: npm run db:migrate / npm run db:migration:new NAME.
echo "Parallax: the native Prisma schema engine is not installed; use npm run db:migrate or db:migration:new" >&2
exit 1
