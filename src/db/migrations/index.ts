import { Initial1795714978062 } from './1795714978062-Initial';
import { AddLabelDocuments1796218815567 } from './1796218815567-AddLabelDocuments';

/** Every migration, oldest first. */
export const MIGRATIONS = [Initial1795714978062, AddLabelDocuments1796218815567];
