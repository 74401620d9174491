"""Products and price books: the price an account pays follows its level or region."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlmodel import col

from crm_shared import audit
from crm_shared.accounts import AccountRef
from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.db.pages import Page
from crm_shared.db.repository import contains_text
from crm_shared.errors import BadInput, Conflict, NotFound
from crm_shared.validate import choice, fits, note, optional_text, required_text
from sales import pricing
from sales.money import MAX_AMOUNT, MAX_QUANTITY, QUANTITY_PLACES, Rates, cents, currency, parse, percent
from sales.products.models import PriceBook, PriceBookEntry, Product
from sales.repositories import Products

RESOURCE = "sales:product"


@dataclass
class ProductInput:
    code: str | None = None
    name: str | None = None
    unit: str | None = None
    list_price: str | None = None
    currency: str | None = None
    stock: str | None = None
    active: bool | None = None
    description: str | None = None


@dataclass
class PriceBookInput:
    name: str
    currency: str | None = None
    customer_level: str | None = None
    region: str | None = None
    discount_percent: str | None = None
    entries: list[tuple[uuid.UUID, str]] = field(default_factory=list)


async def price_book_for(uow: UnitOfWork, account: AccountRef | None, code: str) -> PriceBook | None:
    """The most specific active book for the account: level and region, then level, then region."""
    if account is None:
        return None
    books = (
        await uow.session.scalars(
            select(PriceBook).where(
                col(PriceBook.active).is_(True),
                col(PriceBook.currency) == code,
                or_(col(PriceBook.customer_level).is_(None), col(PriceBook.customer_level) == account.level),
                or_(col(PriceBook.region).is_(None), col(PriceBook.region) == account.province),
            )
        )
    ).all()
    ranked = sorted(books, key=lambda b: (b.customer_level is None, b.region is None, b.created_at))
    return next((b for b in ranked if b.customer_level or b.region), None)


async def chosen_price_book(uow: UnitOfWork, book_id: uuid.UUID, code: str) -> PriceBook:
    """The book a user picked instead of the account's: it must be active and in the deal's currency."""
    book = await uow.session.get(PriceBook, book_id)
    if book is None or not book.active:
        raise BadInput("unknown_price_book", field="priceBookId")
    if book.currency != code:
        raise BadInput("price_book_currency", field="priceBookId", currency=code)
    return book


@dataclass(frozen=True)
class PricedLine:
    product: Product
    list_price: Decimal  # in the deal's currency
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    total: Decimal


async def price_lines(
    uow: UnitOfWork, book: PriceBook | None, lines: list[Any], rates: Rates, code: str
) -> list[PricedLine]:
    """Quote and opportunity lines (`product_id`, `quantity`, `unit_price`, `discount_percent`) priced by one rule,
    in the deal's currency `code`: a list price in another is converted at the suite's rates, so the price and the
    discount measured from it are the deal's."""
    priced: list[PricedLine] = []
    for index, line in enumerate(lines):
        product = await uow.session.get(Product, line.product_id)
        if product is None or not product.active:
            raise BadInput("unknown_product", field=f"lines[{index}].productId")
        qty = parse(line.quantity, f"lines[{index}].quantity", Decimal("0.0001"), MAX_QUANTITY, QUANTITY_PLACES)
        given = parse(line.unit_price, f"lines[{index}].unitPrice") if line.unit_price else None
        discount = percent(line.discount_percent, f"lines[{index}].discountPercent")
        listed = rates.convert(product.list_price, product.currency, code, f"lines[{index}].productId")
        price = pricing.unit_price(listed, given, await _book_terms(uow, book, product))
        total = pricing.line_total(qty, price, discount) if fits(qty * price) else None
        if total is None or not fits(sum((p.total for p in priced), total)):
            raise BadInput("out_of_range", field=f"lines[{index}].quantity", maximum=str(MAX_AMOUNT))
        priced.append(PricedLine(product, listed, qty, price, discount, total))
    return priced


async def _book_terms(uow: UnitOfWork, book: PriceBook | None, product: Product) -> pricing.Book | None:
    if book is None:
        return None
    entry = await uow.session.scalar(
        select(col(PriceBookEntry.price)).where(
            col(PriceBookEntry.price_book_id) == book.id, col(PriceBookEntry.product_id) == product.id
        )
    )
    return pricing.Book(entry, book.discount_percent)


