import { Initial1795714978062 } from './1795714978062-Initial';
import { CarrierOperations1796218415354 } from './1796218415354-CarrierOperations';

/** Every migration, oldest first. */
export const MIGRATIONS = [Initial1795714978062, CarrierOperations1796218415354];
