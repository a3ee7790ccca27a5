/** `pnpm example:oracle-to-jaggaer [--watch] [options]`. */
import { oracleToJaggaerMain } from './example.ts';

await oracleToJaggaerMain();
