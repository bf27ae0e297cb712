import { Initial1795714978062 } from './1795714978062-Initial';
import { SandboxRatesOffCatalog1796218318347 } from './1796218318347-SandboxRatesOffCatalog';
import { CarrierOperations1796218415354 } from './1796218415354-CarrierOperations';
import { AddLabelDocuments1796218815567 } from './1796218815567-AddLabelDocuments';
import { NotificationAttempts1796221596342 } from './1796221596342-NotificationAttempts';

/** Every migration, oldest first. */
export const MIGRATIONS = [
  Initial1795714978062,
  SandboxRatesOffCatalog1796218318347,
  CarrierOperations1796218415354,
  AddLabelDocuments1796218815567,
  NotificationAttempts1796221596342,
];
