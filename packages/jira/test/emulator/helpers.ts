import { SANDBOX_API_TOKEN, SANDBOX_EMAIL, type JiraSandbox, type JiraSandboxOptions, createJiraSandbox } from '@ml-connector/jira/testing';

export const BASIC = `Basic ${Buffer.from(`${SANDBOX_EMAIL}:${SANDBOX_API_TOKEN}`).toString('base64')}`;

/** A sandbox plus raw Basic-auth request helpers against its first site. */
export function harness(options: JiraSandboxOptions = {}) {
  const sandbox: JiraSandbox = createJiraSandbox({ indexLagMs: 0, ...options });
  const base = `${sandbox.siteUrl()}/rest/api/3/`;
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    sandbox.fetch(base + path, {
      method,
      headers: { authorization: BASIC, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const search = async (jql: string, extra: Record<string, unknown> = {}) => {
    const r = await send('POST', 'search/jql', { jql, fields: ['summary'], ...extra });
    return { status: r.status, body: (await r.json()) as { issues?: Array<{ key: string; id: string; fields?: Record<string, unknown> }>; errorMessages?: string[]; nextPageToken?: string; isLast?: boolean } };
  };
  const create = async (fields: Record<string, unknown>) => {
    const r = await send('POST', 'issue', { fields: { project: { key: 'FIN' }, issuetype: { name: 'Task' }, ...fields } });
    return { status: r.status, body: (await r.json()) as { key: string; id: string; errors?: Record<string, string>; errorMessages?: string[] } };
  };
  return { sandbox, send, search, create };
}