class ProductService:
    def __init__(self, rates: Rates) -> None:
        self.rates = rates

    def _apply(self, product: Product, data: ProductInput) -> None:
        if data.code is not None:
            product.code = required_text(data.code, "code", 50)
        if data.name is not None:
            product.name = required_text(data.name, "name", 200)
        if data.unit is not None:
            product.unit = required_text(data.unit, "unit", 20)
        if data.list_price is not None:
            product.list_price = cents(parse(data.list_price, "listPrice"))
        if data.currency is not None:
            product.currency = self.rates.check(currency(data.currency, self.rates.base))
        if data.stock is not None:
            product.stock = parse(data.stock, "stock", maximum=MAX_QUANTITY, places=QUANTITY_PLACES)
        if data.active is not None:
            product.active = data.active
        if data.description is not None:
            product.description = note(data.description, "description", 2000)

    async def create(self, uow: UnitOfWork, principal: Principal, data: ProductInput) -> Product:
        principal.require_governs(f"{RESOURCE}:create", None)  # list prices hold company-wide
        if data.list_price is None:
            raise BadInput("required_field", field="listPrice")
        code, name = required_text(data.code, "code", 50), required_text(data.name, "name", 200)
        product = Product(code=code, name=name, currency=self.rates.base)
        self._apply(product, data)
        if await uow.session.scalar(select(col(Product.id)).where(col(Product.code) == product.code)):
            raise Conflict("product_code_exists", field="code")
        uow.session.add(product)
        await uow.flush()
        await audit.record(
            uow,
            "product.created",
            "Product",
            product.id,
            None,
            {"code": product.code, "name": product.name},
        )
        return product

    async def update(self, uow: UnitOfWork, principal: Principal, product_id: uuid.UUID, data: ProductInput) -> Product:
        principal.require_governs(f"{RESOURCE}:update", None)
        product = await uow.session.get(Product, product_id, with_for_update=True)
        if product is None:
            raise NotFound(entity="Product")
        before = {
            "listPrice": str(product.list_price),
            "active": product.active,
            "stock": str(product.stock),
        }
        self._apply(product, data)
        if data.code is not None and await uow.session.scalar(
            select(col(Product.id)).where(col(Product.code) == product.code, col(Product.id) != product.id)
        ):
            raise Conflict("product_code_exists", field="code")
        product.updated_at = utcnow()
        await audit.record(
            uow,
            "product.updated",
            "Product",
            product.id,
            before,
            {"listPrice": str(product.list_price), "active": product.active, "stock": str(product.stock)},
        )
        return product

    async def page(
        self,
        uow: UnitOfWork,
        principal: Principal,
        search: str | None,
        active: bool | None,
        first: int,
        after: str | None,
    ) -> Page[Product]:
        principal.require(f"{RESOURCE}:read")
        where: list[Any] = []
        if active is not None:
            where.append(col(Product.active).is_(active))
        if search and search.strip():
            where.append(contains_text(search, col(Product.name), col(Product.code)))
        return await Products(uow, principal).newest(where, first, after)

    async def get(self, uow: UnitOfWork, principal: Principal, product_id: uuid.UUID) -> Product:
        principal.require(f"{RESOURCE}:read")
        product = await uow.session.get(Product, product_id)
        if product is None:
            raise NotFound(entity="Product")
        return product

    async def price_books(self, uow: UnitOfWork, principal: Principal) -> list[PriceBook]:
        principal.require(f"{RESOURCE}:read")
        return list((await uow.session.scalars(select(PriceBook).order_by(col(PriceBook.created_at)))).all())

    async def entries(self, uow: UnitOfWork, book_id: uuid.UUID) -> list[PriceBookEntry]:
        return list(
            (
                await uow.session.scalars(select(PriceBookEntry).where(col(PriceBookEntry.price_book_id) == book_id))
            ).all()
        )

    async def create_price_book(self, uow: UnitOfWork, principal: Principal, data: PriceBookInput) -> PriceBook:
        principal.require_governs(f"{RESOURCE}:create", None)
        book = PriceBook(
            name=required_text(data.name, "name", 100),
            currency=self.rates.check(currency(data.currency, self.rates.base)),
            customer_level=choice((data.customer_level or "").upper() or None, "customerLevel", ("A", "B", "C", "D")),
            region=optional_text(data.region, "region", 50),
            discount_percent=percent(data.discount_percent, "discountPercent"),
        )
        if book.customer_level is None and book.region is None:
            raise BadInput("price_book_scope", field="customerLevel")
        if await uow.session.scalar(select(col(PriceBook.id)).where(col(PriceBook.name) == book.name)):
            raise Conflict("price_book_exists", field="name")
        uow.session.add(book)
        await uow.flush()
        for index, (product_id, price) in enumerate(data.entries):
            if await uow.session.get(Product, product_id) is None:
                raise BadInput("unknown_product", field=f"entries[{index}].productId")
            uow.session.add(
                PriceBookEntry(
                    price_book_id=book.id,
                    product_id=product_id,
                    price=cents(parse(price, f"entries[{index}].price")),
                )
            )
        await audit.record(
            uow,
            "price_book.created",
            "PriceBook",
            book.id,
            None,
            {"name": book.name, "level": book.customer_level, "region": book.region},
        )
        return book
