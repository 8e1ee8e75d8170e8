"""A myDATA invoice (`AadeBookInvoiceType` of InvoicesDoc v2.0.1) as a pydantic model.

Field names are the XSD's element names and **fields are declared in the XSD's sequence order**:
``mydata.xml`` walks them in declaration order to write and read the official XML, so JSON and
XML map to this one model, both ways. Elements that only AADE fills (uid, mark, qrCodeUrl, …) are
not accepted from clients. Amounts are :class:`~decimal.Decimal`, never floats.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

#: AADE's ``AmountType``: ``xs:decimal``, ``minInclusive`` 0, ``fractionDigits`` 2, ``totalDigits`` 15 —
#: said as a multiple of a cent below 10¹³ (13 whole digits and 2 decimals are the 15; a whole amount of
#: 14–15 digits, which the XSD would take, is refused, as ``max_digits=15, decimal_places=2`` always
#: did). pydantic-core checks these two without the digit counting (``normalize``, ``as_tuple``) it runs
#: for ``max_digits``/``decimal_places``: ~1 µs less per amount (issue 17 §1); tests/unit/test_amounts.py
#: holds the two spellings, and the XSD, to the same verdicts.
#: The published schema stays what it was: a JSON Schema validator checks ``multipleOf: 0.01`` in binary
#: floating point, and 0.07 is not a multiple of 0.01 there — a client generated from /openapi.json
#: would refuse good amounts.
Amount = Annotated[Decimal, Field(ge=0, lt=Decimal(10**13), multiple_of=Decimal("0.01"), allow_inf_nan=False),
                   WithJsonSchema({"anyOf": [{"minimum": 0.0, "type": "number"}, {"type": "string"}]})]
Str50 = Annotated[str, Field(min_length=1, max_length=50)]
Str150 = Annotated[str, Field(max_length=150)]


def _code(lo: int, hi: int) -> object:
    return Field(ge=lo, le=hi)


class MyDataModel(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, allow_inf_nan=False)


class Address(MyDataModel):
    street: Str150 | None = None
    number: Str50 | None = None
    #: AADE's XSD types it a bare ``xs:string``: an empty one (mydatapy's own template writes one) is
    #: AADE's to take, so it is ours.
    postalCode: Annotated[str, Field(max_length=50)]
    city: Str150


class Party(MyDataModel):
    vatNumber: Annotated[str, Field(min_length=1, max_length=30)]
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "GR"
    branch: Annotated[int, Field(ge=0)] = 0
    name: Annotated[str, Field(max_length=200)] | None = None
    address: Address | None = None
    documentIdNo: Annotated[str, Field(max_length=100)] | None = None
    supplyAccountNo: Annotated[str, Field(max_length=100)] | None = None
    countryDocumentId: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None


class Entity(MyDataModel):
    """``otherCorrelatedEntities``: another party of the transaction (e.g. the carrier)."""

    type: Annotated[int, Field(ge=1)]
    entityData: Party


class OtherDeliveryNoteHeader(MyDataModel):
    loadingAddress: Address
    deliveryAddress: Address
    startShippingBranch: Annotated[int, Field(ge=0)] | None = None
    completeShippingBranch: Annotated[int, Field(ge=0)] | None = None


class InvoiceHeader(MyDataModel):
    series: Str50
    aa: Str50
    issueDate: date
    invoiceType: Annotated[str, Field(min_length=1, max_length=5)]
    vatPaymentSuspension: bool | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    exchangeRate: Annotated[Decimal, Field(gt=0, le=50000, decimal_places=5)] | None = None
    correlatedInvoices: list[int] = Field(default_factory=list)
    selfPricing: bool | None = None
    dispatchDate: date | None = None
    dispatchTime: time | None = None
    vehicleNumber: Str150 | None = None
    movePurpose: Annotated[int, _code(1, 20)] | None = None
    fuelInvoice: bool | None = None
    specialInvoiceCategory: Annotated[int, _code(1, 13)] | None = None
    invoiceVariationType: Annotated[int, _code(1, 4)] | None = None
    otherCorrelatedEntities: list[Entity] = Field(default_factory=list)
    otherDeliveryNoteHeader: OtherDeliveryNoteHeader | None = None
    isDeliveryNote: bool | None = None
    otherMovePurposeTitle: Str150 | None = None
    thirdPartyCollection: bool | None = None
    multipleConnectedMarks: list[int] = Field(default_factory=list)
    tableAA: Str50 | None = None
    totalCancelDeliveryOrders: bool | None = None
    reverseDeliveryNote: bool | None = None
    reverseDeliveryNotePurpose: Annotated[int, _code(1, 5)] | None = None
    toWeigh: bool | None = None


class ProviderSignature(MyDataModel):
    SigningAuthor: Str50
    Signature: str
    EndToEndReferenceID: str | None = None


class EcrToken(MyDataModel):
    SigningAuthor: Str50
    SessionNumber: Str50


class PaymentMethodDetail(MyDataModel):
    type: Annotated[int, _code(1, 8)]
    amount: Amount
    paymentMethodInfo: str | None = None
    tipAmount: Amount | None = None
    transactionId: str | None = None
    tid: Annotated[str, Field(max_length=200)] | None = None
    ProvidersSignature: ProviderSignature | None = None
    ECRToken: EcrToken | None = None


class PaymentMethods(MyDataModel):
    paymentMethodDetails: Annotated[list[PaymentMethodDetail], Field(min_length=1)]


class IncomeClassification(MyDataModel):
    classificationType: Str50 | None = None
    classificationCategory: Str50
    amount: Amount
    id: Annotated[int, _code(0, 127)] | None = None


class ExpensesClassification(MyDataModel):
    classificationType: Str50 | None = None
    classificationCategory: Str50 | None = None
    amount: Amount
    vatAmount: Amount | None = None
    vatCategory: Annotated[int, _code(1, 10)] | None = None
    vatExemptionCategory: Annotated[int, _code(1, 31)] | None = None
    id: Annotated[int, _code(0, 127)] | None = None


class Ship(MyDataModel):
    """``dienergia``: the ship of a line (ship supplies, VAT-exempt under art. 27)."""

    applicationId: str
    applicationDate: date
    doy: Str150 | None = None
    shipId: str


class InvoiceRow(MyDataModel):
    lineNumber: Annotated[int, Field(ge=1)]
    recType: Annotated[int, _code(1, 7)] | None = None
    TaricNo: Annotated[str, Field(min_length=10, max_length=10)] | None = None
    itemCode: Str50 | None = None
    itemDescr: Annotated[str, Field(max_length=300)] | None = None
    fuelCode: Annotated[str, Field(max_length=3)] | None = None
    quantity: Annotated[Decimal, Field(gt=0)] | None = None
    measurementUnit: Annotated[int, _code(1, 7)] | None = None
    invoiceDetailType: Annotated[int, _code(1, 2)] | None = None
    netValue: Amount
    vatCategory: Annotated[int, _code(1, 10)]
    vatAmount: Amount
    vatExemptionCategory: Annotated[int, _code(1, 31)] | None = None
    dienergia: Ship | None = None
    discountOption: bool | None = None
    withheldAmount: Amount | None = None
    withheldPercentCategory: Annotated[int, _code(1, 18)] | None = None
    stampDutyAmount: Amount | None = None
    stampDutyPercentCategory: Annotated[int, _code(1, 4)] | None = None
    feesAmount: Amount | None = None
    feesPercentCategory: Annotated[int, _code(1, 22)] | None = None
    otherTaxesPercentCategory: Annotated[int, _code(1, 30)] | None = None
    otherTaxesAmount: Amount | None = None
    deductionsAmount: Amount | None = None
    lineComments: Str150 | None = None
    incomeClassification: list[IncomeClassification] = Field(default_factory=list)
    expensesClassification: list[ExpensesClassification] = Field(default_factory=list)
    quantity15: Annotated[Decimal, Field(ge=0)] | None = None
    otherMeasurementUnitQuantity: int | None = None
    otherMeasurementUnitTitle: Str150 | None = None
    notVAT195: bool | None = None
    movePurposeLine: Annotated[int, _code(1, 20)] | None = None
    otherMovePurposeLineTitle: Str150 | None = None


class TaxTotal(MyDataModel):
    taxType: Annotated[int, _code(1, 5)]
    taxCategory: Annotated[int, Field(ge=1)] | None = None
    underlyingValue: Amount | None = None
    taxAmount: Amount
    id: Annotated[int, _code(0, 127)] | None = None


class TaxesTotals(MyDataModel):
    taxes: Annotated[list[TaxTotal], Field(min_length=1)]


class InvoiceSummary(MyDataModel):
    totalNetValue: Amount
    totalVatAmount: Amount
    totalWithheldAmount: Amount = Decimal("0.00")
    totalFeesAmount: Amount = Decimal("0.00")
    totalStampDutyAmount: Amount = Decimal("0.00")
    totalOtherTaxesAmount: Amount = Decimal("0.00")
    totalDeductionsAmount: Amount = Decimal("0.00")
    totalGrossValue: Amount
    incomeClassification: list[IncomeClassification] = Field(default_factory=list)
    expensesClassification: list[ExpensesClassification] = Field(default_factory=list)


class Invoice(MyDataModel):
    """One `invoice` element. ``transmissionFailure`` is what the issuer declares (seed 004: TF1 on the
    provider channel, 3 from an ERP that lost its link before it reached us) — kept and sent as is —
    or what the gateway sets when it saw the outage itself."""

    transmissionFailure: Annotated[int, _code(1, 4)] | None = None
    issuer: Party | None = None
    counterpart: Party | None = None
    invoiceHeader: InvoiceHeader
    paymentMethods: PaymentMethods | None = None
    invoiceDetails: Annotated[list[InvoiceRow], Field(min_length=1, max_length=5000)]
    taxesTotals: TaxesTotals | None = None
    invoiceSummary: InvoiceSummary
