/**
 * Carrier simulator: drives shipments through their lifecycle by posting signed carrier events to
 * a running server, so the IDE shows live updates.
 *
 *   npm run simulate -- --tracking <number> [--tracking <number> …]
 *   npm run simulate -- --all                 every shipment in flight
 *   options: --url http://localhost:4000  --delay-ms 1500  --token <admin token>
 *
 * Shipments are read from the API with an admin token (default: the dev admin token; or
 * COUNTERSIGN_ADMIN_TOKEN), so the simulator works against any database the server uses. Events
 * are signed with the carrier's current secret from CARRIER_SECRET_UPS / CARRIER_SECRET_USPS
 * (the public dev secrets when unset: the simulator is a development tool, so it reads the settings
 * with COUNTERSIGN_DEV on unless that is set; COUNTERSIGN_DEV=off makes the secrets required).
 */
import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';
import { devToken } from '../../seeds/dev-tokens';
import { loadConfig } from '../config/config';
import { envString, envUrl, parseWholeNumber } from '../config/env';
import type { CarrierSecrets } from '../config/config';
import { Carrier, Role, ShipmentStatus, SignatureOption } from '../entities/enums';
import { TERMINAL_STATUSES } from '../services/tracking/status-machine';
import { SIGNATURE_HEADER, signatureHeader } from '../webhooks/signature';

export interface SimulatedShipment {
  trackingNumber: string;
  carrier: Carrier;
  status: ShipmentStatus;
  signatureRequirement: SignatureOption;
  recipientName: string;
}

export interface SimulationOptions {
  /** Server root, e.g. http://localhost:4000. */
  baseUrl: string;
  /** Admin token used to read shipments. */
  token: string;
  /** Which shipments; omit for every shipment in flight. */
  trackingNumbers?: string[];
  /** Pause between two events of one shipment. */
  delayMs: number;
  secrets: CarrierSecrets;
  log?: (line: string) => void;
}

export interface SimulationReport {
  shipments: number;
  posted: number;
  refused: Array<{ trackingNumber: string; status: number; body: unknown }>;
}

interface Step {
  status: ShipmentStatus;
  description: string;
  location: string;
  reason?: string;
  signed?: boolean;
}

const SHIPMENT_FIELDS = `trackingNumber carrier status signatureRequirement order { shipTo { name city region } }`;

interface ShipmentRow {
  trackingNumber: string;
  carrier: Carrier;
  status: ShipmentStatus;
  signatureRequirement: SignatureOption;
  order: { shipTo: { name: string; city: string; region: string } };
}

