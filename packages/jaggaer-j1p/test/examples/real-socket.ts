import { createJaggaerClient } from '@ml-connector/jaggaer-j1p';
import { createJaggaerSandbox, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from '@ml-connector/jaggaer-j1p/testing';

const sandbox = createJaggaerSandbox({ seed: 7 });
const server = await sandbox.listen(); // http://127.0.0.1:<free port>; server.tokenUrl is its token endpoint
try {
  const jaggaer = createJaggaerClient({
    host: server.url,
    allowLoopback: true, // loopback over http is refused without it
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: SANDBOX_CLIENT_SECRET,
  });
  console.log(jaggaer.tokenUrl === server.tokenUrl); // true
  const first = await jaggaer.invoices.list({ pageSize: 5 }).toArray({ limit: 5 });
  console.log(first.map((listed) => listed.invoiceNumber));
} finally {
  await server.close();
}
