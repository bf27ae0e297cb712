import { requireServices } from './services';

/** Global setup of `npm run test:pg`: the whole suite on PostgreSQL (and Redis when set). */
export default async function setup(): Promise<void> {
  await requireServices('if-set');
}
