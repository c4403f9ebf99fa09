import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root: prisma/ and .data/ are found from here. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
