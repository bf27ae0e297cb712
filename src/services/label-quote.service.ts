import type { CarrierGateway, Parcel } from '../carriers/gateway';
import type { RequestContext } from '../core/request-context';
import {
  Address,
  CarrierService,
  LabelQuote,
  LineItem,
  Order,
  RiskAssessment,
  ServiceSignatureOption,
  ShipFromLocation,
} from '../entities';
import type { QuotedOption, QuotedRate } from '../entities/label-quote.entity';
import { SignatureOption } from '../entities/enums';
import { isAdmin } from '../auth/viewer';
import { UserErrorCode, decodeId, fail, userError } from '../core/user-error';
import type { UserError } from '../core/user-error';
import type { ServiceDeps } from './deps';
import type { Clock } from '../core/clock';
import { SIGNATURE_OPTION_ORDER, rateEligibility, unshippableReason } from './label-rules';
import type { ContentsItem } from '../core/contents-eligibility';
import { requireSeller, requireViewer } from '../auth/guards';
import type { SignatureTermsService } from './signature-terms.service';
import { annotateQuoteRates } from './protection/protection.service';
import type { ProtectionService } from './protection/protection.service';

/** How long a quote's prices hold. */
export const QUOTE_TTL_MS = 15 * 60_000;

/** Parcel limits: UPS's 150 lb and 108 in per side (USPS allows less; the carrier rejects). */
export const PARCEL_LIMITS = { weightOz: 2400, sideIn: 108 } as const;

/** One rate of a quote, as the API shows it (amounts in the quote's currency). */
export interface RateRef {
  currency: string;
  rate: QuotedRate;
}

export interface CreateLabelQuoteInput {
  orderId: string;
  parcel?: Parcel | null;
  /** Where the parcel leaves from; default the seller's default location. */
  shipFromLocationId?: string | null;
}

export interface CreateLabelQuoteResult {
  quote: LabelQuote;
}

/**
 * How long a process reuses the carrier catalog it read. The catalog is reference data, seeded
 * once; the TTL lets a fee correction made in the database reach running instances.
 */
export const CATALOG_TTL_MS = 5 * 60_000;

/** The carrier catalog: services in display order and every service's signature options. */
interface Catalog {
  services: CarrierService[];
  options: ServiceSignatureOption[];
}

const currencyNotSupported = (orderCurrency: string, catalogCurrency: string) =>
  userError(
    UserErrorCode.CURRENCY_NOT_SUPPORTED,
    `The order is in ${orderCurrency}, but postage and signature fees are priced in ` +
      `${catalogCurrency}; labels can only be bought for ${catalogCurrency} orders.`,
    ['input', 'orderId'],
  );

function parcelProblems(parcel: Parcel): UserError[] {
  const problems: UserError[] = [];
  const check = (field: keyof Parcel, max: number, unit: string) => {
    const value = parcel[field];
    if (!Number.isInteger(value) || value < 1 || value > max) {
      problems.push(
        userError(
          UserErrorCode.INVALID_INPUT,
          `${field} must be a whole number of ${unit} from 1 to ${max}`,
          ['input', 'parcel', field],
        ),
      );
    }
  };
  check('weightOz', PARCEL_LIMITS.weightOz, 'ounces');
  check('lengthIn', PARCEL_LIMITS.sideIn, 'inches');
  check('widthIn', PARCEL_LIMITS.sideIn, 'inches');
  check('heightIn', PARCEL_LIMITS.sideIn, 'inches');
  return problems;
}

/**
 * Label quotes: one rate per service that can reach the order's destination, each with its base
 * postage and every signature option itemized (fee, total, support, recommendation, whether the
 * terms must be accepted first), locked for 15 minutes.
 */
