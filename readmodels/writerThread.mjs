// The writer thread's entry: worker threads do not inherit the TypeScript loader, so it registers it first.
import { register } from 'tsx/esm/api'

register()
await import('./writerThread.ts')
