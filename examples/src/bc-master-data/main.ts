/** `pnpm example:bc-master-data [--watch] [options]`. */
import { masterDataMain } from './example.ts';

await masterDataMain();
