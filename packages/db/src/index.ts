export { createDatabase, APP_ROLE, type Database, type Scope, type Tx } from './client.ts';
export * from './generated/prisma/enums.ts';
export { Prisma } from './generated/prisma/client.ts';
export type * from './generated/prisma/models.ts';
export { isUniqueViolation } from './errors.ts';
