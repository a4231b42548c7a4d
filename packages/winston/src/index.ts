/**
 * @loglanes/winston — the loglanes transport for winston, and a shutdown that loses nothing.
 * @packageDocumentation
 */
export { LanesConfigError, type LanesOptions } from '@loglanes/core'
export { type EndLoggerOptions, endLogger } from './endLogger.js'
export { LanesTransport, type LanesTransportOptions } from './lanesTransport.js'