async function graphql<T>(
  options: SimulationOptions,
  query: string,
  variables: object,
): Promise<T> {
  const res = await fetch(`${options.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (!body.data || body.errors?.length) {
    throw new Error(
      `GraphQL error: ${body.errors?.map((e) => e.message).join('; ') ?? res.status}`,
    );
  }
  return body.data;
}

/** The steps still ahead of a shipment, from its current status to a signed delivery. */
export function remainingSteps(shipment: SimulatedShipment, city: string): Step[] {
  const needsSignature = shipment.signatureRequirement !== SignatureOption.NONE;
  const all: Array<Step & { after: ShipmentStatus[] }> = [
    {
      status: ShipmentStatus.IN_TRANSIT,
      description: 'Accepted at origin facility',
      location: 'Origin facility',
      after: [ShipmentStatus.LABEL_CREATED],
    },
    {
      status: ShipmentStatus.IN_TRANSIT,
      description: 'Arrived at destination facility',
      location: `${city} distribution center`,
      after: [ShipmentStatus.LABEL_CREATED, ShipmentStatus.IN_TRANSIT],
    },
    {
      status: ShipmentStatus.OUT_FOR_DELIVERY,
      description: 'Out for delivery',
      location: city,
      after: [ShipmentStatus.LABEL_CREATED, ShipmentStatus.IN_TRANSIT, ShipmentStatus.EXCEPTION],
    },
  ];
  if (needsSignature) {
    all.push(
      {
        status: ShipmentStatus.DELIVERY_ATTEMPTED,
        reason: 'SIGNATURE_UNAVAILABLE',
        description: 'Delivery attempted: a signature is required and nobody was available to sign',
        location: city,
        after: [
          ShipmentStatus.LABEL_CREATED,
          ShipmentStatus.IN_TRANSIT,
          ShipmentStatus.OUT_FOR_DELIVERY,
          ShipmentStatus.EXCEPTION,
        ],
      },
      {
        status: ShipmentStatus.OUT_FOR_DELIVERY,
        description: 'Out for delivery (second attempt)',
        location: city,
        after: [
          ShipmentStatus.LABEL_CREATED,
          ShipmentStatus.IN_TRANSIT,
          ShipmentStatus.OUT_FOR_DELIVERY,
          ShipmentStatus.DELIVERY_ATTEMPTED,
          ShipmentStatus.AVAILABLE_FOR_PICKUP,
          ShipmentStatus.EXCEPTION,
        ],
      },
    );
  }
  const steps: Step[] = all
    .filter((s) => s.after.includes(shipment.status))
    .map(({ after: _after, ...step }) => step);
  if (!TERMINAL_STATUSES.has(shipment.status)) {
    steps.push({
      status: ShipmentStatus.DELIVERED,
      description: needsSignature ? 'Delivered, signed for' : 'Delivered',
      location: city,
      signed: needsSignature,
    });
  }
  return steps;
}

/**
 * A handwriting-like PNG for the name: a deterministic scribble (the same name, the same image),
 * ink on a transparent pad. Carriers send PNG or JPEG; the webhook decodes what it is given.
 */
export function signatureImage(name: string): string {
  const hash = createHash('sha256').update(name).digest();
  const png = new PNG({ width: 260, height: 70 });
  const ink = (x: number, y: number) => {
    for (const [dx, dy] of [
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ]) {
      const px = Math.round(x) + dx;
      const py = Math.round(y) + dy;
      if (px < 0 || py < 0 || px >= png.width || py >= png.height) continue;
      const at = (py * png.width + px) * 4;
      png.data[at] = 0x1a;
      png.data[at + 1] = 0x23;
      png.data[at + 2] = 0x7e;
      png.data[at + 3] = 0xff;
    }
  };
  // Quadratic curves through points the name's hash places, as the SVG scribble had.
  let [x0, y0] = [12, 48];
  for (let i = 0; i < 14; i += 1) {
    const [x, y] = [20 + i * 16, 22 + (hash[i] % 30)];
    const [cx, cy] = [x - 8, 10 + (hash[i + 14] % 44)];
    for (let t = 0; t <= 1; t += 1 / 32) {
      const u = 1 - t;
      ink(u * u * x0 + 2 * u * t * cx + t * t * x, u * u * y0 + 2 * u * t * cy + t * t * y);
    }
    [x0, y0] = [x, y];
  }
  return `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
}

/** 20:00 UTC the next day: one estimate per shipment, whichever transit scan carries it. */
function nextEvening(at: Date): string {
  const day = new Date(at.getTime() + 86_400_000);
  day.setUTCHours(20, 0, 0, 0);
  return day.toISOString();
}

function eventBody(
  shipment: SimulatedShipment,
  step: Step,
  runId: string,
  index: number,
  at: Date,
) {
  const adult = shipment.signatureRequirement === SignatureOption.ADULT_SIGNATURE_REQUIRED;
  return {
    eventId: `sim-${runId}-${shipment.trackingNumber}-${index}`,
    trackingNumber: shipment.trackingNumber,
    status: step.status,
    ...(step.reason ? { reason: step.reason } : {}),
    description: step.description,
    location: step.location,
    occurredAt: at.toISOString(),
    ...(step.status === ShipmentStatus.IN_TRANSIT ? { estimatedDeliveryAt: nextEvening(at) } : {}),
    ...(step.signed
      ? {
          signature: {
            signerName: shipment.recipientName,
            imageDataUrl: signatureImage(shipment.recipientName),
            signedAt: at.toISOString(),
            location: 'Front door',
            ...(adult ? { adultIdVerified: true } : {}),
          },
        }
      : {}),
  };
}

async function postEvent(options: SimulationOptions, carrier: Carrier, body: object) {
  const raw = JSON.stringify(body);
  const res = await fetch(`${options.baseUrl}/webhooks/carriers/${carrier.toLowerCase()}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: signatureHeader(options.secrets[carrier][0], raw),
    },
    body: raw,
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

function toSimulated(row: ShipmentRow): SimulatedShipment & { city: string } {
  return {
    trackingNumber: row.trackingNumber,
    carrier: row.carrier,
    status: row.status,
    signatureRequirement: row.signatureRequirement,
    recipientName: row.order.shipTo.name,
    city: `${row.order.shipTo.city}, ${row.order.shipTo.region}`,
  };
}

/** The shipments to drive: the ones named, or every one in flight (read through the API). */
export async function findShipments(options: SimulationOptions) {
  if (options.trackingNumbers?.length) {
    const found = [];
    for (const trackingNumber of options.trackingNumbers) {
      const data = await graphql<{ shipment: ShipmentRow | null }>(
        options,
        `query SimulatorShipment($tn: String!) { shipment(trackingNumber: $tn) { ${SHIPMENT_FIELDS} } }`,
        { tn: trackingNumber },
      );
      if (!data.shipment) throw new Error(`No shipment with tracking number ${trackingNumber}`);
      found.push(toSimulated(data.shipment));
    }
    return found;
  }
  const found = [];
  for (const status of ['LABEL_PURCHASED', 'IN_TRANSIT']) {
    let after: string | null = null;
    for (;;) {
      const data: {
        orders: {
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
          edges: Array<{ node: { shipment: ShipmentRow | null } }>;
        };
      } = await graphql(
        options,
        `query SimulatorInFlight($status: OrderStatus!, $after: String) {
           orders(first: 100, after: $after, filter: { status: $status }) {
             pageInfo { hasNextPage endCursor }
             edges { node { shipment { ${SHIPMENT_FIELDS} } } }
           }
         }`,
        { status, after },
      );
      for (const edge of data.orders.edges) {
        const shipment = edge.node.shipment;
        if (shipment && !TERMINAL_STATUSES.has(shipment.status)) found.push(toSimulated(shipment));
      }
      if (!data.orders.pageInfo.hasNextPage) break;
      after = data.orders.pageInfo.endCursor;
    }
  }
  return found;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Posts every remaining step of every chosen shipment; shipments advance side by side. */
export async function simulate(options: SimulationOptions): Promise<SimulationReport> {
  const log = options.log ?? (() => {});
  const shipments = await findShipments(options);
  const runId = Date.now().toString(36);
  const report: SimulationReport = { shipments: shipments.length, posted: 0, refused: [] };
  log(`driving ${shipments.length} shipment(s)`);
  await Promise.all(
    shipments.map(async (shipment) => {
      let last = 0;
      const steps = remainingSteps(shipment, shipment.city);
      for (const [index, step] of steps.entries()) {
        if (index > 0 && options.delayMs > 0) await pause(options.delayMs);
        // Carrier time strictly increases per shipment, even when steps run back to back.
        const at = new Date(Math.max(Date.now(), last + 1));
        last = at.getTime();
        const res = await postEvent(
          options,
          shipment.carrier,
          eventBody(shipment, step, runId, index, at),
        );
        report.posted += 1;
        const what = `${step.status}${step.reason ? ` (${step.reason})` : ''}`;
        if (res.status !== 200) {
          report.refused.push({
            trackingNumber: shipment.trackingNumber,
            status: res.status,
            body: res.body,
          });
          log(`${shipment.carrier} ${shipment.trackingNumber}: ${what} refused with ${res.status}`);
          return;
        }
        log(`${shipment.carrier} ${shipment.trackingNumber}: ${what}`);
      }
    }),
  );
  return report;
}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): SimulationOptions {
  const trackingNumbers: string[] = [];
  let all = false;
  let baseUrl = envUrl(env, 'COUNTERSIGN_URL', ['http:', 'https:']) ?? 'http://localhost:4000';
  let delayMs: number | undefined = 1500;
  let token = envString(env, 'COUNTERSIGN_ADMIN_TOKEN') ?? devToken(Role.ADMIN);
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--tracking') trackingNumbers.push(value());
    else if (arg === '--all') all = true;
    else if (arg === '--url') baseUrl = value().replace(/\/(graphql)?\/?$/, '');
    else if (arg === '--delay-ms') delayMs = parseWholeNumber(value());
    else if (arg === '--token') token = value();
    else throw new Error(`unknown option ${arg}`);
  }
  if (all === trackingNumbers.length > 0) {
    throw new Error('give --all, or one or more --tracking <number>');
  }
  if (delayMs === undefined) throw new Error('--delay-ms must be a whole number ≥ 0');
  const config = loadConfig({ ...env, COUNTERSIGN_DEV: envString(env, 'COUNTERSIGN_DEV') ?? 'on' });
  return { baseUrl, token, trackingNumbers, delayMs, secrets: config.carrierSecrets };
}

if (require.main === module) {
  Promise.resolve()
    .then(() => parseArgs(process.argv.slice(2)))
    .then((options) => simulate({ ...options, log: (line) => console.log(line) }))
    .then((report) => {
      console.log(`posted ${report.posted} event(s) for ${report.shipments} shipment(s)`);
      if (report.refused.length) process.exit(1);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    });
}
