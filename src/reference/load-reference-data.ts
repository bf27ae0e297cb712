import type { EntityManager } from 'typeorm';
import { insertAll } from '../db/insert-all';
import { CarrierService, ServiceSignatureOption, SignatureTerms } from '../entities';
import { CARRIER_CATALOG } from './carrier-catalog';
import {
  SIGNATURE_TERMS_PUBLISHED_AT,
  SIGNATURE_TERMS_TEXT,
  SIGNATURE_TERMS_VERSION,
} from './signature-terms';

export interface ReferenceDataCounts {
  carrierServices: number;
  signatureOptions: number;
  signatureTerms: number;
}

/**
 * Inserts the reference data every deployment needs, production included: the carrier catalog
 * (services with their signature options) and the current signature terms. The caller makes sure
 * none is there yet (see `loadReferenceDataIfMissing`).
 */
export async function insertReferenceData(manager: EntityManager): Promise<ReferenceDataCounts> {
  const serviceIds = await insertAll(
    manager,
    CarrierService,
    CARRIER_CATALOG.map(({ options: _options, ...service }) => service),
  );
  const options = CARRIER_CATALOG.flatMap((service, i) =>
    service.options.map((o) => ({ ...o, serviceId: serviceIds[i] })),
  );
  await insertAll(manager, ServiceSignatureOption, options);
  await manager.insert(SignatureTerms, {
    version: SIGNATURE_TERMS_VERSION,
    text: SIGNATURE_TERMS_TEXT,
    publishedAt: SIGNATURE_TERMS_PUBLISHED_AT,
  });
  return {
    carrierServices: serviceIds.length,
    signatureOptions: options.length,
    signatureTerms: 1,
  };
}

/**
 * Loads the reference data into a database that has no carrier catalog yet (a production start
 * on a fresh database); returns whether it did. Run it in a transaction, so a failure leaves
 * no half catalog behind.
 */
export async function loadReferenceDataIfMissing(manager: EntityManager): Promise<boolean> {
  if (await manager.exists(CarrierService)) return false;
  await insertReferenceData(manager);
  return true;
}
