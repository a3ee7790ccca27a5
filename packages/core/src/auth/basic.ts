import { InvalidInputError } from '../errors/errors.js';
import type { BasicCredentials } from './types.js';

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * Builds the `Authorization` header value for HTTP Basic auth (`Basic base64(user:password)`, UTF-8).
 * Validates first because a `:` in the user name or a line break silently produces a different login.
 *
 * @throws InvalidInputError when the user name is empty or contains `:`, or either part contains control characters.
 */
export function basicAuthorization(credentials: BasicCredentials): string {
  const { username, password } = credentials ?? ({} as BasicCredentials);
  if (typeof username !== 'string' || username === '') {
    throw new InvalidInputError('username is required for Basic auth', { field: 'username' });
  }
  if (username.includes(':')) {
    throw new InvalidInputError('username must not contain ":" (Basic auth splits user and password at the first colon)', {
      field: 'username',
    });
  }
  if (typeof password !== 'string' || password === '') {
    throw new InvalidInputError('password (or API token / web service access key) is required for Basic auth', {
      field: 'password',
    });
  }
  if (CONTROL_CHARACTERS.test(username)) {
    throw new InvalidInputError('username must not contain control characters or line breaks', { field: 'username' });
  }
  if (CONTROL_CHARACTERS.test(password)) {
    throw new InvalidInputError('password must not contain control characters or line breaks', { field: 'password' });
  }
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
