/**
 * `@ml-connector/core/testing`: building blocks shared by every emulator — a loopback HTTP server for
 * fetch-style handlers, in-process adapters, a seeded PRNG, fault injection and an OAuth 2.0 identity provider.
 *
 * @packageDocumentation
 */
export { type SeededRandom, createSeededRandom } from './random.js';
export {
  type Fault,
  type FaultOptions,
  type FaultInjector,
  EmulatedConnectionDrop,
  TRUNCATE_HEADER,
  createFaultInjector,
} from './faults.js';
export {
  type FetchHandler,
  type LoopbackServer,
  type ServeOptions,
  serveOnLoopback,
  inProcess,
  createInProcessFetch,
} from './serve.js';
export {
  type EmulatedOAuthClient,
  type OAuthEmulatorOptions,
  type AuthCheck,
  type OAuthEmulator,
  createOAuthEmulator,
} from './oauth.js';
