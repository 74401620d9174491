import type { QuoteBuilderQuery } from '../../gql/graphql';

type Book = QuoteBuilderQuery['priceBooks'][number];
type Account = QuoteBuilderQuery['opportunity']['account'];

/** The book the API would pick for the account: the most specific active one of the deal's currency. */
export function accountBook(books: Book[], account: Account, currency: string): Book | undefined {
  return books
    .filter((b) => b.active && b.currency === currency && (b.customerLevel || b.region))
    .filter((b) => (!b.customerLevel || b.customerLevel === account.level) && (!b.region || b.region === account.province))
    .sort((a, b) => Number(!a.customerLevel) - Number(!b.customerLevel) || Number(!a.region) - Number(!b.region))[0];
}

/** What a line costs before its discount under the chosen book: the book's entry, else its discount off
 * the list price, else the list price; in cents, half-up, as the API prices a line without a price. */
export function bookPrice(listPrice: string, productId: string, book: Book | undefined): string {
  const entry = book?.entries.find((e) => e.productId === productId);
  if (entry) return entry.price;
  const price = Number(listPrice) * (1 - Number(book?.discountPercent ?? 0) / 100);
  return (Math.round((price + Number.EPSILON) * 100) / 100).toFixed(2);
}
