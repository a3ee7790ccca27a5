// Examples included in the API docs with {@includeCode} and typechecked by `pnpm typecheck` (tsconfig.test.json).
import type { RefreshLock, RefreshTokenStore } from '@ml-connector/core';
import { adf, connectJira, jql, jqlField, jqlPhrase, verifyJiraWebhook } from '@ml-connector/jira';

declare const clientId: string;
declare const clientSecret: string;
declare const refreshTokenStore: RefreshTokenStore;
declare const lock: RefreshLock;
declare const recordUrl: string;
declare const projectKey: string;
declare const docKeyFieldId: string;
declare const documentNumber: string;
declare const secret: string;
declare const req: { rawBody: string; headers: Record<string, string> };

export async function connectJiraExample() {
  // #region connectJira
  const jira = await connectJira({
    auth: { kind: 'oauth', clientId, clientSecret, refreshTokenStore, lock, siteUrl: 'https://acme.atlassian.net' },
    customFields: { documentKey: 'ML Document Key' },
  });
  const { key } = await jira.issues.create({ project: 'FIN', issueType: 'Task', summary: 'Check invoice', customFields: { documentKey: 'INV-1' } });
  // #endregion connectJira
  return key;
}

export function adfExample() {
  // #region adf
  const description = adf.doc(
    adf.paragraph('Vendor invoice ', adf.text('INV-1001', { strong: true }), ' was posted.'),
    adf.bulletList(['Vendor: Contoso', 'Amount: 1,250.00 EUR']),
    adf.paragraph(adf.text('Open in Finance and Operations', { href: recordUrl })),
  );
  // #endregion adf
  return description;
}

export function jqlExample() {
  // #region jql
  const query = jql`project = ${projectKey} AND ${jqlField(docKeyFieldId)} ~ ${jqlPhrase(documentNumber)} ORDER BY created DESC`;
  // #endregion jql
  return query;
}

export function verifyJiraWebhookExample() {
  // #region verifyJiraWebhook
  const { event, deliveryId } = verifyJiraWebhook({ rawBody: req.rawBody, headers: req.headers, secret });
  // #endregion verifyJiraWebhook
  return { event, deliveryId };
}
