/** `pnpm example:jaggaer-to-oracle [--watch] [options]`. */
import { jaggaerToOracleMain } from './example.ts';

await jaggaerToOracleMain();
