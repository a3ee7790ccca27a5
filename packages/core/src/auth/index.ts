export {
  type AccessToken,
  type GetTokenOptions,
  type TokenProvider,
  type BasicCredentials,
  type Credential,
  isTokenProvider,
} from './types.js';
