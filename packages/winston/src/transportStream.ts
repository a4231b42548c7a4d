import TransportStreamClass from 'winston-transport'

// winston-transport's types say `export = TransportStream`. A default import of it in our emitted declarations
// fails in a consumer compiling with `module: commonjs` and no `esModuleInterop` (TS1259); `typeof import(...)`
// compiles in every module mode, so lanesTransport.d.ts reaches winston-transport only through these two names.

/** winston's base transport class (winston-transport). */
export const TransportStream: typeof import('winston-transport') = TransportStreamClass

/** The options of winston's base transport. */
export type TransportStreamOptions = import('winston-transport').TransportStreamOptions
