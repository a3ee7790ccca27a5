/** `pnpm example:bc-payment-status [options]`. */
import { paymentStatusMain } from './example.ts';

await paymentStatusMain();
