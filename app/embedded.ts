/** The whole service in one process on the embedded adapters (SQLite files and a media folder under DATA_DIR), whatever the environment says. */
import type { AppConfig } from './context.ts'
import { startService, type Service, type ServiceOptions } from './service.ts'

export type Embedded = Service
export type EmbeddedOptions = Omit<ServiceOptions, 'projectors'>

export const startEmbedded = (config: AppConfig, options: EmbeddedOptions): Promise<Embedded> =>
  startService({ ...config, production: {} }, { ...options, projectors: true })
