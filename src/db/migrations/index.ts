import { Initial1795714978062 } from './1795714978062-Initial';
import { SandboxRatesOffCatalog1796218318347 } from './1796218318347-SandboxRatesOffCatalog';

/** Every migration, oldest first. */
export const MIGRATIONS = [Initial1795714978062, SandboxRatesOffCatalog1796218318347];
