/** Ports of the data stores, shared by the modules that open them and the plan's data paths. */
export const POSTGRES_PORT = 5432;
export const REDIS_PORT = 6379;
