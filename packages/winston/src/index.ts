/** Placeholder until the winston issue lands; the package builds and resolves. */
export const packageName = '@loglanes/winston'
