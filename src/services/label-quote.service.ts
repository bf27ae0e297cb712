import type { CarrierGateway, Parcel } from '../carriers/gateway';
import type { RequestContext } from '../context';
import {
  Address,
  CarrierService,
  LabelQuote,
  Order,
  RiskAssessment,
  Seller,
  ServiceSignatureOption,
} from '../entities';
import type { QuotedOption, QuotedRate } from '../entities/label-quote.entity';
import { OrderStatus, SignatureOption } from '../entities/enums';
import { isAdmin } from '../auth/viewer';
import { globalIdOf } from '../graphql/global-id';
import { UserError } from '../graphql/types/user-error.type';
import { UserErrorCode } from '../graphql/user-error-code';
import type { ServiceDeps } from './deps';
import { requireSeller, requireViewer } from './order.service';
import { SIGNATURE_OPTION_ORDER } from './signature-terms.service';
import type { SignatureTermsService } from './signature-terms.service';

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
}

export interface CreateLabelQuoteResult {
  quote: LabelQuote | null;
  userErrors: UserError[];
}

/** Why an order cannot get a (new) label, or null when it can. */
export function unshippableReason(order: Order): UserError | null {
  if (order.status === OrderStatus.AWAITING_SHIPMENT) return null;
  if (order.status === OrderStatus.CANCELLED) {
    return UserError.of(
      UserErrorCode.ORDER_NOT_SHIPPABLE,
      `Order ${order.number} is cancelled; nothing ships.`,
    );
  }
  return UserError.of(
    UserErrorCode.ORDER_ALREADY_LABELED,
    `Order ${order.number} already has a label (status ${order.status}); void it first to buy another.`,
  );
}

function parcelProblems(parcel: Parcel): UserError[] {
  const problems: UserError[] = [];
  const check = (field: keyof Parcel, max: number, unit: string) => {
    const value = parcel[field];
    if (!Number.isInteger(value) || value < 1 || value > max) {
      problems.push(
        UserError.of(
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
  constructor(
    private readonly deps: ServiceDeps,
    private readonly gateway: CarrierGateway,
    private readonly terms: SignatureTermsService,
    private readonly clock: () => Date = () => new Date(),
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
    const fail = (error: UserError | UserError[]) => ({
      quote: null,
      userErrors: Array.isArray(error) ? error : [error],
    });
    const orderId = globalIdOf(input.orderId, 'Order');
    if (orderId === null) {
      return fail(
        UserError.of(UserErrorCode.INVALID_ID, 'orderId is not a valid Order id', [
          'input',
          'orderId',
        ]),
      );
    }
    const manager = this.deps.db.manager;
    const order = await manager.findOne(Order, { where: { id: orderId, sellerId } });
    if (!order) {
      return fail(
        UserError.of(UserErrorCode.ORDER_NOT_FOUND, 'No such order', ['input', 'orderId']),
      );
    }
    const unshippable = unshippableReason(order);
    if (unshippable) return fail({ ...unshippable, field: ['input', 'orderId'] });
    const parcel: Parcel = input.parcel ?? {
      weightOz: order.parcelWeightOz,
      lengthIn: order.parcelLengthIn,
      widthIn: order.parcelWidthIn,
      heightIn: order.parcelHeightIn,
    };
    const problems = parcelProblems(parcel);
    if (problems.length > 0) return fail(problems);

    const [seller, shipTo, risk, standing] = await Promise.all([
      manager.findOneByOrFail(Seller, { id: sellerId }),
      manager.findOneByOrFail(Address, { id: order.shipToAddressId }),
      manager.findOne(RiskAssessment, { where: { orderId, isCurrent: true } }),
      this.terms.standing(manager, sellerId),
    ]);
    const international = shipTo.country !== 'US';
    const services = await manager.find(CarrierService, {
      where: { international },
      order: { sortOrder: 'ASC', id: 'ASC' },
    });
    const options = await manager.find(ServiceSignatureOption, {
      where: services.map((s) => ({ serviceId: s.id })),
    });
    const recommended = risk?.recommendedSignature ?? SignatureOption.NONE;

    const rates: QuotedRate[] = await Promise.all(
      services.map(async (service) => {
        const rate = await this.gateway.rate({
          service,
          parcel,
          originPostalCode: seller.originPostalCode,
          destinationPostalCode: shipTo.postalCode,
          destinationCountry: shipTo.country,
        });
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
            isRecommended: option === recommended,
            requiresTermsAcceptance: option !== SignatureOption.NONE && !standing.satisfied,
          };
        });
        return {
          rateId: `rate_${service.code.toLowerCase()}`,
          serviceId: service.id,
          serviceCode: service.code,
          carrier: service.carrier,
          basePostageMinor: rate.postageMinor,
          estimatedDays: rate.estimatedDays,
          options: quoted,
        };
      }),
    );

    const now = this.clock();
    const quote = manager.create(LabelQuote, {
      orderId,
      sellerId,
      currency: order.currency,
      parcel,
      rates,
      recommendedSignature: recommended,
      riskAssessmentId: risk?.id ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + QUOTE_TTL_MS),
    });
    await this.deps.db.transaction((tx) => tx.manager.insert(LabelQuote, quote));
    return { quote, userErrors: [] };
  }
}
