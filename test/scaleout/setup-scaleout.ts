import { requireServices } from './services';

/** Global setup of `npm run test:scaleout`: several instances over PostgreSQL and Redis. */
export default async function setup(): Promise<void> {
  await requireServices('required');
}
