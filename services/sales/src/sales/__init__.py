"""Sales service: leads, pipeline, products and price books, quotes, contracts, orders, invoices, payments,
targets, forecasts and funnel analytics."""
