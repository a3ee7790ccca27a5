/** Jira error envelopes as the emulator sends them (`{ errorMessages: [], errors: {} }`, JIRASPEC ErrorCollection). */

/** An error the emulator answers with. */
export class JiraEmulatorError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    super(`jira emulator ${status}`);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** Builders of the error bodies Jira uses. Messages quoted from Jira Cloud where known; others UNCONFIRMED wording. */
export const jiraErrors = {
  messages: (status: number, ...errorMessages: string[]) => new JiraEmulatorError(status, { errorMessages, errors: {} }),
  fields: (status: number, errors: Record<string, string>) => new JiraEmulatorError(status, { errorMessages: [], errors }),
  notFound: (what = 'Issue does not exist or you do not have permission to see it.') => new JiraEmulatorError(404, { errorMessages: [what], errors: {} }),
  unauthorized: (message = 'Client must be authenticated to access this resource.') => new JiraEmulatorError(401, { errorMessages: [message], errors: {} }),
  /** The API gateway's answer when the token lacks a scope (`api.atlassian.com`). */
  scope: () => new JiraEmulatorError(401, { code: 401, message: 'Unauthorized; scope does not match' }),
  methodNotAllowed: () => new JiraEmulatorError(405, { errorMessages: ['Method not allowed'], errors: {} }),
};

/** JSON response helper. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined || status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
  });
}
