/**
 * The forwarder (reshipper) markers live with the risk engine, which owns them; the seed data
 * re-exports them so its forwarder addresses and the engine agree on one list.
 */
export { RESHIPPER_MARKERS, matchReshipper } from '../src/services/risk/reshippers';
export type { ReshipperMarker } from '../src/services/risk/reshippers';
