import { Address } from './address.entity';
import { ApiToken } from './api-token.entity';
import { Buyer } from './buyer.entity';
import { CarrierService } from './carrier-service.entity';
import { Charge } from './charge.entity';
import { DeliveryProof } from './delivery-proof.entity';
import { IdempotencyRecord } from './idempotency-record.entity';
import { Label } from './label.entity';
import { LabelQuote } from './label-quote.entity';
import { LineItem } from './line-item.entity';
import { Notification } from './notification.entity';
import { NotificationDelivery } from './notification-delivery.entity';
import { Order } from './order.entity';
import { RiskAssessment } from './risk-assessment.entity';
import { Seller } from './seller.entity';
import { SellerRiskSettings } from './seller-risk-settings.entity';
import { ServiceSignatureOption } from './service-signature-option.entity';
import { Shipment } from './shipment.entity';
import { SignatureDecision } from './signature-decision.entity';
import { SignatureTerms } from './signature-terms.entity';
import { TermsAcceptance } from './terms-acceptance.entity';
import { TrackingEvent } from './tracking-event.entity';

export {
  Address,
  ApiToken,
  Buyer,
  CarrierService,
  Charge,
  DeliveryProof,
  IdempotencyRecord,
  Label,
  LabelQuote,
  LineItem,
  Notification,
  NotificationDelivery,
  Order,
  RiskAssessment,
  Seller,
  SellerRiskSettings,
  ServiceSignatureOption,
  Shipment,
  SignatureDecision,
  SignatureTerms,
  TermsAcceptance,
  TrackingEvent,
};

export const ENTITIES = [
  Address,
  ApiToken,
  Buyer,
  CarrierService,
  Charge,
  DeliveryProof,
  IdempotencyRecord,
  Label,
  LabelQuote,
  LineItem,
  Notification,
  NotificationDelivery,
  Order,
  RiskAssessment,
  Seller,
  SellerRiskSettings,
  ServiceSignatureOption,
  Shipment,
  SignatureDecision,
  SignatureTerms,
  TermsAcceptance,
  TrackingEvent,
];
