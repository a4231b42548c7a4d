/** Placeholder until the pino issue lands; the package builds and resolves. */
export const packageName = '@loglanes/pino'
