// The README's quick start, typechecked with the tests (tsconfig.test.json) and run by quick-start.test.ts.
import type { RefreshLock, RefreshTokenStore } from '@ml-connector/core';
import { adf, connectJira, isMissingCustomFieldError, jql, jqlField, jqlPhrase, verifyJiraWebhook } from '@ml-connector/jira';

/** Opens a connection, files an exception issue once (no duplicates), and moves it to Done. */
export async function quickStart(options: {
  clientId: string;
  clientSecret: string;
  refreshTokenStore: RefreshTokenStore; // e.g. vaultRefreshTokenStore(vault, 'jira/refresh-token')
  lock: RefreshLock; // e.g. a PostgreSQL advisory lock shared by every worker
  siteUrl: string; // 'https://acme.atlassian.net'
  fetch?: typeof fetch; // only for the emulator
}): Promise<string> {
  const jira = await connectJira({
    auth: { kind: 'oauth', clientId: options.clientId, clientSecret: options.clientSecret, refreshTokenStore: options.refreshTokenStore, lock: options.lock, siteUrl: options.siteUrl },
    customFields: { documentKey: 'ML Document Key', amount: 'Amount' },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  }).catch((error: unknown) => {
    if (isMissingCustomFieldError(error)) console.error(error.message); // says how to create the field
    throw error;
  });

  // Text fields do not support "=" in JQL: phrase search, then exact match client-side.
  const existing = await jira.search.findByExactText('documentKey', 'INV-1001', { project: 'FIN' });
  if (existing[0]) return existing[0].key; // a re-delivered event must update, never duplicate
  const { key } = await jira.issues.create({
    project: 'FIN',
    issueType: 'Task',
    summary: 'Vendor invoice INV-1001 needs review',
    description: adf.doc(
      adf.paragraph('Invoice ', adf.text('INV-1001', { strong: true }), ' from Contoso was posted.'),
      adf.paragraph(adf.text('Open in Finance and Operations', { href: 'https://contoso.operations.dynamics.com/?mi=VendInvoiceJournal' })),
    ),
    customFields: { documentKey: 'INV-1001', amount: 1250 },
  });

  await jira.issues.transition(key, { transition: 'Done', fields: { resolution: { name: 'Done' } } });
  for await (const issue of jira.search.issues(jql`project = ${'FIN'} AND ${jqlField(jira.customFields.documentKey.id)} ~ ${jqlPhrase('INV-1001')}`)) {
    console.log(issue.key, jira.rateLimit.last?.remaining);
  }
  return key;
}

/** Verifies an inbound delivery: raw body plus headers, before parsing. */
export function onWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>, secret: string): string {
  const { event, deliveryId } = verifyJiraWebhook({ rawBody, headers, secret });
  return `${deliveryId ?? '?'} ${event.webhookEvent} ${event.issue?.key ?? ''}`;
}
