import { Initial1795714978062 } from './1795714978062-Initial';

/** Every migration, oldest first. */
export const MIGRATIONS = [Initial1795714978062];