export class LabelQuoteService {
  private cachedCatalog: { catalog: Catalog; until: number } | null = null;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly gateway: CarrierGateway,
    private readonly terms: SignatureTermsService,
    private readonly protection: ProtectionService,
    private readonly clock: Clock,
  ) {}

  /** A quote for node(id): the seller who made it, or platform staff. */
  async findVisible(ctx: RequestContext, id: number): Promise<LabelQuote | null> {
    const viewer = requireViewer(ctx);
    const quote = await this.deps.db.manager.findOne(LabelQuote, { where: { id } });
    if (!quote || !(isAdmin(viewer) || quote.sellerId === viewer.sellerId)) return null;
    return quote;
  }

  async create(ctx: RequestContext, input: CreateLabelQuoteInput): Promise<CreateLabelQuoteResult> {
    const { sellerId } = requireSeller(ctx);
    const orderId = decodeId(input.orderId, 'Order', ['input', 'orderId']);
    const manager = this.deps.db.manager;
    const order = await manager.findOne(Order, { where: { id: orderId, sellerId } });
    if (!order) {
      fail(userError(UserErrorCode.ORDER_NOT_FOUND, 'No such order', ['input', 'orderId']));
    }
    const unshippable = unshippableReason(order);
    if (unshippable) fail({ ...unshippable, field: ['input', 'orderId'] });
    const parcel: Parcel = input.parcel ?? {
      weightOz: order.parcelWeightOz,
      lengthIn: order.parcelLengthIn,
      widthIn: order.parcelWidthIn,
      heightIn: order.parcelHeightIn,
    };
    const problems = parcelProblems(parcel);
    if (problems.length > 0) fail(problems);

    const { location, shipFrom } = await this.shipFrom(sellerId, input.shipFromLocationId);
    const [shipTo, risk, standing, catalog, items] = await Promise.all([
      manager.findOneByOrFail(Address, { id: order.shipToAddressId }),
      manager.findOne(RiskAssessment, { where: { orderId, isCurrent: true } }),
      this.terms.standing(manager, sellerId),
      this.catalog(),
      manager.find(LineItem, {
        where: { orderId },
        select: { category: true, ageRestricted: true },
      }),
    ]);
    const international = shipTo.country !== 'US';
    const services = catalog.services.filter((s) => s.international === international);
    // The payload's rates show their services: answer those from the catalog in hand too.
    for (const service of services) ctx.loaders.serviceById.prime(service.id, service);
    const options = catalog.options;
    // Amounts are stored in the order's currency: fees (and postage) in another cannot be quoted.
    const foreign = options.find((o) => o.feeCurrency !== order.currency);
    if (foreign) fail(currencyNotSupported(order.currency, foreign.feeCurrency));
    const recommended = risk?.recommendedSignature ?? SignatureOption.NONE;

    const [priced, history] = await Promise.all([
      this.rates(services, options, {
        parcel,
        originPostalCode: shipFrom.postalCode,
        shipTo,
        recommended,
        termsSatisfied: standing.satisfied,
        currency: order.currency,
        items,
      }),
      this.protection.claimHistory(risk?.level ?? null),
    ]);
    const rates = annotateQuoteRates(priced, {
      currency: order.currency,
      orderTotalMinor: order.totalMinor,
      ageRestricted: items.some((i) => i.ageRestricted),
      shipTo,
      risk,
      history,
    });

    const now = this.clock();
    const quote = manager.create(LabelQuote, {
      orderId,
      sellerId,
      shipFromLocationId: location.id,
      shipFromAddressId: shipFrom.id,
      currency: order.currency,
      parcel,
      rates,
      recommendedSignature: recommended,
      riskAssessmentId: risk?.id ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + QUOTE_TTL_MS),
    });
    await this.deps.db.transaction((tx) => tx.manager.insert(LabelQuote, quote));
    return { quote };
  }

  /**
   * The location asked for (the seller's own), else the seller's default one, with its address
   * (one statement).
   */
  private async shipFrom(
    sellerId: number,
    locationId: string | null | undefined,
  ): Promise<{ location: ShipFromLocation; shipFrom: Address }> {
    const field = ['input', 'shipFromLocationId'];
    const id = locationId ? decodeId(locationId, 'ShipFromLocation', field) : null;
    const query = this.deps.db.manager
      .createQueryBuilder(ShipFromLocation, 'l')
      .innerJoinAndMapOne('l.address', Address, 'a', 'a.id = l.addressId')
      .where('l.sellerId = :sellerId', { sellerId });
    if (id !== null) query.andWhere('l.id = :id', { id });
    else query.andWhere('l.isDefault = :isDefault', { isDefault: true });
    const location = (await query.getOne()) as (ShipFromLocation & { address: Address }) | null;
    if (location) return { location, shipFrom: location.address };
    return id !== null
      ? fail(UserErrorCode.SHIP_FROM_LOCATION_NOT_FOUND, 'No such ship-from location.', field)
      : fail(
          UserErrorCode.NO_SHIP_FROM_LOCATION,
          'You have no ship-from location yet; the platform adds one with upsertSeller.',
          field,
        );
  }

  /** One rate per service, every signature option itemized; amounts in `currency`. */
  private rates(
    services: CarrierService[],
    options: ServiceSignatureOption[],
    order: {
      parcel: Parcel;
      originPostalCode: string;
      shipTo: Address;
      recommended: SignatureOption;
      termsSatisfied: boolean;
      currency: string;
      /** What the parcel holds: decides which services may carry it. */
      items: ContentsItem[];
    },
  ): Promise<QuotedRate[]> {
    const { parcel, shipTo, recommended, termsSatisfied } = order;
    return Promise.all(
      services.map(async (service) => {
        const rate = await this.gateway.rate({
          service,
          parcel,
          originPostalCode: order.originPostalCode,
          destinationPostalCode: shipTo.postalCode,
          destinationCountry: shipTo.country,
        });
        if (rate.currency !== order.currency)
          fail(currencyNotSupported(order.currency, rate.currency));
        const quoted = SIGNATURE_OPTION_ORDER.map((option): QuotedOption => {
          const row = options.find((o) => o.serviceId === service.id && o.option === option);
          const supported = option === SignatureOption.NONE || !!row?.supported;
          const feeMinor = supported ? (row?.feeMinor ?? 0) : 0;
          return {
            option,
            supported,
            unavailableReason: supported
              ? null
              : (row?.unavailableReason ?? `${service.name} does not offer this option.`),
            carrierCode: supported ? (row?.carrierCode ?? null) : null,
            feeMinor,
            totalMinor: rate.postageMinor + feeMinor,
            // Set below: never on an option that cannot be bought.
            isRecommended: false,
            requiresTermsAcceptance: option !== SignatureOption.NONE && !termsSatisfied,
          };
        });
        const quotedRate: QuotedRate = {
          rateId: `rate_${service.code.toLowerCase()}`,
          serviceId: service.id,
          serviceCode: service.code,
          carrier: service.carrier,
          basePostageMinor: rate.postageMinor,
          estimatedDays: rate.estimatedDays,
          options: quoted,
        };
        const { eligible, reason } = rateEligibility(quotedRate, order.items, service.name);
        for (const o of quoted)
          o.isRecommended = eligible && o.supported && o.option === recommended;
        return { ...quotedRate, eligible, ineligibleReason: reason };
      }),
    );
  }

  /** The carrier catalog, read once per CATALOG_TTL_MS rather than on every quote. */
  private async catalog(): Promise<Catalog> {
    const now = this.clock().getTime();
    if (this.cachedCatalog && now < this.cachedCatalog.until) return this.cachedCatalog.catalog;
    const manager = this.deps.db.manager;
    const [services, options] = await Promise.all([
      manager.find(CarrierService, { order: { sortOrder: 'ASC', id: 'ASC' } }),
      manager.find(ServiceSignatureOption, { order: { id: 'ASC' } }),
    ]);
    const catalog = { services, options };
    // Not an empty one: a fresh database may be seeded just after the server starts.
    if (services.length > 0) this.cachedCatalog = { catalog, until: now + CATALOG_TTL_MS };
    return catalog;
  }
}
