import { Initial1795714978062 } from './1795714978062-Initial';
import { SandboxRatesOffCatalog1796218318347 } from './1796218318347-SandboxRatesOffCatalog';
import { CarrierOperations1796218415354 } from './1796218415354-CarrierOperations';
import { AddLabelDocuments1796218815567 } from './1796218815567-AddLabelDocuments';
import { OutgoingWebhooks1796221574786 } from './1796221574786-OutgoingWebhooks';
import { NotificationAttempts1796221596342 } from './1796221596342-NotificationAttempts';
import { AddLabelBatches1796221893171 } from './1796221893171-AddLabelBatches';
import { OrderSourceExternalId1796227968028 } from './1796227968028-OrderSourceExternalId';
import { AddClaims1796227995415 } from './1796227995415-AddClaims';
import { LabelShipToFingerprint1796228273171 } from './1796228273171-LabelShipToFingerprint';
import { DropBuyerClaimCounter1796229556820 } from './1796229556820-DropBuyerClaimCounter';
import { PartiesAndShipFromLocations1796229747342 } from './1796229747342-PartiesAndShipFromLocations';
import { RequestIds1796230185871 } from './1796230185871-RequestIds';

/** Every migration, oldest first. */
export const MIGRATIONS = [
  Initial1795714978062,
  SandboxRatesOffCatalog1796218318347,
  CarrierOperations1796218415354,
  AddLabelDocuments1796218815567,
  OutgoingWebhooks1796221574786,
  NotificationAttempts1796221596342,
  AddLabelBatches1796221893171,
  OrderSourceExternalId1796227968028,
  AddClaims1796227995415,
  LabelShipToFingerprint1796228273171,
  DropBuyerClaimCounter1796229556820,
  PartiesAndShipFromLocations1796229747342,
  RequestIds1796230185871,
];
